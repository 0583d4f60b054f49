"""The two-factor pages (set-up with QR code, code entry, both with an error shown, and the
backup codes) pass axe-core in German and English and need no sideways scrolling at 320 px."""

import base64

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, bildschirmfoto

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]
PASSWORT = "Ein-sicheres-Passwort-2026"
TEXTE = {
    "de": ("Benutzername", "Passwort", "Anmelden", "Bestätigungscode", "Einrichten"),
    "en": ("Username", "Password", "Log in", "Confirmation code", "Set up"),
}


def pruefen(page, output_dir, name):
    page.locator("#code-fehler").wait_for()
    bildschirmfoto(page, output_dir / f"{name}.png")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 320])
def test_the_two_factor_pages_pass_axe_and_reflow(new_page, output_dir, sprache, breite):
    User.objects.create_user("neu", password=PASSWORT, is_staff=True, is_superuser=True)
    name, passwort, anmelden, code, einrichten = TEXTE[sprache]
    prefix = "/en" if sprache == "en" else ""
    page = new_page(width=breite, height=900)

    def login():
        page.goto(f"{prefix}/admin/login/")
        page.get_by_label(name).fill("neu")
        page.get_by_label(passwort).fill(PASSWORT)
        page.get_by_role("button", name=anmelden).click()
        page.get_by_label(code).wait_for()

    login()
    page.get_by_label(code).fill("000000")
    page.get_by_role("button", name=einrichten).click()
    assert page.get_by_label(code).get_attribute("aria-invalid") == "true"
    pruefen(page, output_dir, f"zweifaktor-einrichten-{sprache}-{breite}")

    text = page.locator(".zweifaktor-schluessel").inner_text().replace(" ", "")
    app = TOTP(base64.b32decode(text + "=" * (-len(text) % 8)))
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    page.get_by_label(code).fill(f"{app.token():06d}")
    page.get_by_role("button", name=einrichten).click()
    page.locator(".ersatzcodes").wait_for()
    datei = output_dir / f"zweifaktor-ersatzcodes-{sprache}-{breite}.png"
    bildschirmfoto(page, datei, full_page=False)
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)

    page.get_by_role("button", name="Abmelden" if sprache == "de" else "Log out").click()
    login()
    page.get_by_label(code).fill("000000")
    page.get_by_role("button", name=anmelden).click()
    pruefen(page, output_dir, f"zweifaktor-pruefen-{sprache}-{breite}")

    # "Abmelden" on the code page ends the session: the Verwaltung asks for the password again.
    page.get_by_role("button", name="Abmelden" if sprache == "de" else "Log out").click()
    page.wait_for_load_state()
    page.goto(f"{prefix}/admin/")
    page.get_by_label(name).wait_for()
    assert "/admin/login/" in page.url
