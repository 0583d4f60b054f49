"""The Verwendungsnachweis as grant offices ask for it (issue 16, point 6), clicked as people
click: the applicant reports planned against actual per cost row, fixes a missing row, sees
the unspent difference on the check page before sending, changes a figure and sends with the
receipts; staff type in a Nachweis received on paper and find the Rückforderung prefilled.
In German and English, at 1280 and 375 px, with axe on every new page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag, Eingang, Status
from tests.factories import auszahlen, projektbuero_user, token, zentral_bewilligt

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, t, write_pdf
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
    pytest.mark.parametrize("breite", [1280, 375]),
    pytest.mark.parametrize("sprache", ["de", "en"]),
]

ZWEI_ZEILEN = [("Material", Decimal("600.00")), ("Miete Saal", Decimal("400.00"))]


def bezahlt(staff):
    antrag = zentral_bewilligt(staff, kosten=ZWEI_ZEILEN)
    auszahlen(antrag, "1000.00", staff)
    return Antrag.objects.get(pk=antrag.pk)


def zeile(sprache, nummer, art):
    return t(sprache, "Kostenposition %(nummer)s: %(art)s, tatsächlich ausgegeben") % {
        "nummer": nummer,
        "art": art,
    }


def geld(sprache, betrag: str) -> str:
    """An amount as a person types it: 1.250,00 in German, 1,250.00 in English."""
    if sprache == "de":
        return betrag
    return betrag.replace(".", "#").replace(",", ".").replace("#", ",")


def test_the_applicant_reports_each_row_and_sees_the_difference_before_sending(
    new_page, output_dir, tmp_path, sprache, breite
):
    antrag = bezahlt(projektbuero_user())
    j = Journey(new_page(width=breite), f"nachweis-{sprache}-{breite}", output_dir)
    page = j.page
    page.goto(("/en" if sprache == "en" else "") + f"/antrag/status/{token(antrag)}/")
    page.get_by_role("link", name=t(sprache, "Verwendungsnachweis einreichen")).click()
    page.get_by_label(zeile(sprache, 1, "Material")).wait_for()
    # Money fields start empty; the plan stands beside each row.
    assert page.get_by_label(zeile(sprache, 2, "Miete Saal")).input_value() == ""
    assert t(sprache, "Geplant: %(betrag)s") % {"betrag": geld(sprache, "400,00") + "\xa0€"} in (
        page.locator("main").inner_text()
    )
    j.foto("formular")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)

    page.get_by_label(t(sprache, "Kurzbericht")).fill("Hoffest mit 80 Gästen.")
    page.get_by_label(zeile(sprache, 1, "Material")).fill(geld(sprache, "550,00"))
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()
    summary = page.locator("#fehler")
    expect(summary).to_be_focused()
    fehlt = t(
        sprache,
        "Bitte geben Sie an, wie viel für Kostenposition %(nummer)s tatsächlich ausgegeben "
        "wurde (0, wenn nichts).",
    ) % {"nummer": 2}
    assert fehlt in summary.inner_text()
    assert_no_axe_violations(page)
    summary.get_by_role("link").first.click()
    page.get_by_label(zeile(sprache, 2, "Miete Saal")).fill(geld(sprache, "380,00"))
    page.get_by_label(t(sprache, "Eigenmittel, tatsächlich")).fill(geld(sprache, "30,00"))
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()

    page.get_by_role(
        "heading", name=t(sprache, "Bitte prüfen Sie Ihren Verwendungsnachweis")
    ).wait_for()
    euro = lambda betrag: geld(sprache, betrag) + "\xa0€"  # noqa: E731
    assert page.locator("#gesamtausgaben").inner_text() == euro("930,00")
    assert page.locator("#verwendet").inner_text() == euro("900,00")
    assert page.locator("#nicht-verbraucht").inner_text() == euro("100,00")
    assert euro("100,00") in page.locator("#differenz").inner_text()
    tabelle = page.get_by_role("table", name=t(sprache, "Zahlenmäßiger Nachweis je Kostenposition"))
    assert tabelle.get_by_role("row").nth(1).inner_text().split("\t") == [
        "1. Material",
        euro("600,00"),
        euro("550,00"),
        euro("-50,00"),
    ]
    j.foto("pruefen")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)
    assert Antrag.objects.get(pk=antrag.pk).status == Status.AUSGEZAHLT

    # Back to the form: every figure is still there; one is changed.
    page.get_by_role("button", name=t(sprache, "Angaben ändern")).click()
    erste = page.get_by_label(zeile(sprache, 1, "Material"))
    assert erste.input_value() == geld(sprache, "550,00")
    erste.fill(geld(sprache, "570,00"))
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()
    expect(page.locator("#nicht-verbraucht")).to_have_text(euro("80,00"))
    # Sending without a receipt stays on the check page.
    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis absenden")).click()
    expect(page.locator("#fehler")).to_be_focused()
    assert page.locator("#nicht-verbraucht").inner_text() == euro("80,00")
    page.get_by_label(t(sprache, "Belege")).set_input_files(str(write_pdf(tmp_path)))
    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis absenden")).click()

    page.get_by_text(t(sprache, "Danke! Ihr Verwendungsnachweis ist eingegangen.")).wait_for()
    assert euro("570,00") in page.locator("main").inner_text()
    j.foto("eingegangen")
    nachweis = Antrag.objects.get(pk=antrag.pk).verwendungsnachweise.get()
    assert nachweis.ausgegebener_betrag == Decimal("920.00")
    assert [p.ausgegeben for p in nachweis.positionen.all()] == [
        Decimal("570.00"),
        Decimal("380.00"),
    ]
    assert nachweis.belege.count() == 1


def test_staff_type_in_a_paper_nachweis_and_find_the_rueckforderung_prefilled(
    new_page, output_dir, sprache, breite
):
    staff = projektbuero_user()
    antrag = bezahlt(staff)
    j = Journey(new_page(width=breite), f"papiernachweis-{sprache}-{breite}", output_dir)
    page = j.page
    j.anmelden(staff.username, sprache=sprache)
    page.goto(("/en" if sprache == "en" else "") + f"/admin/antraege/antrag/{antrag.pk}/change/")
    page.get_by_role("link", name=t(sprache, "Verwendungsnachweis auf Papier erfassen")).click()
    page.get_by_label(t(sprache, "Kurzbericht")).fill("Per Post: Hoffest mit 50 Gästen.")
    page.get_by_label(zeile(sprache, 1, "Material")).fill(geld(sprache, "500,00"))
    j.foto("papier-formular")
    assert_no_axe_violations(page)
    # A row left out: the page says which, nothing is stored.
    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis speichern")).click()
    page.locator("#fehler").wait_for()
    assert "2" in page.locator("#fehler").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label(zeile(sprache, 2, "Miete Saal")).fill(geld(sprache, "250,00"))
    page.get_by_role("button", name=t(sprache, "Verwendungsnachweis speichern")).click()

    j.meldung(t(sprache, "Verwendungsnachweis auf Papier erfasst: %s") % antrag.aktenzeichen)
    assert page.locator('[data-wert="verwendet"]').inner_text() == geld(sprache, "750,00") + (
        "\xa0€"
    )
    rueckforderung = page.get_by_label(t(sprache, "Betrag der Rückforderung"))
    assert rueckforderung.input_value() == geld(sprache, "250,00")
    j.foto("papier-gespeichert")
    assert_no_axe_violations(page)
    nachweis = Antrag.objects.get(pk=antrag.pk).verwendungsnachweise.get()
    assert nachweis.eingang == Eingang.PAPIER and nachweis.erfasst_von == staff
