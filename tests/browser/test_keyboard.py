"""The whole application form can be filled and sent with the keyboard alone, focus visible."""

import pytest

from antraege.models import Antrag

from .helpers import assert_focus_visible, tab_to, tab_to_name

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def type_into(page, element_id, text):
    tab_to(page, element_id)
    page.keyboard.type(text)


def weiter_mit_tab(page, naechster):
    """Tab to "Weiter" (every stop with visible focus), Enter, and the next step is there."""
    tab_to_name(page, "Weiter")
    page.keyboard.press("Enter")
    page.locator(f"#schritt-{naechster}").wait_for()


def test_application_form_can_be_filled_and_sent_with_the_keyboard_alone(page):
    page.goto("/antrag/?aktionsraum=hoerde")
    tab_to(page, "id_finanzierungsquelle_0")
    page.keyboard.press("Space")
    type_into(page, "id_titel", "Lesecafé")
    type_into(page, "id_beschreibung", "Vorlesen für Kinder")
    weiter_mit_tab(page, "ziele")
    tab_to(page, "id_ziele_1")
    page.keyboard.press("Space")
    type_into(page, "id_zielgruppe", "Kinder")
    type_into(page, "id_teilnehmende", "15")
    # Enter in a field goes on, as "Weiter" does.
    page.keyboard.press("Enter")
    page.locator("#schritt-termin").wait_for()
    # Day equals month: the same keys mean the same date in German and US field order.
    type_into(page, "id_beginn", "05052027")
    type_into(page, "id_ende", "06062027")
    type_into(page, "id_durchfuehrungsort", "Bücherei")
    weiter_mit_tab(page, "kosten")
    for element_id, text in [
        ("id_kosten-0-beschreibung", "Bücher"),
        ("id_kosten-0-betrag", "120,00"),
        ("id_eigenmittel", "20"),
    ]:
        type_into(page, element_id, text)
    weiter_mit_tab(page, "antragsteller")
    tab_to(page, "id_antragsteller_art_0")
    page.keyboard.press("Space")
    for element_id, text in [
        ("id_ansprechperson", "Erika Beispiel"),
        ("id_strasse", "Beispielstraße 1"),
        ("id_plz", "44263"),
        ("id_email", "erika@example.org"),
        ("id_kontoinhaber", "Erika Beispiel"),
        ("id_iban", "DE89370400440532013000"),
    ]:
        type_into(page, element_id, text)
    weiter_mit_tab(page, "anlagen")
    tab_to(page, "id_datenschutz")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Weiter zur Prüfung"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").wait_for()
    page.wait_for_load_state("load")
    tab_to_name(page, "Antrag absenden")
    page.keyboard.press("Enter")
    page.wait_for_url("**/antrag/eingereicht/")
    antrag = Antrag.objects.get()
    assert (antrag.titel, antrag.ziel_eltern_kinder, str(antrag.beginn)) == (
        "Lesecafé",
        True,
        "2027-05-05",
    )


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    # The jump is a navigation to the fragment: wait for it instead of reading the address at once.
    page.wait_for_url("**/#inhalt")
    assert page.url.endswith("#inhalt")
