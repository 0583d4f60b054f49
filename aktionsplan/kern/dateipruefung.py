"""Attachments that are safe to open at a city desk.

Every file is read whole: its type comes from its content (filetype), it may carry no HTML
anywhere (a PNG with a web page appended is refused), a PDF is parsed completely (pypdf) and
refused when it has JavaScript, launch actions, embedded files or is encrypted, and a JPEG or
PNG is decoded and stored re-encoded by Pillow, which drops everything but the picture: the
location and camera data of photos included.
"""

import io
import re
import warnings
import weakref

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

ERLAUBTE_DATEITYPEN = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
# Markup that a browser would run if the file were ever shown as a page.
_HTML = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|meta|!doctype)\b", re.I)
# Names in a PDF that run code, start programs or carry other files.
_PDF_VERBOTEN = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/Launch": "Programmstart",
    "/EmbeddedFile": "eingebettete Datei",
    "/EmbeddedFiles": "eingebettete Datei",
    "/FileAttachment": "eingebettete Datei",
    "/RichMedia": "eingebettete Medien",
    "/XFA": "XFA-Formular",
    "/ImportData": "Datenimport",
    "/SubmitForm": "Formularversand",
}
# A photo of 50 megapixels is plenty; more is a decompression bomb.
Image.MAX_IMAGE_PIXELS = 50_000_000


def _abgelehnt(datei, grund: str) -> ValidationError:
    return ValidationError(
        _("Die Datei „%(name)s“ kann nicht angenommen werden: %(grund)s")
        % {"name": datei.name, "grund": grund}
    )


def _inhalt(datei) -> bytes:
    datei.seek(0)
    inhalt = datei.read()
    datei.seek(0)
    return inhalt


# Files already checked in this process, with their size and type: the form checks a file to
# name its error at the field, the service checks it again for any caller; the second check of
# the same, unchanged upload object is this lookup (each file's content is read once per post).
_GEPRUEFT: "weakref.WeakKeyDictionary[object, tuple[int, str]]" = weakref.WeakKeyDictionary()


def dateityp(datei) -> str:
    """Checks the whole file; returns its MIME type or raises a German ValidationError."""
    try:
        groesse, mime = _GEPRUEFT[datei]
    except (KeyError, TypeError):
        pass
    else:
        if groesse == datei.size:
            return mime
    mime = _dateityp(datei)
    try:
        _GEPRUEFT[datei] = (datei.size, mime)
    except TypeError:  # an object without weak references is simply checked again
        pass
    return mime


def als_geprueft(datei, mime: str) -> None:
    """Marks a file read back from the portal's own private storage, checked when it was
    stored there (a chosen file waiting in a form's draft), as checked with that type: it is
    not read a second time when the form is sent."""
    try:
        _GEPRUEFT[datei] = (datei.size, mime)
    except TypeError:
        pass


def _dateityp(datei) -> str:
    inhalt = _inhalt(datei)
    kind = filetype.guess(inhalt[:8192])
    if kind is None or kind.mime not in ERLAUBTE_DATEITYPEN:
        raise ValidationError(
            _(
                "Die Datei „%(name)s“ ist keine PDF-, JPEG- oder PNG-Datei. Bitte laden Sie "
                "nur solche Dateien hoch."
            )
            % {"name": datei.name}
        )
    if _HTML.search(inhalt):
        raise _abgelehnt(datei, _("Sie enthält Teile einer Webseite (HTML)."))
    if kind.mime == "application/pdf":
        _pdf_pruefen(datei, inhalt)
    else:
        _bild_oeffnen(datei, inhalt)
    return kind.mime


def _pdf_pruefen(datei, inhalt: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(inhalt), strict=False)
        if reader.is_encrypted:
            raise _abgelehnt(
                datei,
                _("Sie ist verschlüsselt oder mit einem Passwort geschützt und lässt sich so "
                  "nicht prüfen. Bitte speichern Sie sie ohne Schutz."),
            )  # fmt: skip
        funde = _pdf_durchsuchen(reader)
        if not len(reader.pages):
            raise PdfReadError("no pages")
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds for broken files; all mean the same here
        raise _abgelehnt(datei, _("Sie ist beschädigt oder keine gültige PDF-Datei.")) from None
    if funde:
        raise _abgelehnt(
            datei,
            _("Sie enthält %(was)s. Bitte speichern oder drucken Sie sie als einfache PDF "
              "(z. B. „Als PDF drucken“) und laden Sie sie erneut hoch.")
            % {"was": ", ".join(sorted(funde))},
        )  # fmt: skip


def _pdf_durchsuchen(reader: PdfReader) -> set[str]:
    """Walks every object reachable from the trailer; returns what was found of the list."""
    funde: set[str] = set()
    gesehen: set[tuple[int, int]] = set()
    stapel = [reader.trailer]
    schritte = 0
    while stapel:
        schritte += 1
        if schritte > 500_000:
            raise PdfReadError("too many objects")
        obj = stapel.pop()
        if isinstance(obj, IndirectObject):
            schluessel = (obj.idnum, obj.generation)
            if schluessel in gesehen:
                continue
            gesehen.add(schluessel)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, wert in obj.items():
                if name in _PDF_VERBOTEN:
                    funde.add(_PDF_VERBOTEN[name])
                if name in ("/S", "/Subtype", "/Type") and str(wert) in _PDF_VERBOTEN:
                    funde.add(_PDF_VERBOTEN[str(wert)])
                stapel.append(wert)
        elif isinstance(obj, ArrayObject):
            stapel.extend(obj)
    return funde


def _bild_oeffnen(datei, inhalt: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            bild = Image.open(io.BytesIO(inhalt))
            bild.load()
        return bild
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _abgelehnt(datei, _("Das Bild ist zu groß (mehr als 50 Megapixel).")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _abgelehnt(datei, _("Das Bild ist beschädigt.")) from None


def bereinigt(datei, mime: str):
    """What is stored of a checked file: a PDF as it is, a picture re-encoded by Pillow
    (upright as shown, without EXIF, location, comments or anything appended)."""
    if mime == "application/pdf":
        datei.seek(0)
        return datei
    inhalt = _inhalt(datei)
    original = _bild_oeffnen(datei, inhalt)
    bild = ImageOps.exif_transpose(original)
    if mime != "image/jpeg":
        ausgabe = io.BytesIO()
        bild.save(ausgabe, format="PNG", optimize=True)
        return ContentFile(ausgabe.getvalue(), name=datei.name)
    if bild.mode not in ("RGB", "L", "CMYK"):
        bild = bild.convert("RGB")
    ausgabe = io.BytesIO()
    bild.save(ausgabe, format="JPEG", quality=90, optimize=True)
    tabellen = getattr(original, "quantization", None)
    if ausgabe.tell() > len(inhalt) and tabellen:
        # A photo saved at low quality grows when saved at 90: it is saved with its own
        # quantization tables instead, so it stays about as large as uploaded (the caller
        # checks the stored size against the limits, `einreichung._anlagen_speichern`).
        eigene = io.BytesIO()
        bild.save(
            eigene,
            format="JPEG",
            qtables=tabellen,
            subsampling=JpegImagePlugin.get_sampling(original),
            optimize=True,
        )
        if eigene.tell() < ausgabe.tell():
            ausgabe = eigene
    return ContentFile(ausgabe.getvalue(), name=datei.name)
