"""The protection of the public form as a person and a program meet it in the browser: a person
who is very quick is asked to send again and then gets through, the same Antrag twice gives
the "already arrived" page, the limit gives the 429 page, a filled honeypot the refusal; each
page in German and English, checked with axe."""

import pytest

from antraege.models import Antrag

from .helpers import (
    assert_no_axe_violations,
    bildschirmfoto,
    fill_application,
    send_application,
    write_pdf,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.bot_schutz,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

TEXTE = {
    "de": {
        "pfad": "/antrag/",
        "senden": "Weiter zur Prüfung",
        "schnell": "Das ging sehr schnell",
        "pruefen": "Bitte prüfen Sie Ihre Angaben",
        "absenden": "Antrag absenden",
        "danke": "Vielen Dank! Ihr Antrag ist eingegangen.",
        "doppelt": "Dieser Antrag ist bereits eingegangen",
        "limit": "Zu viele Anfragen",
        "bot": "Antrag nicht angenommen",
    },
    "en": {
        "pfad": "/en/antrag/",
        "senden": "Continue to check your answers",
        "schnell": "That was very quick",
        "pruefen": "Please check your answers",
        "absenden": "Send application",
        "danke": "Thank you! Your application has been received.",
        "doppelt": "This application has already been received",
        "limit": "Too many requests",
        "bot": "Application not accepted",
    },
}


@pytest.mark.parametrize("sprache", ["de", "en"])
def test_quick_person_repeat_and_limit_pages(page, tmp_path, settings, sprache, output_dir):
    settings.ANTRAG_MINDESTZEIT_SEKUNDEN = 3600  # nobody is that slow: the first try is "quick"
    settings.RATELIMITS = {**settings.RATELIMITS, "antrag_email": "2/h"}
    t = TEXTE[sprache]
    pdf = write_pdf(tmp_path)
    page.goto(t["pfad"])
    fill_application(page, pdf, sprache=sprache)
    send_application(page, sprache=sprache)
    page.get_by_text(t["schnell"]).wait_for()
    assert not Antrag.objects.exists()
    # Back on the check page with a plain message, not on the form (nor any bot's field).
    page.get_by_role("heading", name=t["pruefen"]).wait_for()
    assert page.locator("#zu-schnell").inner_text().startswith(t["schnell"])
    assert page.locator("#id_webseite").count() == 0
    assert_no_axe_violations(page)

    # Sent again a moment later from the check page: the values and the chosen file are kept.
    settings.ANTRAG_MINDESTZEIT_SEKUNDEN = 0
    page.get_by_role("button", name=t["absenden"]).click()
    page.get_by_text(t["danke"]).wait_for()
    assert Antrag.objects.count() == 1
    assert Antrag.objects.get().anlagen.count() == 1

    # The same Antrag once more: not stored again.
    page.goto(t["pfad"])
    fill_application(page, pdf, sprache=sprache)
    send_application(page, sprache=sprache)
    page.get_by_role("heading", name=t["doppelt"]).wait_for()
    assert Antrag.objects.count() == 1
    assert_no_axe_violations(page)
    bildschirmfoto(page, output_dir / f"bereits-eingegangen-{sprache}.png")

    # And again: the address's two per hour are used up.
    page.goto(t["pfad"])
    fill_application(page, pdf, sprache=sprache)
    send_application(page, sprache=sprache)
    page.get_by_role("heading", name=t["limit"]).wait_for()
    assert Antrag.objects.count() == 1
    assert_no_axe_violations(page)
    bildschirmfoto(page, output_dir / f"zu-viele-anfragen-{sprache}.png")


@pytest.mark.parametrize("sprache", ["de", "en"])
def test_a_program_that_fills_the_hidden_field_is_refused(page, tmp_path, settings, sprache):
    settings.ANTRAG_MINDESTZEIT_SEKUNDEN = 0
    t = TEXTE[sprache]
    page.goto(t["pfad"])
    # A person cannot see or reach the field: it lies outside the page, out of the tab order.
    box = page.locator("#id_webseite").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert page.locator("#id_webseite").get_attribute("tabindex") == "-1"
    fill_application(page, write_pdf(tmp_path), sprache=sprache)
    page.locator("#id_webseite").evaluate("el => el.value = 'https://spam.example'")
    page.get_by_role("button", name=t["senden"]).click()
    page.get_by_role("heading", name=t["bot"]).wait_for()
    assert not Antrag.objects.exists()
    assert_no_axe_violations(page)
