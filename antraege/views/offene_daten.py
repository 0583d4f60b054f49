"""The programme's open data: the funded projects and the yearly figures per area as CSV and
JSON under stable addresses, with the licence and a description of every field, as German
cities publish on their open data portals. Public, cached like every public page."""

import csv
import io
import json
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from aktionsplan.kern import seitencache

from ..exports import neutralisieren
from ..selectors import offene_daten

LIZENZ = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LIZENZ_URL = "https://www.govdata.de/dl-de/by-2-0"
NAMENSNENNUNG = "Stadt Dortmund, Aktionsplan Soziale Stadt"
# Name in the address -> (selector, field descriptions, title).
DATENSAETZE = {
    "projekte": (
        offene_daten.projekte,
        offene_daten.PROJEKT_FELDER,
        _("Geförderte Projekte des Aktionsplans Soziale Stadt Dortmund"),
    ),
    "kennzahlen": (
        offene_daten.kennzahlen,
        offene_daten.KENNZAHL_FELDER,
        _("Aktionsraumfonds und Förderung je Aktionsraum und Jahr"),
    ),
}


@require_safe
@seitencache.oeffentlich
def uebersicht(request):
    """What there is, under which licence, and what each field means."""
    return render(
        request,
        "antraege/offene_daten.html",
        {
            "datensaetze": [
                (name, titel, felder) for name, (_lesen, felder, titel) in DATENSAETZE.items()
            ],
            "lizenz": LIZENZ,
            "lizenz_url": LIZENZ_URL,
            "namensnennung": NAMENSNENNUNG,
        },
    )


@require_safe
@seitencache.oeffentlich
def datensatz(request, name, format):
    if name not in DATENSAETZE or format not in ("csv", "json"):
        raise Http404
    lesen, felder, titel = DATENSAETZE[name]
    zeilen = lesen()
    if format == "json":
        inhalt = {
            "titel": str(titel),
            "lizenz": LIZENZ,
            "lizenz_url": LIZENZ_URL,
            "namensnennung": NAMENSNENNUNG,
            "stand": timezone.localdate().isoformat(),
            "felder": {name: str(text) for name, text in felder.items()},
            "daten": [{k: _json(v) for k, v in zeile.items()} for zeile in zeilen],
        }
        return HttpResponse(
            json.dumps(inhalt, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, lineterminator="\r\n")
    schreiber.writerow(list(felder))
    for zeile in zeilen:
        # Text typed by applicants that a spreadsheet would run as a formula stays text.
        schreiber.writerow([_csv(zeile[feld]) for feld in felder])
    return HttpResponse(puffer.getvalue(), content_type="text/csv; charset=utf-8")


CENT = Decimal("0.01")


def _json(wert):
    # Amounts as text with two decimals ("80.00"): exact, as the ledger has them.
    return str(wert.quantize(CENT)) if isinstance(wert, Decimal) else wert


def _csv(wert):
    if isinstance(wert, Decimal):
        return str(wert.quantize(CENT))
    if isinstance(wert, str):
        return neutralisieren(wert)
    return wert
