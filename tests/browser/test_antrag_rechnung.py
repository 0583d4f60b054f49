"""The form does the arithmetic (issue 16, point 1), in German and English, at 1280 and 375
px: money fields start empty, the total and the amount asked for follow the typing (and come
from the server after each round trip, also without JavaScript), rows are numbered, an added
row is where the page opens, and amounts come back in the page's own notation."""

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag

from .helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scrolling,
    field,
    fill_application,
    send_application,
    weiter,
    write_pdf,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

NBSP = "\u00a0"
# The same amounts as each language writes them.
SCHREIBWEISE = {
    "de": {"a": "1.000,5", "b": "350", "eigen": "100", "a_zurueck": "1.000,50",
           "summe": f"1.350,50{NBSP}€", "beantragt": f"1.250,50{NBSP}€"},
    "en": {"a": "1,000.5", "b": "350", "eigen": "100", "a_zurueck": "1,000.50",
           "summe": f"1,350.50{NBSP}€", "beantragt": f"1,250.50{NBSP}€"},
}  # fmt: skip


def rechnung(page, name):
    return page.locator(f'.kostenrechnung [data-rechnung="{name}"]')


def test_an_amount_typed_while_the_script_still_loads_is_counted(page):
    """The script is deferred: a person (or a slow line) may type before it runs. The browser
    is made to wait for the script until the amount is typed; the sum still follows."""
    page.goto("/antrag/?aktionsraum=hoerde")
    fill_application(page, None, bis="termin")
    field(page, "Beginn").fill("2027-05-01")
    field(page, "Ende").fill("2027-05-02")
    field(page, "Ort der Durchführung").fill("Marktplatz")
    gehalten = []
    page.route("**/js/antrag.js", lambda route: gehalten.append(route))
    with page.expect_request("**/js/antrag.js"):
        page.get_by_role("button", name="Weiter", exact=True).click(no_wait_after=True)
    page.locator("#schritt-kosten").wait_for()
    page.locator("#id_kosten-0-betrag").fill("120")
    expect(rechnung(page, "beantragt")).to_have_text("noch offen")
    assert len(gehalten) == 1, "the browser did not wait for the script"
    gehalten[0].continue_()
    expect(rechnung(page, "beantragt")).to_have_text(f"120,00{NBSP}€")
    assert page.locator("#id_beantragter_betrag").input_value() == "120,00"


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_totals_follow_the_typing_and_an_added_row_is_where_the_page_opens(
    new_page, sprache, breite
):
    w = SCHREIBWEISE[sprache]
    page = new_page(width=breite, locale="en-GB" if sprache == "en" else "de-DE")
    page.goto(("/en" if sprache == "en" else "") + "/antrag/?aktionsraum=hoerde")
    fill_application(page, None, sprache=sprache, bis="kosten")
    for name in ["eigenmittel", "eigenleistung", "drittmittel"]:
        assert page.locator(f"#id_{name}").input_value() == ""
    expect(rechnung(page, "beantragt")).to_have_text("noch offen" if sprache == "de" else
                                                     "not known yet")  # fmt: skip
    assert page.get_by_role("group", name="Kostenposition 2" if sprache == "de" else
                            "Cost item 2").is_visible()  # fmt: skip
    page.locator("#id_kosten-0-beschreibung").fill("Bühne")
    page.locator("#id_kosten-0-betrag").fill(w["a"])
    page.locator("#id_kosten-1-beschreibung").fill("Technik")
    page.locator("#id_kosten-1-betrag").fill(w["b"])
    page.locator("#id_eigenmittel").fill(w["eigen"])
    expect(page.locator('.kosten-summe [data-rechnung="gesamtkosten"]')).to_have_text(w["summe"])
    expect(rechnung(page, "beantragt")).to_have_text(w["beantragt"])
    # No JavaScript is needed for this: the button is for pages without it.
    assert not page.locator('button[name="neu_berechnen"]').is_visible()
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)

    page.get_by_role(
        "button",
        name="Weitere Kostenposition hinzufügen" if sprache == "de" else "Add another cost item",
    ).click()
    page.wait_for_url("**#kostenposition-3")
    # The script puts the cursor into the new row.
    expect(page.locator("#id_kosten-2-beschreibung")).to_be_focused()
    assert page.get_by_role("group", name="Kostenposition 3" if sprache == "de" else
                            "Cost item 3").is_visible()  # fmt: skip
    # What was typed is kept, written the page's way, and the sums came from the server.
    assert page.locator("#id_kosten-0-betrag").input_value() == w["a_zurueck"]
    expect(page.locator('.kosten-summe [data-rechnung="gesamtkosten"]')).to_have_text(w["summe"])
    expect(rechnung(page, "beantragt")).to_have_text(w["beantragt"])
    assert page.locator("#id_beantragter_betrag").input_value() == w["beantragt"][:-2]
    assert not page.locator("#fehler").count()
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)


def test_without_javascript_the_server_computes_after_each_round_trip(new_page):
    page = new_page(javascript=False)
    page.goto("/antrag/")
    fill_application(page, None, bis="kosten")
    page.locator("#id_kosten-0-beschreibung").fill("Bühne")
    page.locator("#id_kosten-0-betrag").fill("1350,5")
    page.locator("#id_eigenleistung").fill("50")
    page.get_by_role("button", name="Neu berechnen").click()
    page.wait_for_url("**/antrag/#id_beantragter_betrag_anzeige")
    assert page.locator("#id_kosten-0-betrag").input_value() == "1.350,50"
    assert rechnung(page, "gesamtkosten").inner_text() == f"1.350,50{NBSP}€"
    assert rechnung(page, "eigenleistung").inner_text() == f"− 50,00{NBSP}€"
    assert rechnung(page, "beantragt").inner_text() == f"1.300,50{NBSP}€"
    assert not page.locator("#fehler").count()


def test_an_amount_changed_behind_the_page_is_refused_and_nothing_stored(new_page, tmp_path):
    page = new_page()
    page.goto("/antrag/?aktionsraum=hoerde")
    fill_application(page, write_pdf(tmp_path), bis="antragsteller")
    page.get_by_role("button", name="Zurück", exact=True).click()
    page.locator("#schritt-kosten").wait_for()
    expect(rechnung(page, "beantragt")).to_have_text(f"350,00{NBSP}€")
    # As if someone edited the page: the amount sent is not the one the values give.
    page.evaluate("document.getElementById('id_beantragter_betrag').value = '4.999,00'")
    page.get_by_role("button", name="Weiter", exact=True).click()
    summary = page.locator("#fehler")
    expect(summary).to_contain_text("ergibt sich jetzt ein beantragter Betrag von 350,00 €")
    assert not Antrag.objects.exists()
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_beantragter_betrag_anzeige")
    assert page.locator("#id_beantragter_betrag").input_value() == "350,00"
    assert_no_axe_violations(page)
    weiter(page, "antragsteller")
    fill_application(page, write_pdf(tmp_path), ab="antragsteller")
    send_application(page)
    page.wait_for_url("**/antrag/eingereicht/")
    assert str(Antrag.objects.get().beantragter_betrag) == "350.00"
