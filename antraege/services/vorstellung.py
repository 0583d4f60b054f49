"""The public project page of an Antrag: the applicant withdraws the consent given in the form
(the page goes at once, with its report and photo), or, after the Verwendungsnachweis, adds a
short report and one photo. The photo is decoded and encoded anew: only its pixels reach the
public (no camera data, no location, no hidden payload), at most 1600 px wide."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import Antrag, Status

FOTO_MAX_BYTES = 10 * 1024 * 1024
FOTO_MAX_PIXEL = 40_000_000  # larger images are refused before decoding (decompression bombs)
FOTO_KANTE = 1600


def _gesperrt(antrag: Antrag) -> Antrag:
    return Antrag.objects.select_for_update().get(pk=antrag.pk)


def vorstellung_zurueckziehen(*, antrag: Antrag) -> Antrag:
    """The applicant takes the project page back: from now on only area, goal and amount are
    public; the public text, report and photo are deleted."""
    with transaction.atomic():
        antrag = _gesperrt(antrag)
        # An Antrag from before the question (None) may take its title down the same way.
        if antrag.oeffentlich_vorstellen is False:
            raise ValidationError(_("Ihr Projekt hat keine öffentliche Projektseite."))
        foto = antrag.foto.name
        antrag.oeffentlich_vorstellen = False
        antrag.vorstellung_text = ""
        antrag.bericht_oeffentlich = ""
        antrag.foto = ""
        antrag.foto_beschreibung = ""
        antrag.bildnachweis = ""
        antrag.save(
            update_fields=[
                "oeffentlich_vorstellen",
                "vorstellung_text",
                "bericht_oeffentlich",
                "foto",
                "foto_beschreibung",
                "bildnachweis",
            ]
        )
        if foto:
            speicher = Antrag._meta.get_field("foto").storage
            transaction.on_commit(lambda: speicher.delete(foto))
    return antrag


# After the Verwendungsnachweis is handed in (the report is about what happened).
BERICHT_MOEGLICH = {
    Status.NACHWEIS_EINGEREICHT,
    Status.NACHWEIS_KORREKTUR,
    Status.ABGESCHLOSSEN,
    Status.RUECKFORDERUNG,
}


def foto_neu_kodieren(datei) -> bytes:
    """The photo as a fresh JPEG of its pixels (turned as the camera meant it), or a German
    error for anything that is not a readable JPEG, PNG or WebP photo."""
    if datei.size > FOTO_MAX_BYTES:
        raise ValidationError({"foto": _("Das Foto ist größer als 10 MB. Bitte wählen Sie ein "
                                         "kleineres.")})  # fmt: skip
    try:
        datei.seek(0)
        with warnings.catch_warnings():
            # A picture too large to decode safely is refused, not decoded with a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(datei) as bild:
                # MPO: many phones' JPEG with a second image (depth, HDR); the first is the photo.
                if bild.format not in ("JPEG", "MPO", "PNG", "WEBP"):
                    raise ValidationError(
                        {"foto": _("Bitte laden Sie ein Foto als JPEG, PNG oder WebP hoch.")}
                    )
                if bild.width * bild.height > FOTO_MAX_PIXEL:
                    raise ValidationError({"foto": _("Das Foto hat zu viele Bildpunkte.")})
                if bild.format in ("JPEG", "MPO"):
                    bild.draft("RGB", (FOTO_KANTE * 2, FOTO_KANTE * 2))  # decode smaller
                bild.load()
                gedreht = ImageOps.exif_transpose(bild).convert("RGB")
                gedreht.thumbnail((FOTO_KANTE, FOTO_KANTE))
                # Only the pixels: a fresh image carries no comment, XMP, ICC or EXIF along.
                rein = Image.new("RGB", gedreht.size)
                rein.paste(gedreht)
                ausgabe = io.BytesIO()
                rein.save(ausgabe, format="JPEG", quality=85, optimize=True)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationError(
            {
                "foto": _(
                    "Die Datei ist kein lesbares Foto. Bitte laden Sie ein JPEG, PNG oder "
                    "WebP hoch."
                )
            }  # fmt: skip
        ) from exc
    return ausgabe.getvalue()


def bericht_speichern(
    *, antrag: Antrag, bericht: str, foto=None, foto_beschreibung: str = "", bildnachweis: str = ""
) -> Antrag:
    """The report and (optionally a new) photo of the project page, after the Nachweis."""
    bericht = bericht.strip()
    if not bericht:
        raise ValidationError(
            {"bericht": _("Bitte schreiben Sie ein paar Sätze über Ihr Projekt.")}
        )
    if foto is not None and not foto_beschreibung.strip():
        raise ValidationError(
            {"foto_beschreibung": _("Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist.")}
        )
    if foto is not None and not bildnachweis.strip():
        raise ValidationError({"bildnachweis": _("Bitte geben Sie an, wer das Foto gemacht hat.")})
    inhalt = foto_neu_kodieren(foto) if foto is not None else None
    with transaction.atomic():
        antrag = _gesperrt(antrag)
        if antrag.oeffentlich_vorstellen is not True:
            raise ValidationError(_("Ihr Projekt hat keine öffentliche Projektseite."))
        if antrag.status not in BERICHT_MOEGLICH:
            raise ValidationError(
                _("Bericht und Foto kommen nach dem Verwendungsnachweis auf die Projektseite.")
            )
        antrag.bericht_oeffentlich = bericht
        alt = antrag.foto.name
        if inhalt is not None:
            antrag.foto.save(f"{antrag.aktenzeichen}.jpg", ContentFile(inhalt), save=False)
            antrag.foto_beschreibung = foto_beschreibung.strip()
            antrag.bildnachweis = bildnachweis.strip()
        elif antrag.foto:
            antrag.foto_beschreibung = foto_beschreibung.strip() or antrag.foto_beschreibung
            antrag.bildnachweis = bildnachweis.strip() or antrag.bildnachweis
        antrag.save(
            update_fields=["bericht_oeffentlich", "foto", "foto_beschreibung", "bildnachweis"]
        )
        if inhalt is not None and alt:
            speicher = Antrag._meta.get_field("foto").storage
            transaction.on_commit(lambda: speicher.delete(alt))
    return antrag
