"""Documents per Aktionsraum: PDFs checked by content, listed with type and size, served under a
lasting address that leads to a long-cached version, replaced without breaking links; and the
page's texts, rendered safely, in English where given."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from quartiere.models import Aktionsraum, Dokument

from .factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero"))
    return client


def _pdf(seiten=1) -> bytes:
    schreiber = PdfWriter()
    for _ in range(seiten):
        schreiber.add_blank_page(width=595, height=842)
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


def _hochladen(staff_client, inhalt, name="karte.pdf", pk=None, **felder):
    area = Aktionsraum.objects.get(slug="hoerde")
    daten = {
        "aktionsraum": area.pk,
        "titel": "Karte des Aktionsraums",
        "jahr": "2025",
        "beschreibung": "Übersichtskarte (Beispiel)",
        "datei": SimpleUploadedFile(name, inhalt, "application/pdf"),
        **felder,
    }
    url = f"/admin/quartiere/dokument/{pk}/change/" if pk else "/admin/quartiere/dokument/add/"
    return staff_client.post(url, daten)


def test_a_pdf_is_listed_with_type_and_size_and_served_long_cached(staff_client):
    assert _hochladen(staff_client, PDF_BYTES).status_code == 302
    doc = Dokument.objects.get()
    assert doc.groesse == len(PDF_BYTES) and doc.version == 1
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert f'href="/aktionsraeume/hoerde/dokumente/{doc.pk}/"' in html
    assert "Karte des Aktionsraums (2025)" in html and "PDF, " in html and "Bytes" in html

    lasting = Client().get(f"/aktionsraeume/hoerde/dokumente/{doc.pk}/")
    assert lasting.status_code == 302 and "max-age=300" in lasting["Cache-Control"]
    assert lasting["Location"].endswith(f"/dokumente/{doc.pk}/v1/karte-des-aktionsraums.pdf")
    datei = Client().get(lasting["Location"])
    assert datei.status_code == 200 and b"".join(datei.streaming_content) == PDF_BYTES
    assert datei["Content-Type"] == "application/pdf"
    assert datei["Cache-Control"] == "public, max-age=31536000, immutable"
    assert datei["Content-Disposition"].startswith("inline")


def test_the_size_is_shown_in_german_megabytes(staff_client):
    groß = _pdf(1) + b"%" + b"0" * 1_300_000 + b"\n"  # a comment after the PDF's end
    assert _hochladen(staff_client, groß).status_code == 302
    assert "PDF, 1,2\xa0MB" in Client().get("/aktionsraeume/hoerde/").content.decode()


def test_a_replaced_file_keeps_the_link_and_the_old_version_leads_to_the_new(
    staff_client, django_capture_on_commit_callbacks
):
    _hochladen(staff_client, PDF_BYTES)
    doc = Dokument.objects.get()
    alt = doc.datei.name
    neu = _pdf(2)
    with django_capture_on_commit_callbacks(execute=True):
        antwort = _hochladen(staff_client, neu, name="karte-2026.pdf", pk=doc.pk)
    assert antwort.status_code == 302
    doc.refresh_from_db()
    assert doc.version == 2 and doc.groesse == len(neu)
    assert doc.datei.name != alt and not doc.datei.storage.exists(alt)  # removed after commit
    lasting = Client().get(f"/aktionsraeume/hoerde/dokumente/{doc.pk}/")
    assert "/v2/" in lasting["Location"]
    assert b"".join(Client().get(lasting["Location"]).streaming_content) == neu
    old = Client().get(f"/aktionsraeume/hoerde/dokumente/{doc.pk}/v1/karte-des-aktionsraums.pdf")
    assert old.status_code == 302 and old["Location"].endswith(f"/dokumente/{doc.pk}/")


@pytest.mark.parametrize(
    ("inhalt", "meldung"),
    [
        (PNG_BYTES, "Dokumente für die Seite müssen PDF-Dateien sein."),
        (b"<html><script>alert(1)</script></html>", "keine PDF-, JPEG- oder PNG-Datei"),
        (PDF_BYTES.replace(b"%%EOF", b"<script>x</script>\n%%EOF"), "HTML"),
    ],
)
def test_anything_but_a_clean_pdf_is_refused_and_nothing_is_stored(staff_client, inhalt, meldung):
    antwort = _hochladen(staff_client, inhalt)
    assert antwort.status_code == 200 and meldung in antwort.content.decode()
    assert not Dokument.objects.exists()


def test_a_document_of_another_area_or_an_inactive_area_is_not_found(staff_client):
    _hochladen(staff_client, PDF_BYTES)
    doc = Dokument.objects.get()
    assert Client().get(f"/aktionsraeume/marten/dokumente/{doc.pk}/").status_code == 404
    assert Client().get(f"/aktionsraeume/hoerde/dokumente/{doc.pk + 1}/").status_code == 404
    area = doc.aktionsraum
    area.is_active = False
    area.save()
    assert Client().get(f"/aktionsraeume/hoerde/dokumente/{doc.pk}/").status_code == 404


def test_without_documents_the_page_says_so(client):
    assert (
        "noch keine Dokumente veröffentlicht"
        in client.get("/aktionsraeume/hoerde/").content.decode()
    )


def test_the_texts_are_paragraphs_with_links_and_no_html_from_the_admin():
    area = Aktionsraum.objects.get(slug="hoerde")
    area.einfuehrung = (
        "Erster Absatz mit https://www.dortmund.de als Link.\n\n"
        'Zweiter <script>alert("x")</script> Absatz <a href="javascript:alert(1)">klick</a>.'
    )
    area.arbeit = "Die Beauftragte berät Initiativen."
    area.save()
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert '<a href="https://www.dortmund.de" rel="nofollow">https://www.dortmund.de</a>' in html
    assert "<p>Zweiter &lt;script&gt;" in html and "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "Die Arbeit der Aktionsraumbeauftragten" in html and "berät Initiativen" in html


def test_english_pages_show_the_english_text_or_the_german_with_a_note():
    area = Aktionsraum.objects.get(slug="hoerde")
    area.einfuehrung = "Deutscher Text."
    area.arbeit = "Deutsche Arbeit."
    area.arbeit_en = "English work."
    area.save()
    html = Client().get("/en/aktionsraeume/hoerde/").content.decode()
    assert '<div class="fliesstext" lang="de"><p>Deutscher Text.</p></div>' in html
    assert "This text is only available in German." in html
    assert '<div class="fliesstext" lang="en"><p>English work.</p></div>' in html
    assert html.count("This text is only available in German.") == 1


def test_a_bad_replacement_leaves_the_document_as_it_was(staff_client):
    _hochladen(staff_client, PDF_BYTES)
    doc = Dokument.objects.get()
    antwort = _hochladen(staff_client, PNG_BYTES, name="karte.png", pk=doc.pk, titel="Neu")
    assert antwort.status_code == 200 and "müssen PDF-Dateien sein" in antwort.content.decode()
    nachher = Dokument.objects.get()
    assert (nachher.titel, nachher.version, nachher.datei.name) == (doc.titel, 1, doc.datei.name)
    assert nachher.datei.open("rb").read() == PDF_BYTES


def test_the_change_page_shows_the_lasting_address_not_a_storage_link(staff_client):
    _hochladen(staff_client, PDF_BYTES)
    doc = Dokument.objects.get()
    html = staff_client.get(f"/admin/quartiere/dokument/{doc.pk}/change/").content.decode()
    assert f'<a href="/aktionsraeume/hoerde/dokumente/{doc.pk}/">' in html
    assert "private_media" not in html and doc.datei.name not in html
