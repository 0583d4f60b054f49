"""A staff member logs into the admin, takes an Antrag through review to a grant and sees the
budget overview change."""

import base64
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from tests.factories import submitted_antrag

from .journey import budgetzeile, schritt_nehmen

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def schluessel(text: str) -> bytes:
    """The key as the set-up page shows it (base32 in groups of four), as bytes."""
    text = text.replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def central_row(page):
    """Budget, granted and available of the central budget, as the overview shows them."""
    zeile = budgetzeile(page, "Zentrales Projektbudget")
    return [zeile[spalte] for spalte in ("Budget", "Bewilligt", "Verfügbar")]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_staff_moves_an_antrag_to_a_grant_and_the_overview_changes(new_page, javascript):
    page = new_page(javascript=javascript)
    User.objects.create_superuser("projektbuero", password="Sehr-geheim-2026!")
    antrag = submitted_antrag(
        titel="Lesecafé", finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("750.00")
    )

    page.goto("/admin/")
    page.get_by_label("Benutzername").fill("projektbuero")
    page.get_by_label("Passwort").fill("Sehr-geheim-2026!")
    page.get_by_role("button", name="Anmelden").click()
    # The first login sets up the authenticator app: the key from the page, then its code.
    page.get_by_role("heading", name="Zweiten Faktor einrichten").wait_for()
    app = TOTP(schluessel(page.locator(".zweifaktor-schluessel").inner_text()))
    page.get_by_label("Bestätigungscode").fill(f"{app.token():06d}")
    page.get_by_role("button", name="Einrichten").click()
    page.get_by_text("Der zweite Faktor ist eingerichtet.").wait_for()
    assert page.locator(".ersatzcodes li").count() == 10
    page.get_by_role("link", name="Weiter zur Verwaltung").click()
    page.get_by_role("heading", name="Was zu tun ist").wait_for()
    page.goto("/admin/antraege/haushaltsjahr/uebersicht/")
    assert central_row(page) == ["161.000,00 €", "0,00 €", "161.000,00 €"]

    page.goto(f"/admin/antraege/antrag/{antrag.pk}/change/")
    schritt_nehmen(page, "Prüfung beginnen")
    page.get_by_text("Neuer Status: in Prüfung").wait_for()
    schritt_nehmen(page, "Prüfung abschließen")
    page.get_by_text("Neuer Status: entscheidungsreif").wait_for()
    schritt_nehmen(page, "Bewilligen", {"Betrag der Bewilligung": "750,00"})
    page.get_by_text("Neuer Status: bewilligt").wait_for()

    page.goto("/admin/antraege/haushaltsjahr/uebersicht/")
    assert central_row(page) == ["161.000,00 €", "750,00 €", "160.250,00 €"]
