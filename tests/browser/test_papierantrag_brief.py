"""Paper applications without e-mail (issue 16, point 7): staff type one in with a postal
address only and get the confirmation as a letter to print; after a step, the letter of the
new status. In German and English, at 1280 and 375 px, with axe on the letter page."""

import re

import pytest
from django.core import mail

from antraege.models import Antrag, AusgehendeMail, Eingang
from tests.factories import projektbuero_user

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, t
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def feld(page, sprache, label):
    """A control by its admin label ("Titel des Projekts:"; a required * may follow)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(t(sprache, label)) + r"\s*\*?:?\s*$"))


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_a_paper_application_without_email_gets_a_printed_confirmation(
    new_page, output_dir, sprache, breite
):
    staff = projektbuero_user()
    j = Journey(new_page(width=breite), f"papier-ohne-email-{sprache}-{breite}", output_dir)
    page = j.page
    j.anmelden(staff.username, sprache=sprache)
    page.goto(("/en" if sprache == "en" else "") + "/admin/antraege/antrag/papier/")
    feld(page, sprache, "Aktionsraum").select_option(label="Hörde")
    page.get_by_label(t(sprache, "Zentrales Projektbudget (größere Projekte)")).check()
    feld(page, sprache, "Titel des Projekts").fill("Erzählcafé")
    feld(page, sprache, "Beschreibung").fill("Ältere erzählen Kindern vom Stadtteil.")
    page.get_by_label(t(sprache, "Eltern und Kinder im Quartier stärken")).check()
    feld(page, sprache, "Zielgruppe").fill("Jung und Alt")
    feld(page, sprache, "Erwartete Teilnehmende").fill("30")
    feld(page, sprache, "Ort der Durchführung").fill("Seniorentreff")
    feld(page, sprache, "Beginn").fill("2027-06-01")
    feld(page, sprache, "Ende").fill("2027-06-01")
    page.get_by_label(t(sprache, "Privatperson (Bewohnerin oder Bewohner)"), exact=True).check()
    feld(page, sprache, "Ansprechperson").fill("Erika Beispiel")
    feld(page, sprache, "Straße und Hausnummer").fill("Beispielstraße 1")
    feld(page, sprache, "Postleitzahl").fill("44263")
    # No e-mail address: the field stays empty.
    feld(page, sprache, "Kontoinhaber/in").fill("Erika Beispiel")
    feld(page, sprache, "IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.locator("#id_kosten-0-beschreibung").fill("Kaffee und Kuchen")
    page.locator("#id_kosten-0-betrag").fill("150" if sprache == "de" else "150.00")
    einwilligung = "Die unterschriebene Einwilligung zum Datenschutzhinweis liegt auf Papier vor."
    page.get_by_label(t(sprache, einwilligung)).check()
    page.get_by_role("button", name=t(sprache, "Papierantrag speichern")).click()

    page.locator("main.brief").wait_for()
    antrag = Antrag.objects.get()
    assert antrag.email == "" and antrag.eingang == Eingang.PAPIER
    brief = page.locator("main.brief").inner_text()
    assert "Erika Beispiel" in brief and "44263 Dortmund" in brief
    assert antrag.aktenzeichen in brief
    # No working link on paper that staff print; the letter says whom to ask instead.
    assert "/antrag/status/" not in brief
    assert t(antrag.sprache or "de", "Projektbüro") in brief  # the letter is in its language
    assert not AusgehendeMail.objects.filter(empfaenger=[""]).exists()
    assert not [m for m in mail.outbox if "" in m.to]
    j.foto("brief")
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)
    # Printed, only the letter is on the paper.
    page.emulate_media(media="print")
    assert not page.locator(".nicht-drucken").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name=t(sprache, "Zurück zum Antrag")).click()
    page.get_by_role("link", name=t(sprache, "Brief zum aktuellen Stand drucken")).wait_for()


def test_the_printed_letter_fits_a_window_envelope(new_page, output_dir, settings):
    """Printed to PDF by the browser (A4), the letter follows DIN 5008 form B: the recipient in
    the address field (45 to 90 mm from the top, 20 to 105 mm from the left), the return line
    above the recipient, the reference block right of the address field (from 125 mm), and the
    footer with the Projektbüro's postal address after the greeting."""
    from pypdf import PdfReader

    from tests.factories import submitted_antrag

    settings.PROJEKTBUERO_ANSCHRIFT = ["Beispielstraße 1", "44135 Dortmund"]
    staff = projektbuero_user()
    # A long name of an organisation takes two lines: the town still fits the window.
    antrag = submitted_antrag(
        ansprechperson="Erika Beispiel",
        organisation="Förderverein der Gemeinschaftsgrundschule am Beispielpark e. V.",
    )
    Antrag.objects.filter(pk=antrag.pk).update(email="")
    j = Journey(new_page(), "brief-din5008", output_dir)
    j.anmelden(staff.username)
    j.page.goto(f"/admin/antraege/antrag/{antrag.pk}/brief/")
    pdf = output_dir / "journeys" / "brief-din5008" / "brief.pdf"
    j.page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)

    mm = 72 / 25.4
    seite = PdfReader(pdf).pages[0]
    hoehe = float(seite.mediabox.height)
    orte = {}

    def merken(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            orte.setdefault(text.strip(), (x / mm, (hoehe - y) / mm))

    seite.extract_text(visitor_text=merken)

    def ort(anfang):
        treffer = [o for text, o in orte.items() if text.startswith(anfang)]
        assert treffer, f"{anfang!r} not on the page: {sorted(orte)[:40]}"
        return treffer[0]

    links, oben = ort("Erika Beispiel")
    assert 20 <= links <= 105 and 45 <= oben <= 90, (links, oben)
    _links, stadt_oben = ort(f"{antrag.plz} {antrag.wohnort}")
    assert oben < stadt_oben <= 90 - 2, stadt_oben  # the last line inside the window
    ruecksende_links, ruecksende_oben = ort("Stadt Dortmund · Projektbüro")
    assert ruecksende_oben < oben and 45 <= ruecksende_oben <= 63, ruecksende_oben
    az_links, az_oben = ort(antrag.aktenzeichen)
    assert az_links >= 125 and 45 <= az_oben <= 100, (az_links, az_oben)
    assert links >= 24  # nothing of the address is cut off at the margin
    assert ort("Erika Beispiel")[0] == ort("Beispielstraße 1")[0]
    _links, gruss_oben = ort("Mit freundlichen Grüßen")
    _links, fuss_oben = ort("Projektbüro Aktionsplan Soziale Stadt · Beispielstraße 1")
    assert gruss_oben < fuss_oben < 297 - 20, (gruss_oben, fuss_oben)
