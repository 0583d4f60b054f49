"""The Verwendungsnachweis with a cost not planned and several receipts (issue 37, point 6),
clicked as an applicant clicks: "Weitere Ausgabe hinzufügen" on the form, the row on the check
page marked as not planned, two receipts uploaded before sending, a third refused (the two stay
chosen), then sent. On a phone in German and on a desktop in English; axe finds nothing."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag, Status
from tests.factories import PDF_BYTES, auszahlen, projektbuero_user, token, zentral_bewilligt

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, t
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def geld(sprache, betrag: str) -> str:
    return betrag if sprache == "de" else betrag.replace(",", ".")


@pytest.mark.parametrize(("sprache", "breite"), [("de", 375), ("en", 1280)])
def test_a_cost_not_planned_and_receipts_kept_until_sent(
    new_page, output_dir, tmp_path, sprache, breite
):
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, kosten=[("Material", Decimal("600.00"))], betrag="600.00")
    auszahlen(antrag, "600.00", staff)
    j = Journey(new_page(width=breite), f"nachweis-belege-{sprache}-{breite}", output_dir)
    page = j.page
    page.goto(("/en" if sprache == "en" else "") + f"/antrag/status/{token(antrag)}/")
    page.get_by_role("link", name=t(sprache, "Verwendungsnachweis einreichen")).click()
    page.get_by_label(t(sprache, "Kurzbericht")).fill("Hoffest mit 80 Gästen.")
    zeile = t(sprache, "Kostenposition %(nummer)s: %(art)s, tatsächlich ausgegeben")
    page.get_by_label(zeile % {"nummer": 1, "art": "Material"}).fill(geld(sprache, "450,00"))
    page.get_by_role("button", name=t(sprache, "Weitere Ausgabe hinzufügen")).click()
    wofuer = page.get_by_label(t(sprache, "Weitere Ausgabe %(n)d: wofür?") % {"n": 1})
    # The values typed so far stay; the new row has no error yet.
    expect(page.get_by_label(t(sprache, "Kurzbericht"))).to_have_value("Hoffest mit 80 Gästen.")
    assert page.locator("#fehler").count() == 0
    wofuer.fill("Ersatz für den defekten Grill")
    page.get_by_label(t(sprache, "Weitere Ausgabe %(n)d: Betrag") % {"n": 1}).fill(
        geld(sprache, "100,00")
    )
    j.foto("weitere-ausgabe")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()

    tabelle = page.get_by_role("table", name=t(sprache, "Zahlenmäßiger Nachweis je Kostenposition"))
    ungeplant = tabelle.locator("tr.ungeplant")
    expect(ungeplant).to_contain_text("2. Ersatz für den defekten Grill")
    expect(ungeplant).to_contain_text(t(sprache, "nicht geplant"))
    expect(page.locator("#gesamtausgaben")).to_have_text(geld(sprache, "550,00") + "\xa0€")

    belege = []
    for name in ("rechnung-1.pdf", "rechnung-2.pdf"):
        datei = tmp_path / name
        datei.write_bytes(PDF_BYTES)
        belege.append(str(datei))
    page.get_by_label(t(sprache, "Belege")).set_input_files(belege)
    page.get_by_role("button", name=t(sprache, "Dateien hochladen, noch nicht absenden")).click()
    gewaehlt = page.locator(".vorlaeufige-anlagen li")
    expect(gewaehlt).to_have_count(2)
    kaputt = tmp_path / "programm.pdf"
    kaputt.write_bytes(b"MZ\x90\x00" * 50)
    page.get_by_label(t(sprache, "Belege")).set_input_files(str(kaputt))
    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis absenden")).click()
    expect(page.locator("#fehler")).to_be_focused()
    assert "programm.pdf" in page.locator("#fehler").inner_text()
    expect(gewaehlt).to_have_count(2)  # the two receipts are still chosen
    j.foto("beleg-abgelehnt")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)
    assert Antrag.objects.get(pk=antrag.pk).status == Status.AUSGEZAHLT

    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis absenden")).click()
    page.get_by_text(t(sprache, "Danke! Ihr Verwendungsnachweis ist eingegangen.")).wait_for()
    j.foto("eingegangen")
    nachweis = Antrag.objects.get(pk=antrag.pk).verwendungsnachweise.get()
    assert sorted(b.dateiname for b in nachweis.belege.all()) == [
        "rechnung-1.pdf",
        "rechnung-2.pdf",
    ]
    assert [(p.beschreibung, p.ungeplant) for p in nachweis.positionen.all()] == [
        ("Material", False),
        ("Ersatz für den defekten Grill", True),
    ]


def test_enter_in_a_field_goes_on_to_the_check_page(new_page):
    """The browser's default button is the first of the form: Enter in an amount goes on to
    the check page, it adds no row (the visible button for that comes first on the page)."""
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, kosten=[("Material", Decimal("600.00"))], betrag="600.00")
    auszahlen(antrag, "600.00", staff)
    page = new_page(width=375)
    page.goto(f"/antrag/status/{token(antrag)}/nachweis/")
    page.get_by_label("Kurzbericht").fill("Fest")
    betrag = page.get_by_label("Kostenposition 1: Material, tatsächlich ausgegeben")
    betrag.fill("600,00")
    betrag.press("Enter")
    page.get_by_role("heading", name="Bitte prüfen Sie Ihren Verwendungsnachweis").wait_for()
    assert page.locator("input[name=weitere-0-beschreibung]").count() == 0
