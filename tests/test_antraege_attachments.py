"""Attachments are stored privately: only the status link and staff can download them."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from antraege.models import Anlage, Antrag, VorlaeufigeAnlage

from .factories import PDF_BYTES, antrag_post_data, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def antrag_with_pdf(client):
    upload = SimpleUploadedFile("../../Konzept <b>.pdf", PDF_BYTES, "application/pdf")
    client.post("/antrag/", antrag_post_data(anlagen=upload))
    return Antrag.objects.get()


def test_file_is_stored_under_a_random_name_in_private_storage(antrag_with_pdf, settings):
    anlage = antrag_with_pdf.anlagen.get()
    path = Path(anlage.datei.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(django_settings.BASE_DIR) / "static")
    assert "Konzept" not in path.name and path.suffix == ".pdf"
    assert path.read_bytes() == PDF_BYTES
    assert anlage.dateiname == "Konzept <b>.pdf"


def test_storage_has_no_public_url(antrag_with_pdf):
    with pytest.raises(ValueError):
        antrag_with_pdf.anlagen.get().datei.url  # noqa: B018


def test_status_link_downloads_the_file_as_attachment(client, antrag_with_pdf):
    anlage = antrag_with_pdf.anlagen.get()
    response = client.get(f"/antrag/status/{token(antrag_with_pdf)}/anlage/{anlage.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_download_is_named_by_the_portal_not_by_the_applicant(client, antrag_with_pdf):
    anlage = antrag_with_pdf.anlagen.get()
    response = client.get(f"/antrag/status/{token(antrag_with_pdf)}/anlage/{anlage.pk}/")
    name = f"{antrag_with_pdf.aktenzeichen}-Anlage-1.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    # The applicant's name for it is shown as text only, escaped.
    html = client.get(f"/antrag/status/{token(antrag_with_pdf)}/").content.decode()
    assert "Konzept &lt;b&gt;.pdf" in html


def test_another_antrags_link_cannot_download_the_file(client, antrag_with_pdf):
    client.post("/antrag/", antrag_post_data(titel="Ein anderes Projekt"))
    other = Antrag.objects.exclude(pk=antrag_with_pdf.pk).get()
    anlage = antrag_with_pdf.anlagen.get()
    assert client.get(f"/antrag/status/{token(other)}/anlage/{anlage.pk}/").status_code == 404


def test_staff_download_needs_a_staff_login_with_view_permission(client, antrag_with_pdf):
    anlage = antrag_with_pdf.anlagen.get()
    url = f"/admin/antraege/antrag/anlage/{anlage.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("ohne", password="x", is_staff=True))
    assert client.get(url).status_code == 404
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_failed_submission_leaves_no_file_behind_but_the_pending_upload(client, settings):
    upload = SimpleUploadedFile("konzept.pdf", PDF_BYTES, "application/pdf")
    response = client.post("/antrag/", antrag_post_data(anlagen=upload, beantragter_betrag="1"))
    assert response.status_code == 200
    assert not Anlage.objects.exists()
    # The file waits for the next try of this form (and goes after a day); nothing else stays.
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    dateien = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert dateien == {VorlaeufigeAnlage.objects.get().datei.name}
