"""The Antrag's page as a case file, as the Projektbüro uses it at 1280 and 768 px (issue 36
point 2): the answer to a Rückfrage with its changed fields on top, a step card that keeps what
was typed when the step is refused, the timeline; axe finds nothing and the page never scrolls
sideways."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag
from antraege.services import einreichung
from tests.factories import antrag_daten

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling
from .journey import Journey, schritt_karte

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.mark.parametrize("breite", [1280, 768])
def test_the_answer_and_a_refused_step_on_the_case_file(new_page, output_dir, rueckfrage, breite):
    einreichung.antrag_rueckfrage_beantworten(
        antrag=Antrag.objects.get(pk=rueckfrage.pk),
        antwort="Die Saalmiete ist für den Gemeindesaal an der Hörder Brücke.",
        daten=antrag_daten(titel="Sommerfest am Phoenix-See", beantragter_betrag=Decimal("620")),
        kosten=[("Material", Decimal("500.00")), ("Saalmiete", Decimal("120.00"))],
    )
    staff = rueckfrage.verlauf.exclude(user=None).last().user
    j = Journey(new_page(width=breite, height=900), f"akte-{breite}", output_dir)
    j.anmelden(staff.username)
    j.page.goto(f"/admin/antraege/antrag/{rueckfrage.pk}/change/")
    oben = j.page.get_by_role("region", name="Antwort und Änderungen")
    expect(oben.locator('tr[data-feld="titel"] td').nth(1)).to_have_text(
        "Sommerfest am Phoenix-See"
    )
    expect(oben.locator('tr[data-feld="kosten"] td').nth(1)).to_contain_text("Saalmiete: 120,00")
    j.foto("antwort-oben")
    assert_no_horizontal_scrolling(j.page)
    assert_no_axe_violations(j.page)

    # A Rückfrage without its question: refused, the note kept, the error links to the field.
    karte = j.schritt_nehmen(
        "Rückfrage stellen", {"Interne Notiz (nur für die Verwaltung)": "Tel."}
    )
    j.karten_fehler("Rückfrage stellen", "Bitte schreiben Sie Ihre Rückfrage in das Kommentarfeld.")
    expect(karte.get_by_label("Interne Notiz (nur für die Verwaltung)")).to_have_value("Tel.")
    karte.locator(".fehler-zusammenfassung a").click()
    expect(karte.get_by_label("Ihre Rückfrage (Pflichtfeld)")).to_be_focused()
    j.foto("rueckfrage-ohne-frage")
    assert_no_horizontal_scrolling(j.page)
    assert_no_axe_violations(j.page)
    j.schritt_nehmen("Rückfrage stellen", {"Ihre Rückfrage (Pflichtfeld)": "Wer leitet das Fest?"})
    j.meldung("Neuer Status: Rückfrage")
    # The new question is the newest entry of the timeline; no card is left open.
    erster = j.page.locator("ol.zeitleiste > li").first
    expect(erster).to_contain_text("in Prüfung → Rückfrage")
    expect(erster).to_contain_text("Wer leitet das Fest?")
    expect(schritt_karte(j.page, "Ohne Antwort weiter prüfen")).not_to_have_attribute("open", "")
    j.foto("rueckfrage-gestellt")
    j.ohne_dialog()
