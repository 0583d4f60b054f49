"""Attachments safe to open at a city desk: whole-file checks, PDFs without active content,
pictures re-encoded without location data, files owner-only on disk.

Tried: 4 kinds of active PDF content (JavaScript as open action and as named script, a launch
action, an embedded file), an encrypted and a broken PDF, a PNG and a PDF with HTML appended
after the first 8 KB, a JPEG with GPS data, an image bomb, a truncated JPEG; each refused with a
German message and nothing stored, or stored cleaned.
"""

import io
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from antraege.models import Anlage, Antrag
from antraege.services import einreichung

from .factories import PDF_BYTES, antrag_post_data

pytestmark = pytest.mark.django_db


def pdf(bearbeiten=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if bearbeiten:
        bearbeiten(writer)
    ausgabe = io.BytesIO()
    writer.write(ausgabe)
    return ausgabe.getvalue()


def mit_launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )


def mit_js_open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def mit_js_names(writer):
    """A document-level script in the /Names tree, as Acrobat writes it."""
    skript = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("s"), skript])}
            )
        }
    )


def bild(format_, groesse=(64, 48), **speichern) -> bytes:
    ausgabe = io.BytesIO()
    Image.new("RGB", groesse, (200, 30, 30)).save(ausgabe, format=format_, **speichern)
    return ausgabe.getvalue()


def foto_mit_ort() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x0112] = 6  # Orientation: turned 90°
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "E", 4: (7.0, 28.0, 0.0)}
    exif[0x8825] = gps
    return bild("JPEG", exif=exif.tobytes())


def upload(name, inhalt, typ="application/pdf"):
    return SimpleUploadedFile(name, inhalt, content_type=typ)


def pruefen(inhalt, name="datei.pdf"):
    return einreichung.anlage_pruefen(upload(name, inhalt))


@pytest.mark.parametrize(
    "bearbeiten, was",
    [
        (mit_js_names, "JavaScript"),
        (mit_js_open_action, "JavaScript"),
        (mit_launch, "Programmstart"),
        (lambda w: w.add_attachment("rechnung.exe", b"MZ..."), "eingebettete Datei"),
    ],
)
def test_pdfs_with_active_content_are_refused(bearbeiten, was):
    with pytest.raises(ValidationError) as fehler:
        pruefen(pdf(bearbeiten))
    text = " ".join(fehler.value.messages)
    assert "kann nicht angenommen werden" in text and was in text


def test_a_plain_pdf_is_accepted_and_stored_unchanged():
    inhalt = pdf()
    assert pruefen(inhalt) == "application/pdf"


def test_an_encrypted_pdf_is_refused():
    def verschluesseln(writer):
        writer.encrypt("geheim")

    with pytest.raises(ValidationError, match="verschlüsselt"):
        pruefen(pdf(verschluesseln))


@pytest.mark.parametrize("inhalt", [b"%PDF-1.7\n" + b"x" * 100, PDF_BYTES[: len(PDF_BYTES) // 2]])
def test_a_broken_pdf_is_refused(inhalt):
    with pytest.raises(ValidationError, match="beschädigt oder keine gültige PDF"):
        pruefen(inhalt)


@pytest.mark.parametrize(
    "inhalt, name",
    [
        (bild("PNG") + b"\0" * 9000 + b"<html><script>alert(1)</script></html>", "foto.png"),
        (pdf() + b"\0" * 9000 + b"<SCRIPT>alert(1)</SCRIPT>", "angebot.pdf"),
        (bild("JPEG") + b"<!DOCTYPE html><body>", "foto.jpg"),
        (bild("PNG") + b"<svg onload=alert(1)>", "bild.png"),
    ],
)
def test_html_anywhere_in_the_file_is_refused(inhalt, name):
    with pytest.raises(ValidationError, match="Teile einer Webseite"):
        pruefen(inhalt, name)


def test_an_image_bomb_and_a_truncated_photo_are_refused(settings):
    bombe = bild("PNG", groesse=(8000, 8000))  # 64 megapixels, a few kilobytes
    with pytest.raises(ValidationError, match="mehr als 50 Megapixel"):
        pruefen(bombe, "bombe.png")
    with pytest.raises(ValidationError, match="beschädigt"):
        pruefen(bild("JPEG")[:300], "halb.jpg")


def test_photos_are_stored_re_encoded_without_location_data(client):
    foto = foto_mit_ort()
    assert Image.open(io.BytesIO(foto)).getexif().get_ifd(0x8825)  # the upload has a location
    antwort = client.post(
        "/antrag/", antrag_post_data(anlagen=upload("urlaub.jpg", foto, "image/jpeg"))
    )
    assert antwort.status_code == 302
    anlage = Antrag.objects.get().anlagen.get()
    gespeichert = Path(anlage.datei.path).read_bytes()
    assert gespeichert != foto and anlage.groesse == len(gespeichert)
    gelesen = Image.open(io.BytesIO(gespeichert))
    assert gelesen.format == "JPEG"
    assert not gelesen.getexif()  # no location, no camera, no orientation left
    assert b"Kamerahersteller" not in gespeichert
    # Turned upright as the camera meant it (64 x 48 taken, orientation 6 = turned).
    assert gelesen.size == (48, 64)


def test_a_png_is_re_encoded_and_keeps_its_picture(client):
    original = bild("PNG")
    client.post("/antrag/", antrag_post_data(anlagen=upload("plan.png", original, "image/png")))
    anlage = Anlage.objects.get()
    gespeichert = Image.open(anlage.datei.path)
    assert gespeichert.format == "PNG" and gespeichert.size == (64, 48)
    assert gespeichert.convert("RGB").getpixel((10, 10)) == (200, 30, 30)


def test_refused_files_leave_nothing_stored(client, settings):
    antwort = client.post("/antrag/", antrag_post_data(anlagen=upload("a.pdf", pdf(mit_js_names))))
    assert antwort.status_code == 200
    assert "enthält JavaScript" in antwort.content.decode()
    assert not Antrag.objects.exists() and not Anlage.objects.exists()
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_files_and_folders_are_owner_only(client, settings):
    settings.FILE_UPLOAD_PERMISSIONS = 0o600  # as in production settings (checked below)
    client.post("/antrag/", antrag_post_data(anlagen=upload("k.pdf", PDF_BYTES)))
    pfad = Path(Anlage.objects.get().datei.path)
    assert stat.S_IMODE(pfad.stat().st_mode) == 0o600
    ordner = pfad.parent
    while ordner != Path(settings.PRIVATE_MEDIA_ROOT).parent:
        assert stat.S_IMODE(ordner.stat().st_mode) == 0o700, ordner
        ordner = ordner.parent


def test_production_settings_write_owner_only():
    from django.conf import settings

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
