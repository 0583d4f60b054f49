"""Letters that work on paper (issue 37, point 9): the sender with the Projektbüro's postal
address, a reference block (Aktenzeichen, contact person, phone, date), a footer; for paper
applicants the Verwendungsnachweis by post instead of file types, and no request for an e-mail
address from someone who gave one."""

import re
from decimal import Decimal

import pytest

from antraege.models import Antrag, Status
from quartiere.models import Aktionsraum

from .factories import submitted_antrag

pytestmark = pytest.mark.django_db


@pytest.fixture
def anschrift(settings):
    settings.PROJEKTBUERO_ANSCHRIFT = ["Beispielstraße 1", "44135 Dortmund"]
    settings.PROJEKTBUERO_PHONE = "(0231) 50-00000"
    settings.PROJEKTBUERO_EMAIL = "projektbuero@example.org"


def bewilligt(email="", aktionsraum="hoerde", sprache="de"):
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget",
        beantragter_betrag=Decimal("800.00"),
        aktionsraum=Aktionsraum.objects.get(slug=aktionsraum),
        sprache=sprache,
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF, email=email)
    return Antrag.objects.get(pk=antrag.pk)


def brief(staff_client, antrag, schritt=True):
    if schritt:
        staff_client.post(
            f"/admin/antraege/antrag/{antrag.pk}/schritt/",
            {"nach": "bewilligt", "betrag": "800,00"},
        )
    return staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/").content.decode()


def block(html, klasse):
    return re.search(rf'class="{klasse}"[^>]*>(.*?)</(?:dl|p|footer)>', html, re.S).group(1)


def text(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_sender_reference_block_and_footer(staff_client, anschrift):
    antrag = bewilligt()
    html = brief(staff_client, antrag)
    assert text(block(html, "ruecksendeangabe")) == (
        "Stadt Dortmund · Projektbüro Aktionsplan Soziale Stadt · Beispielstraße 1 · 44135 Dortmund"
    )
    kontakt = Aktionsraum.objects.get(slug="hoerde").beauftragte.first()
    info = text(block(html, "infoblock"))
    assert f"Aktenzeichen {antrag.aktenzeichen}" in info
    assert f"Ansprechperson {kontakt.name}" in info
    assert f"Telefon {kontakt.telefon}" in info and f"E-Mail {kontakt.email}" in info
    assert re.search(r"Datum \d{1,2}\. \w+ \d{4}", info)
    assert text(block(html, "fusszeile")) == (
        "Projektbüro Aktionsplan Soziale Stadt · Beispielstraße 1 · 44135 Dortmund · "
        "Telefon (0231) 50-00000 · projektbuero@example.org"
    )
    assert "nicht eingestellt" not in html


def test_an_area_without_a_contact_names_the_projektbuero(staff_client, anschrift):
    assert not Aktionsraum.objects.get(slug="wickede").beauftragte.exists()
    html = brief(staff_client, bewilligt(aktionsraum="wickede"))
    info = text(block(html, "infoblock"))
    assert "Ansprechperson Projektbüro Aktionsplan Soziale Stadt" in info
    assert "Telefon (0231) 50-00000" in info and "E-Mail projektbuero@example.org" in info


def test_without_a_postal_address_staff_are_warned_on_screen(staff_client, settings):
    settings.PROJEKTBUERO_ANSCHRIFT = []
    html = brief(staff_client, bewilligt())
    assert 'class="warnung" role="alert"' in html and "PROJEKTBUERO_ANSCHRIFT" in html


def test_a_paper_applicant_hands_in_the_proof_by_post_and_is_asked_for_an_e_mail(
    staff_client, anschrift
):
    html = brief(staff_client, bewilligt(email=""))
    assert "Kopien der Belege (Rechnungen, Quittungen)" in html
    assert "per Post an das Projektbüro oder bringen Sie es vorbei" in html
    assert "PDF, JPEG oder PNG" not in html
    assert "nennen Sie uns Ihre E-Mail-Adresse" in html


def test_an_applicant_with_an_e_mail_address_is_not_asked_for_one(staff_client, anschrift):
    html = brief(staff_client, bewilligt(email="erika@example.org"))
    assert "nennen Sie uns Ihre E-Mail-Adresse" not in html
    assert "per E-Mail an erika@example.org geschickt" in html
    assert "/antrag/status/" not in html


def test_the_english_letter_has_english_blocks(staff_client, anschrift):
    html = brief(staff_client, bewilligt(sprache="en"))
    info = text(block(html, "infoblock"))
    assert info.startswith("Reference number") and "Contact person" in info
    assert "Date " in info and re.search(r"Date \d{1,2} \w+ \d{4}", info)
    assert "Copies of the receipts" in html
