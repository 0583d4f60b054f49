"""The status page's steps and contacts, the withdrawal's own page and "Statuslink verloren?",
in German and English, at 1280 and 375 px: axe finds nothing, nothing scrolls sideways, and a
person gets the link again by typing their address."""

import re

import pytest
from django.core import mail

from antraege.models import Antrag, Status
from antraege.services import workflow

from ..factories import submitted_antrag, token
from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, bildschirmfoto

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_status_withdrawal_and_lost_link_pages_pass_axe(new_page, prefix, breite, output_dir):
    antrag = submitted_antrag(sprache="en" if prefix else "de")
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.IN_PRUEFUNG)
    page = new_page(width=breite)
    for pfad in [
        f"/antrag/status/{token(antrag)}/",
        f"/antrag/status/{token(antrag)}/zurueckziehen/",
        "/antrag/statuslink/",
    ]:
        page.goto(prefix + pfad)
        assert_no_axe_violations(page)
        assert_no_horizontal_scrolling(page)
    page.goto(prefix + f"/antrag/status/{token(antrag)}/")
    assert (
        page.locator('.schritte [aria-current="step"]')
        .inner_text()
        .startswith("Review" if prefix else "Prüfung")
    )
    bildschirmfoto(page, output_dir / f"status-schritte{prefix.replace('/', '-')}-{breite}.png")
    page.goto(prefix + f"/antrag/status/{token(antrag)}/zurueckziehen/")
    knopf = "Withdraw the application for good" if prefix else "Antrag endgültig zurückziehen"
    page.get_by_role("button", name=knopf).click()
    page.locator("#fehler").wait_for()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
def test_a_person_asks_for_the_lost_link_and_opens_it(new_page, prefix):
    antrag = submitted_antrag(email="erika@example.org", sprache="en" if prefix else "de")
    mail.outbox.clear()
    page = new_page(width=375)
    page.goto(prefix + "/")
    page.get_by_role(
        "link", name="Lost your status link?" if prefix else "Statuslink verloren?"
    ).click()
    feld = page.get_by_label("E-mail address" if prefix else "E-Mail-Adresse")
    knopf = page.get_by_role(
        "button", name="Send the status link" if prefix else "Statuslink schicken"
    )
    feld.fill("keine-adresse")
    knopf.click()
    page.locator("#fehler").wait_for()
    assert_no_axe_violations(page)
    assert mail.outbox == []
    feld.fill("erika@example.org")
    page.get_by_role(
        "button", name="Send the status link" if prefix else "Statuslink schicken"
    ).click()
    page.get_by_role("status").wait_for()
    nachricht = next(m for m in mail.outbox if m.to == ["erika@example.org"])
    link = re.search(r"http://\S+(/(?:en/)?antrag/status/[A-Za-z0-9_-]+/)", nachricht.body).group(1)
    page.goto(link)
    assert antrag.aktenzeichen in page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_a_rueckforderung_shows_what_to_pay_where_and_by_when(
    new_page, prefix, breite, output_dir, settings
):
    """The repayment as the letter asks for it, readable on a phone: amount, due date, the
    city's account and the reference, and the money rows apart."""
    from decimal import Decimal

    from ..factories import auszahlen, projektbuero_user, zentral_bewilligt

    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, "1000.00")
    auszahlen(antrag, "1000.00", staff)
    Antrag.objects.filter(pk=antrag.pk).update(
        status=Status.NACHWEIS_EINGEREICHT, sprache="en" if prefix else "de"
    )
    workflow.antrag_rueckfordern(
        antrag=Antrag.objects.get(pk=antrag.pk),
        betrag=Decimal("250.00"),
        by=staff,
        kommentar="250 € wurden nicht ausgegeben.",
    )
    page = new_page(width=breite)
    page.goto(prefix + f"/antrag/status/{token(antrag)}/")
    titel = page.get_by_role("heading", name=re.compile(r"^(Rückzahlung|Repayment)$"))
    text = page.locator(".kern-card", has=titel).inner_text()
    assert ("250.00" if prefix else "250,00") in text
    assert "DE02 1203 0000 0000 2020 51" in text and "Stadtkasse (Testkonto)" in text
    assert f"{antrag.aktenzeichen} Rückforderung" in text
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)
    bildschirmfoto(page, output_dir / f"rueckzahlung{prefix.replace('/', '-')}-{breite}.png")
