"""A funded project residents can find, in the browser: the applicant agrees to a project page
in the form; after the grant and the Nachweis she adds a report and a photo through her status
link; residents find the page in the programme's list and read it (phone and desk); a project
without consent is an anonymous row; withdrawing the consent takes the page down at once."""

from decimal import Decimal

import pytest
from PIL import Image

from antraege.models import Antrag, Status
from antraege.services import budget
from tests.factories import entscheidungsreif, fonds_bewilligen, projektbuero_user, submitted_antrag

from .helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scrolling,
    field,
    fill_application,
    send_application,
    write_pdf,
)
from .journey import Journey, status_link_aus_mail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def foto(tmp_path):
    pfad = tmp_path / "fest.png"
    Image.new("RGB", (1200, 800), (60, 140, 90)).save(pfad, format="PNG")
    return pfad


def test_a_project_page_with_photo_is_found_and_withdrawn_at_once(new_page, output_dir, tmp_path):
    from django.utils import timezone

    budget.haushaltsjahr_mit_programmbetraegen(jahr=timezone.localdate().year, nur_erstes=False)
    staff = projektbuero_user()
    ohne = submitted_antrag(
        titel="Geheimes Hoffest", beantragter_betrag=Decimal("300.00"), oeffentlich_vorstellen=False
    )
    fonds_bewilligen(entscheidungsreif(ohne, staff), Decimal("300.00"), staff)

    # The applicant agrees in the form and writes two sentences for the public.
    j = Journey(new_page(width=375, height=800), "projektseite-antrag", output_dir)
    page = j.page
    page.goto("/antrag/")
    fill_application(page, write_pdf(tmp_path))
    page.get_by_label("Ja, mein Projekt darf nach der Bewilligung", exact=False).check()
    field(page, "Kurzbeschreibung für die Projektseite").fill(
        "Ein Fest auf dem Marktplatz, zu dem die ganze Nachbarschaft kommt."
    )
    j.foto("einverstaendnis")
    send_application(page)
    page.get_by_role("heading", name="Vielen Dank").wait_for()
    antrag = Antrag.objects.get(titel="Nachbarschaftsfest am Marktplatz")
    assert antrag.oeffentlich_vorstellen is True
    fonds_bewilligen(entscheidungsreif(antrag, staff), antrag.beantragter_betrag, staff)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.NACHWEIS_EINGEREICHT)

    # After the Nachweis: report and photo through the status link.
    status = status_link_aus_mail(antrag, "eingegangen")
    page.goto(status)
    page.get_by_role("link", name="Bericht und Foto hinzufügen").click()
    field(page, "Kurzbericht: Wie ist Ihr Projekt gelaufen?").fill(
        "Achtzig Menschen kamen, es gab Musik und Kuchen."
    )
    field(page, "Ein Foto (freiwillig)").set_input_files(str(foto(tmp_path)))
    field(page, "Was ist auf dem Foto zu sehen?").fill("Menschen an langen Tischen")
    field(page, "Wer hat das Foto gemacht?").fill("Beispielverein")
    page.get_by_role("button", name="Auf der Projektseite zeigen").click()
    page.get_by_text("Bericht und Foto stehen jetzt auf der Projektseite.").wait_for()
    j.foto("bericht-gespeichert")

    # A resident finds it in the programme's list; the other project is an anonymous row.
    for breite in (375, 1280):
        bewohner = Journey(new_page(width=breite), f"projektseite-{breite}", output_dir)
        seite = bewohner.page
        seite.goto("/")
        seite.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Projekte"
        ).click()
        liste = seite.locator(".projektliste").inner_text()
        assert "Geheimes Hoffest" not in liste
        assert "Ein Projekt (ohne veröffentlichten Titel)" in liste
        assert_no_axe_violations(seite)
        bewohner.foto("liste")
        seite.get_by_role("link", name="Nachbarschaftsfest am Marktplatz").click()
        bild = seite.get_by_role("img", name="Menschen an langen Tischen")
        bild.wait_for()
        assert seite.evaluate("document.querySelector('.projekt-foto img').naturalWidth") > 0
        text = seite.locator("main").inner_text()
        assert "Achtzig Menschen kamen" in text and "Foto: Beispielverein" in text
        assert "Erika Beispiel" not in text and "Beispielverein e. V." not in text
        assert_no_horizontal_scrolling(seite)
        assert_no_axe_violations(seite)
        bewohner.foto("profil")
    profil_url = seite.url

    # Withdrawn on the status page: gone at once, for the resident too.
    page.goto(status)
    karte = page.locator("#projektseite")
    karte.get_by_role("button", name="Projektseite herausnehmen").click()
    page.get_by_text("Bitte bestätigen Sie mit dem Häkchen").wait_for()
    assert Antrag.objects.get(pk=antrag.pk).oeffentlich_vorstellen is True
    page.locator("#projektseite").get_by_label("Ja, die Projektseite soll verschwinden").check()
    page.locator("#projektseite").get_by_role("button", name="Projektseite herausnehmen").click()
    page.get_by_text("Die Projektseite ist herausgenommen.").wait_for()
    j.foto("herausgenommen")
    assert seite.goto(profil_url).status == 404
    seite.goto("/projekte/")
    assert "Nachbarschaftsfest am Marktplatz" not in seite.locator("main").inner_text()
