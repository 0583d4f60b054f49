"""Nothing chosen is lost and a service that guides (issue 16, points 2 and 3), as a person
clicks it, in German and English, at 1280 and 375 px, with axe on every new page: the start
page, a file kept over an error and removed again, the check page and going back from it,
saving for later and coming back through the mailed link, and an expired link."""

import re

import pytest
from django.core import mail

from antraege.models import Antrag, Entwurf, VorlaeufigeAnlage

from .helpers import (
    ZUSTIMMUNG,
    assert_no_axe_violations,
    assert_no_horizontal_scrolling,
    bildschirmfoto,
    field,
    fill_application,
    t,
    write_pdf,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def seite_ok(page):
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_start_page_file_kept_over_an_error_check_page_and_back(
    new_page, tmp_path, sprache, breite, output_dir
):
    prefix = "/en" if sprache == "en" else ""
    page = new_page(width=breite, locale="en-GB" if sprache == "en" else "de-DE")
    page.goto(prefix + "/aktionsraeume/hoerde/")
    page.get_by_role("link", name=t(sprache, "Antrag stellen")).last.click()
    page.get_by_role("heading", name=t(sprache, "Was Sie brauchen")).wait_for()
    assert page.get_by_role("heading", name=t(sprache, "Wer entscheidet")).is_visible()
    seite_ok(page)
    bildschirmfoto(page, output_dir / f"antrag-start-{sprache}-{breite}.png")
    page.get_by_role("link", name=t(sprache, "Antrag beginnen")).click()
    page.wait_for_url(f"**{prefix}/antrag/?aktionsraum=hoerde")

    fill_application(page, write_pdf(tmp_path), sprache=sprache)
    # The last step with an error: the consent not given.
    zustimmung = page.get_by_label(t(sprache, ZUSTIMMUNG))
    zustimmung.uncheck()
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()
    page.locator("#fehler").wait_for()
    # The file chosen before the error is listed, not lost.
    anlagen = page.locator(".vorlaeufige-anlagen")
    assert anlagen.get_by_text("Projektkonzept.pdf").is_visible()
    assert VorlaeufigeAnlage.objects.count() == 1
    seite_ok(page)
    bildschirmfoto(page, output_dir / f"antrag-schritt-anlagen-fehler-{sprache}-{breite}.png")
    # Removed, it is gone; chosen again, it is listed again.
    page.get_by_role("button", name=t(sprache, "%(name)s entfernen") % {
        "name": "Projektkonzept.pdf"}).click()  # fmt: skip
    page.wait_for_url("**#anlagen")
    assert not page.locator(".vorlaeufige-anlagen").count()
    assert not VorlaeufigeAnlage.objects.exists()
    field(page, t(sprache, "Anlagen (freiwillig)")).set_input_files(str(write_pdf(tmp_path)))
    zustimmung.check()
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()

    page.get_by_role("heading", name=t(sprache, "Bitte prüfen Sie Ihre Angaben")).wait_for()
    text = page.locator("main").inner_text()
    assert "Nachbarschaftsfest am Marktplatz" in text and "Projektkonzept.pdf" in text
    assert "DE89 3704 0044 0532 0130 00" in text
    betrag = "350,00\u00a0€" if sprache == "de" else "350.00\u00a0€"
    assert page.locator("#beantragter-betrag").inner_text() == betrag
    assert not Antrag.objects.exists()
    seite_ok(page)
    bildschirmfoto(page, output_dir / f"antrag-pruefen-{sprache}-{breite}.png")

    # Back to change one part: that step, with everything still there, and back.
    page.get_by_role("button", name=t(sprache, "Ändern") + ": " + t(sprache, "Ihr Projekt")).click()
    page.locator("#schritt-projekt").wait_for()
    seite_ok(page)
    bildschirmfoto(page, output_dir / f"antrag-schritt-aendern-{sprache}-{breite}.png")
    titel = field(page, t(sprache, "Titel des Projekts"))
    assert titel.input_value() == "Nachbarschaftsfest am Marktplatz"
    titel.fill("Nachbarschaftsfest im Park")
    page.get_by_role("button", name=t(sprache, "Weiter zur Prüfung")).click()
    page.get_by_role("heading", name=t(sprache, "Bitte prüfen Sie Ihre Angaben")).wait_for()
    text = page.locator("main").inner_text()
    assert "Nachbarschaftsfest im Park" in text and "Projektkonzept.pdf" in text
    page.get_by_role("button", name=t(sprache, "Antrag absenden")).click()
    page.wait_for_url("**/antrag/eingereicht/")
    antrag = Antrag.objects.get()
    assert antrag.titel == "Nachbarschaftsfest im Park"
    assert [a.dateiname for a in antrag.anlagen.all()] == ["Projektkonzept.pdf"]
    assert antrag.sprache == sprache
    assert not Entwurf.objects.exists()


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_saving_for_later_and_coming_back_through_the_mailed_link(
    new_page, tmp_path, sprache, breite
):
    prefix = "/en" if sprache == "en" else ""
    page = new_page(width=breite, locale="en-GB" if sprache == "en" else "de-DE")
    page.goto(prefix + "/antrag/?aktionsraum=hoerde")
    page.get_by_label(t(sprache, "Aktionsraumfonds (kleine Aktionen, bis 5.000 €)")).check()
    field(page, t(sprache, "Titel des Projekts")).fill("Lesecafé")
    field(page, t(sprache, "Beschreibung")).fill("Bücher zum Ausleihen und Kaffee.")
    page.get_by_role("button", name=t(sprache, "Weiter"), exact=True).click()
    page.locator("#schritt-ziele").wait_for()
    field(page, t(sprache, "Zielgruppe")).fill("Alle im Quartier")
    # Without an address there is nowhere to send the link: the step that asks for it comes,
    # with the reason; nothing is kept yet.
    page.get_by_role("button", name=t(sprache, "Speichern und später weitermachen")).click()
    page.get_by_text(
        t(
            sprache,
            "Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Ihnen den Link zum "
            "Weitermachen schicken können.",
        )
    ).first.wait_for()
    assert page.locator("#schritt-antragsteller").is_visible()
    assert not Entwurf.objects.filter(gespeichert_am__isnull=False).exists()
    field(page, t(sprache, "E-Mail")).fill("erika@example.org")
    page.get_by_role("button", name=t(sprache, "Speichern und später weitermachen")).click()
    page.get_by_role("heading", name=t(sprache, "Ihr Entwurf ist gespeichert")).wait_for()
    seite_ok(page)

    message = next(m for m in mail.outbox if m.to == ["erika@example.org"])
    link = re.search(r"http://[^/\s]+(\S*/antrag/entwurf/[A-Za-z0-9_-]+/)", message.body).group(1)
    assert link.startswith(prefix + "/antrag/entwurf/")
    weiter = new_page(width=breite, locale="en-GB" if sprache == "en" else "de-DE")
    weiter.goto(link)
    weiter.locator(".kern-alert--info").wait_for()
    # On at the first step that still lacks something, without an error shown yet.
    weiter.locator("#schritt-ziele").wait_for()
    assert field(weiter, t(sprache, "Zielgruppe")).input_value() == "Alle im Quartier"
    assert not weiter.locator("#fehler").count()
    seite_ok(weiter)
    # "Zurück" from there: the step before, with what was typed.
    weiter.get_by_role("button", name=t(sprache, "Zurück"), exact=True).click()
    weiter.locator("#schritt-projekt").wait_for()
    assert "/antrag/entwurf/" not in weiter.url
    assert field(weiter, t(sprache, "Titel des Projekts")).input_value() == "Lesecafé"


@pytest.mark.parametrize("sprache", ["de", "en"])
def test_an_expired_or_made_up_draft_link_says_what_happened(new_page, sprache):
    prefix = "/en" if sprache == "en" else ""
    page = new_page(width=375)
    antwort = page.goto(prefix + "/antrag/entwurf/" + "A" * 43 + "/")
    assert antwort.status == 404
    page.get_by_role(
        "heading", name=t(sprache, "Dieser Link führt zu keinem Entwurf mehr")
    ).wait_for()
    seite_ok(page)
    page.get_by_role("link", name=t(sprache, "Neuen Antrag beginnen")).click()
    page.get_by_role("heading", name=t(sprache, "Was Sie brauchen")).wait_for()
