"""Rules for what the district pages show: key figures imported row by row, documents checked
and replaced, outlines set; called by the admin (and tests), each with a German message."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aktionsplan.kern import dateipruefung

from .models import Aktionsraum, Dokument, Kennzahl

# The columns of a key-figure file (CSV or XLSX), as the import page names them.
SPALTEN = ["Kennzahl", "Einheit", "Quelle", "Jahr", "Aktionsraum", "Wert", "Dortmund"]
MAX_DOKUMENT_BYTES = 20 * 1024 * 1024


def _zahl(text, spalte: str, *, leer_erlaubt=False) -> Decimal | None:
    """A number as a spreadsheet cell holds it, or as German text (1.234,5 or 1234,5)."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        text = str(text)
        return _zahl_pruefen(Decimal(text), text, spalte)
    wert = str(text if text is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    if not wert:
        if leer_erlaubt:
            return None
        raise ValidationError(_("Die Spalte „%(spalte)s“ ist leer.") % {"spalte": spalte})
    if "," in wert or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", wert):  # German: 1.234,5 / 1.234
        wert = wert.replace(".", "").replace(",", ".")
    try:
        zahl = Decimal(wert)
    except InvalidOperation:
        raise ValidationError(
            _("„%(wert)s“ in der Spalte „%(spalte)s“ ist keine Zahl.")
            % {"wert": str(text)[:40], "spalte": spalte}
        ) from None
    return _zahl_pruefen(zahl, text, spalte)


def _zahl_pruefen(zahl: Decimal, text, spalte: str) -> Decimal:
    if not zahl.is_finite() or abs(zahl) >= Decimal("1e12"):
        raise ValidationError(
            _("„%(wert)s“ in der Spalte „%(spalte)s“ ist keine zulässige Zahl.")
            % {"wert": str(text)[:40], "spalte": spalte}
        )
    return zahl.quantize(Decimal("0.01"))


def _text(row, spalte: str, laenge: int) -> str:
    wert = str(row.get(spalte) or "").replace("\x00", "").strip()
    if not wert:
        raise ValidationError(_("Die Spalte „%(spalte)s“ ist leer.") % {"spalte": spalte})
    if len(wert) > laenge:
        raise ValidationError(
            _("Die Spalte „%(spalte)s“ ist länger als %(n)d Zeichen.")
            % {"spalte": spalte, "n": laenge}
        )
    return wert


def kennzahl_zeile(row, *, gesehen: dict) -> dict:
    """One row of a key-figure file: its Kennzahl (made or matched), Aktionsraum and value.

    `gesehen` remembers the file's earlier rows: the same figure must have the same unit,
    source and city value in every row, and an area only one value per figure.
    """
    fehlend = [s for s in SPALTEN if s not in row]
    if fehlend:
        raise ValidationError(
            _("Es fehlen die Spalten: %(spalten)s.") % {"spalten": ", ".join(fehlend)}
        )
    name = _text(row, "Kennzahl", 200)
    einheit = _text(row, "Einheit", 50)
    quelle = _text(row, "Quelle", 300)
    jahr_zahl = _zahl(row.get("Jahr"), "Jahr")
    if jahr_zahl != jahr_zahl.to_integral_value() or not 1990 <= jahr_zahl <= 2100:
        raise ValidationError(_("Das Jahr „%(jahr)s“ ist kein Jahr zwischen 1990 und 2100.")
                              % {"jahr": row.get("Jahr")})  # fmt: skip
    jahr = int(jahr_zahl)
    gebiet = _text(row, "Aktionsraum", 100)
    aktionsraum = (
        Aktionsraum.objects.filter(slug=gebiet.lower()).first()
        or Aktionsraum.objects.filter(name__iexact=gebiet).first()
    )
    if aktionsraum is None:
        raise ValidationError(
            _("Einen Aktionsraum „%(name)s“ gibt es nicht (Name oder Kurzname wie „hoerde“).")
            % {"name": gebiet[:60]}
        )
    wert = _zahl(row.get("Wert"), "Wert")
    dortmund = _zahl(row.get("Dortmund"), "Dortmund", leer_erlaubt=True)
    angaben = (einheit, quelle, dortmund)
    frueher = gesehen.setdefault((name, jahr), {"angaben": angaben, "gebiete": set()})
    if frueher["angaben"] != angaben:
        raise ValidationError(
            _(
                "„%(name)s“ (%(jahr)d) steht schon mit anderer Einheit, Quelle oder anderem "
                "Wert für Dortmund in der Datei."
            )
            % {"name": name, "jahr": jahr}
        )
    if aktionsraum.pk in frueher["gebiete"]:
        raise ValidationError(
            _("„%(name)s“ (%(jahr)d) für %(gebiet)s steht zweimal in der Datei.")
            % {"name": name, "jahr": jahr, "gebiet": aktionsraum.name}
        )
    frueher["gebiete"].add(aktionsraum.pk)
    kennzahl, _neu = Kennzahl.objects.update_or_create(
        name=name,
        jahr=jahr,
        defaults={"einheit": einheit, "quelle": quelle, "wert_dortmund": dortmund},
    )
    return {"kennzahl": kennzahl, "aktionsraum": aktionsraum, "wert": wert}


def dokument_pruefen(datei) -> None:
    """A document for the public page: a PDF, checked whole like the applicants' files."""
    if datei.size > MAX_DOKUMENT_BYTES:
        raise ValidationError(
            _("Die Datei ist größer als %(mb)d MB.") % {"mb": MAX_DOKUMENT_BYTES // 2**20}
        )
    if dateipruefung.dateityp(datei) != "application/pdf":
        raise ValidationError(_("Dokumente für die Seite müssen PDF-Dateien sein."))
    datei.seek(0)


def dokument_speichern(*, dokument: Dokument, neue_datei: bool) -> None:
    """Saves the document; a new file is a new version under the same lasting address, and
    the file it replaces is removed once the database has committed."""
    alte = None
    if dokument.pk and neue_datei:
        alte = Dokument.objects.filter(pk=dokument.pk).values_list("datei", flat=True).first()
        dokument.version += 1
    if neue_datei:
        dokument.groesse = dokument.datei.size
    with transaction.atomic():
        dokument.save()
    if alte and alte != dokument.datei.name:
        speicher = dokument.datei.storage
        transaction.on_commit(lambda: speicher.delete(alte))
