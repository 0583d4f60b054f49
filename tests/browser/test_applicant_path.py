"""An applicant fills the whole form, fixes an error, submits and withdraws via the mailed link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from antraege.models import Antrag, Status

from .helpers import assert_no_axe_violations, field, fill_application, weiter, write_pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def check_accessibility(page, javascript):
    # axe runs as JavaScript in the page; the no-JS run checks the same pages' behaviour only.
    if javascript:
        assert_no_axe_violations(page)


def status_path(live_server):
    message = next(m for m in mail.outbox if m.to == ["erika@example.org"])
    url = re.search(r"http://\S+(/antrag/status/[A-Za-z0-9_-]+/)", message.body).group(1)
    return url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_applicant_submits_fixes_an_error_and_withdraws(
    new_page, live_server, tmp_path, javascript
):
    page = new_page(javascript=javascript)
    page.goto("/aktionsraeume/hoerde/")
    page.get_by_role("link", name="Antrag stellen").last.click()
    page.wait_for_url("**/antrag/start/?aktionsraum=hoerde")
    page.get_by_role("heading", name="Was Sie brauchen").wait_for()
    check_accessibility(page, javascript)
    page.get_by_role("link", name="Antrag beginnen").click()
    page.wait_for_url("**/antrag/?aktionsraum=hoerde")
    fill_application(page, write_pdf(tmp_path))
    # Back two steps: everything typed is still there.
    page.get_by_role("button", name="Zurück", exact=True).click()
    page.locator("#schritt-antragsteller").wait_for()
    assert field(page, "IBAN").input_value() == "DE89 3704 0044 0532 0130 00"
    page.get_by_role("button", name="Zurück", exact=True).click()
    page.locator("#schritt-kosten").wait_for()
    assert page.locator("#id_kosten-0-betrag").input_value() == "300,00"
    # A cent too fine: the amount asked for cannot be computed until it is fixed.
    page.locator("#id_kosten-1-betrag").fill("200,005")
    page.get_by_role("button", name="Weiter", exact=True).click()

    summary = page.locator("#fehler")
    assert "Kostenposition 2: Bitte geben Sie höchstens zwei Nachkommastellen" in (
        summary.inner_text()
    )
    # The summary has the focus, so that a screen reader starts there. Chromium applies
    # autofocus at its next rendering step, so this waits for it (and fails if it never comes).
    expect(summary).to_be_focused()
    assert page.locator("#schritt-kosten").is_visible()
    assert page.locator("#id_kosten-0-betrag").input_value() == "300,00"
    check_accessibility(page, javascript)
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_kosten-1-betrag")
    page.locator("#id_kosten-1-betrag").fill("200,00")
    if not javascript:
        page.get_by_role("button", name="Neu berechnen").click()
        page.wait_for_url("**/antrag/#id_beantragter_betrag_anzeige")
    ergebnis = page.locator('.kostenrechnung [data-rechnung="beantragt"]')
    expect(ergebnis).to_have_text("350,00\u00a0€")
    weiter(page, "antragsteller")
    weiter(page, "anlagen")
    # The file chosen before is still there (nobody selects it twice), the consent too.
    anlagen = page.locator(".vorlaeufige-anlagen")
    assert anlagen.get_by_text("Projektkonzept.pdf").is_visible()
    assert page.get_by_label(re.compile("Datenschutzhinweis gelesen")).is_checked()
    page.get_by_role("button", name="Weiter zur Prüfung").click()
    page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").wait_for()
    assert page.locator("#beantragter-betrag").inner_text() == "350,00\u00a0€"
    check_accessibility(page, javascript)
    # "Ändern" beside a section leads to that step, values in place, and back to the check.
    page.get_by_role("button", name="Ändern: Ziele und Zielgruppe").click()
    page.locator("#schritt-ziele").wait_for()
    assert field(page, "Zielgruppe").input_value() == "Familien im Quartier"
    field(page, "Zielgruppe").fill("Nachbarinnen und Nachbarn")
    page.get_by_role("button", name="Weiter zur Prüfung").click()
    page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben").wait_for()
    assert "Nachbarinnen und Nachbarn" in page.locator("main").inner_text()
    assert page.locator("#beantragter-betrag").inner_text() == "350,00\u00a0€"
    page.get_by_role("button", name="Antrag absenden").click()

    page.wait_for_url("**/antrag/eingereicht/")
    aktenzeichen = page.locator(".aktenzeichen").inner_text()
    antrag = Antrag.objects.get()
    assert aktenzeichen == antrag.aktenzeichen
    assert antrag.anlagen.count() == 1 and antrag.kosten.count() == 2
    check_accessibility(page, javascript)

    page.goto(status_path(live_server))
    assert page.locator(".antrag-status").inner_text() == "Eingegangen"
    assert page.get_by_role("link", name="Projektkonzept.pdf").is_visible()
    check_accessibility(page, javascript)
    page.get_by_role("link", name="Antrag zurückziehen …").click()
    page.wait_for_url("**/zurueckziehen/")
    check_accessibility(page, javascript)
    field(page, "Grund (freiwillig)").fill("Das Fest fällt aus.")
    # Without the tick the page says so, keeps the reason and changes nothing.
    page.get_by_role("button", name="Antrag endgültig zurückziehen").click()
    page.get_by_text("Bitte bestätigen Sie, dass Sie den Antrag zurückziehen möchten.").wait_for()
    assert field(page, "Grund (freiwillig)").input_value() == "Das Fest fällt aus."
    check_accessibility(page, javascript)
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT
    page.get_by_label(f"Ja, ich ziehe den Antrag {antrag.aktenzeichen} zurück.").check()
    page.get_by_role("button", name="Antrag endgültig zurückziehen").click()
    page.wait_for_selector("text=Ihr Antrag wurde zurückgezogen.")
    assert page.locator(".antrag-status").inner_text() == "Zurückgezogen"
    antrag.refresh_from_db()
    assert antrag.status == Status.ZURUECKGEZOGEN
