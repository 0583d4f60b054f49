"""Review in the browser: in Prüfung, a Rückfrage, the applicant answers through the mailed
link and corrects the Kostenplan, staff read the answer and mark the Antrag entscheidungsreif."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag, Status
from tests.factories import projektbuero_user, submitted_antrag

from .journey import FEINDLICH, Journey, mails_an, status_link_aus_mail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def aufgabe(page, titel):
    """The start page's number for one task, as a link."""
    row = page.locator("table.aufgaben tr", has=page.locator("th", has_text=titel))
    return row.get_by_role("link")


@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_a_rueckfrage_is_answered_through_the_mailed_link(new_page, output_dir, texte):
    staff = projektbuero_user()
    antrag = submitted_antrag(titel="Lesecafé", beantragter_betrag=Decimal("100.00"))
    frage = "Wer leitet das Lesecafé, und was kostet das Material genau?"
    antwort = "Frau Beispiel leitet es; das Material kostet 120 €."
    if texte == "feindlich":
        frage, antwort = FEINDLICH + frage, FEINDLICH + antwort

    j = Journey(new_page(), f"pruefung-{texte}", output_dir)
    page = j.page
    j.anmelden(staff.username)
    assert aufgabe(page, "Neue Anträge").inner_text() == "1"
    aufgabe(page, "Neue Anträge").click()
    page.get_by_role("link", name=antrag.aktenzeichen).click()
    j.foto("antrag-neu")
    j.schritt_nehmen("Prüfung beginnen")
    j.meldung("Neuer Status: in Prüfung")
    j.schritt_nehmen("Rückfrage stellen", {"Ihre Rückfrage": frage})
    j.meldung("Neuer Status: Rückfrage")
    j.foto("rueckfrage-gestellt")

    bewerbung = Journey(new_page(width=375, height=800), f"pruefung-{texte}-antrag", output_dir)
    seite = bewerbung.page
    seite.goto(status_link_aus_mail(antrag, "Rückfrage"))
    seite.get_by_text(frage).first.wait_for()
    bewerbung.foto("status-mit-frage")
    seite.get_by_role("link", name="Rückfrage beantworten", exact=True).click()
    # The short answer page links to the page that also changes the Antrag's values.
    seite.get_by_role("link", name="Angaben im Antrag ändern", exact=True).click()
    seite.get_by_label("Ihre Antwort auf die Rückfrage").fill(antwort)
    seite.locator("#id_kosten-0-betrag").fill("120,00")
    # Enter in a field sends nothing on this page without a check step: the sums come again.
    seite.locator("#id_kosten-0-betrag").press("Enter")
    seite.wait_for_load_state()
    expect(seite.locator("#id_kosten-0-betrag")).to_have_value("120,00")
    expect(seite.get_by_label("Ihre Antwort auf die Rückfrage")).to_have_value(antwort)
    assert Antrag.objects.get(pk=antrag.pk).status == Status.RUECKFRAGE
    ergebnis = seite.locator('.kostenrechnung [data-rechnung="beantragt"]')
    expect(ergebnis).to_have_text("120,00\u00a0€")
    bewerbung.foto("antwort-ausgefuellt")
    seite.get_by_role("button", name="Antwort absenden").click()
    seite.get_by_text("Danke! Ihre Antwort ist bei uns eingegangen.").wait_for()
    bewerbung.foto("antwort-gesendet")
    assert seite.locator(".antrag-status").inner_text() == "Wird geprüft"
    bewerbung.ohne_dialog()

    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Start").click()
    assert aufgabe(page, "Offene Rückfragen").inner_text() == "0"
    assert aufgabe(page, "Antwort auf eine Rückfrage eingegangen").inner_text() == "1"
    # The answer is on the start page, as the applicant wrote it (shown as text), with a link.
    antworten = page.get_by_role("region", name="Antwort eingegangen")
    expect(antworten.locator("blockquote")).to_have_text(antwort)
    j.foto("startseite-antwort")
    antworten.get_by_role("link", name=re.compile(antrag.aktenzeichen)).click()
    # The answer on top of the Antrag, with the cost row the applicant changed, before and after.
    oben = page.get_by_role("region", name="Antwort und Änderungen")
    expect(oben.locator(".antwort-text")).to_have_text(antwort)
    kosten = oben.locator('tr[data-feld="kosten"]')
    expect(kosten.locator("td").nth(0)).to_contain_text("Material: 100,00\u00a0€")
    expect(kosten.locator("td").nth(1)).to_contain_text("Material: 120,00\u00a0€")
    assert "120,00" in page.locator("#kosten-group").inner_text()
    j.foto("antwort-gelesen")
    j.schritt_nehmen("Zur Projektkonferenz geben")
    j.meldung("Neuer Status: entscheidungsreif")
    j.foto("entscheidungsreif")
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Start").click()
    assert aufgabe(page, "Entscheidungsreif (Fonds)").inner_text() == "1"
    assert aufgabe(page, "Antwort auf eine Rückfrage eingegangen").inner_text() == "0"
    j.ohne_dialog()

    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag.status == Status.ENTSCHEIDUNGSREIF
    assert antrag.beantragter_betrag == Decimal("120.00")
    assert [k.betrag for k in antrag.kosten.all()] == [Decimal("120.00")]
    # "in Prüfung" and "entscheidungsreif" need nothing from the applicant: no mail for them;
    # the last one she got asked the question.
    betreffs = mails_an("erika@example.org")
    assert betreffs[-1] == f"Ihr Antrag {antrag.aktenzeichen}: Rückfrage an Sie"
    assert not [b for b in betreffs if b.endswith(("in Prüfung", "entscheidungsreif"))]
