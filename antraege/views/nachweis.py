"""The Verwendungsnachweis through the status link."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from aktionsplan.kern import drosselung
from antraege import ablauf
from antraege.selectors import hauptbuch
from antraege.services import einreichung

from ..antragsformular import nachweis_fehler, ohne_fehler
from ..forms.felder import fehler_je_feld
from ..forms.nachweis import NachweisForm
from ..models import Entwurf, Status
from ..services.entwurf import anlagen_als_dateien, entwurf_erledigt, gueltige_anlagen
from .formular import entwurf_und_anlagen
from .status import antrag_by_token


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def nachweis_einreichen(request, token):
    """The applicant hands in the Verwendungsnachweis after the payout, or corrects it: the
    report, planned against actual per cost row and costs not planned ("Weitere Ausgabe
    hinzufügen"), then a check page with the unspent difference, where the receipts are
    chosen (up to `MAX_BELEGE`, kept in the form's draft across errors and pages, as the
    application form keeps its files) and the Nachweis is sent."""
    antrag = antrag_by_token(token)
    if antrag.status not in ablauf.NACHWEIS_MOEGLICH:
        messages.info(
            request, _("Ein Verwendungsnachweis ist für diesen Antrag jetzt nicht möglich.")
        )
        return redirect("antraege:status", token=token)
    korrektur = None
    initial, weitere_initial = {}, []
    if antrag.status == Status.NACHWEIS_KORREKTUR:
        korrektur = antrag.verlauf.filter(nach=Status.NACHWEIS_KORREKTUR).last()
        initial, weitere_initial = _nachweis_initial(antrag.verwendungsnachweise.last())
    ausgezahlt = hauptbuch.antrag_geldstand(antrag).netto_ausgezahlt
    seite = {
        "antrag": antrag,
        "token": token,
        "ausgezahlt": ausgezahlt,
        "korrektur": korrektur,
        "max_belege": einreichung.MAX_BELEGE,
        "max_weitere": einreichung.MAX_WEITERE_AUSGABEN,
        "dateien_bleiben": True,
    }

    if request.method != "POST":
        form = NachweisForm(antrag=antrag, initial=initial, weitere_initial=weitere_initial)
        return _nachweis_formular(request, seite, form)
    data, entwurf, entwurf_token, fehler = entwurf_und_anlagen(
        request,
        request.POST,
        feld="belege",
        hoechstens=einreichung.MAX_BELEGE,
        # The receipts of a Nachweis given back for correction do not count (belegter_platz).
        platz=einreichung.MAX_ANTRAG_BYTES - einreichung.belegter_platz(antrag=antrag),
        zweck=Entwurf.Zweck.NACHWEIS,
        antrag=antrag,
    )
    seite |= {"entwurf_token": entwurf_token, "belege_gewaehlt": list(gueltige_anlagen(entwurf))}
    if "weitere_hinzufuegen" in data:
        # A row for a cost not planned: nothing is checked yet.
        data = data.copy()
        anzahl = _zahl(data.get("weitere-TOTAL_FORMS"))
        data["weitere-TOTAL_FORMS"] = str(min(anzahl + 1, einreichung.MAX_WEITERE_AUSGABEN))
        data.setdefault("weitere-INITIAL_FORMS", "0")
        form = NachweisForm(data, antrag=antrag)
        ohne_fehler(form, form.weitere)
        _dateifehler(form, fehler)  # a refused or lost file is said even now
        return _nachweis_formular(request, seite, form, zeigen=bool(fehler))
    form = NachweisForm(data, antrag=antrag)
    gueltig = form.is_valid()
    if "aendern" in data or not gueltig:
        _dateifehler(form, fehler)
        return _nachweis_formular(request, seite, form)
    # Valid figures: the check page, where receipts are chosen, kept, removed and sent.
    if "absenden" in data and "anlage_entfernen" not in data and not fehler:
        if _nachweis_senden(antrag, form, entwurf):
            messages.success(request, _("Danke! Ihr Verwendungsnachweis ist eingegangen."))
            return redirect("antraege:status", token=token)
    _dateifehler(form, fehler)
    seite["belege_gewaehlt"] = list(gueltige_anlagen(entwurf))
    return _nachweis_pruefseite(request, seite, form, data)


def _dateifehler(form, fehler):
    for meldung in fehler.get("belege", []):
        form.add_error("belege", meldung)


def _zahl(wert) -> int:
    try:
        return max(int(wert), 0)
    except (TypeError, ValueError):
        return 0


def _nachweis_senden(antrag, form, entwurf) -> bool:
    """Hands the checked Nachweis with the draft's receipts to the service; its refusals land
    on the form's fields (the receipts stay chosen)."""
    dateien = anlagen_als_dateien(entwurf)
    try:
        einreichung.verwendungsnachweis_einreichen(
            antrag=antrag, **form.service_data(), dateien=dateien
        )
    except ValidationError as exc:
        for field, errors in fehler_je_feld(exc).items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return False
    finally:
        for datei in dateien:
            datei.close()
    entwurf_erledigt(entwurf)
    return True


def _nachweis_formular(request, seite, form, *, zeigen=True):
    return render(
        request,
        "antraege/nachweis.html",
        {**seite, "form": form, "errors": nachweis_fehler(form) if zeigen else []},
    )


def _nachweis_pruefseite(request, seite, form, post):
    """The check page with the unspent difference; the figures go again with the page."""
    return render(
        request,
        "antraege/nachweis_pruefen.html",
        {
            **seite,
            "form": form,
            "errors": nachweis_fehler(form),
            "tabelle": form.tabelle(),
            "ungeplant_summe": sum((b for _t, b in form.weitere.rows()), Decimal("0")),
            "rechnung": form.rechnung(ausgezahlt=seite["ausgezahlt"]),
            "versteckt": [
                (name, wert)
                for name, werte in post.lists()
                if (name in form.fields and name != "belege") or name.startswith("weitere-")
                for wert in werte
            ],
        },
    )


def _nachweis_initial(letzter) -> tuple[dict, list[dict]]:
    """A Nachweis given back for correction: its values stand in the form again, the costs
    not planned as rows of their own."""
    if letzter is None:
        return {}, []
    initial = {
        "bericht": letzter.bericht,
        "eigenmittel": letzter.eigenmittel,
        "eigenleistung": letzter.eigenleistung,
        "drittmittel": letzter.drittmittel,
    }
    weitere = []
    for position in letzter.positionen.all():
        if position.ungeplant:
            weitere.append({"beschreibung": position.beschreibung, "betrag": position.ausgegeben})
        elif position.kostenposition_id:
            initial[f"ausgabe_{position.kostenposition_id}"] = position.ausgegeben
    return initial, weitere
