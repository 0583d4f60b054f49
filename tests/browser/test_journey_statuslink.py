"""A forwarded status link is replaced: staff click "Neuen Statuslink senden", the old link
stops working and the applicant opens the new one from the mail; the outbox shows no link."""

import pytest
from playwright.sync_api import expect

from tests.factories import projektbuero_user, submitted_antrag

from .journey import Journey, status_link_aus_mail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def test_staff_replace_a_status_link_and_only_the_new_one_works(new_page, output_dir):
    staff = projektbuero_user()
    antrag = submitted_antrag(titel="Nachbarschaftsgarten")
    alter_link = status_link_aus_mail(antrag, "ist eingegangen")

    bewerbung = Journey(new_page(width=375, height=800), "statuslink-antrag", output_dir)
    bewerbung.page.goto(alter_link)
    bewerbung.page.get_by_text(antrag.aktenzeichen).first.wait_for()
    bewerbung.foto("alter-link-geht")

    j = Journey(new_page(), "statuslink", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Anträge").click()
    page.get_by_role("link", name=antrag.aktenzeichen).click()
    page.get_by_role("button", name="Neuen Statuslink senden").click()
    assert "Der bisherige Link gilt nicht mehr" in j.meldung("Neuer Statuslink an")
    j.foto("neuer-link-gesendet")
    page.locator("ol.zeitleiste > li", has_text="Neuer Statuslink gesendet").first.wait_for()

    page.goto("/admin/antraege/ausgehendemail/")
    page.get_by_role("link", name=f"Ihr Antrag {antrag.aktenzeichen}: neuer Statuslink").click()
    # Read once the page has loaded (the click only starts the navigation).
    expect(page.locator("#content")).to_contain_text("[Statuslink]")
    assert "/antrag/status/" not in page.locator("#content").inner_text()
    j.foto("postausgang-ohne-link")
    j.ohne_dialog()

    antwort = bewerbung.page.goto(alter_link)
    assert antwort.status == 404
    bewerbung.foto("alter-link-abgelaufen")
    neuer_link = status_link_aus_mail(antrag, "neuer Statuslink")
    assert neuer_link != alter_link
    bewerbung.page.goto(neuer_link)
    bewerbung.page.get_by_text("Nachbarschaftsgarten").first.wait_for()
    bewerbung.foto("neuer-link-geht")
    bewerbung.ohne_dialog()
