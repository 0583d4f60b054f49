"""The ledger's figures as people read them: the district page with fund and central projects
on a phone and a desktop, in German and English; a Rückforderung written off by a second
account and the case closed, by clicking; axe on each of these pages."""

from decimal import Decimal

import pytest
from django.utils import timezone

from antraege.models import Antrag, Status
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import workflow
from quartiere.models import Aktionsraum
from tests.factories import (
    auszahlen,
    fonds_bewilligen,
    projektbuero_user,
    submitted_antrag,
    zentral_bewilligt,
)

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, bildschirmfoto
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def hoerde_mit_geld():
    """The issue's case: 2.000,50 € granted from Hörde's fund, 50,50 € asked back and
    received; and one central-budget project of the same area."""
    staff = projektbuero_user()
    antrag = submitted_antrag(
        beantragter_betrag=Decimal("2000.50"),
        titel="Stadtteilfest am Marktplatz",
        aktionsraum=Aktionsraum.objects.get(slug="hoerde"),
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(antrag, Decimal("2000.50"), by=staff)
    auszahlen(antrag, "2000.50", staff)
    workflow.antrag_rueckfordern(
        antrag=antrag, betrag=Decimal("50.50"), by=staff, kommentar="Nicht verbraucht."
    )
    workflow.rueckzahlung_buchen(
        antrag=antrag,
        betrag=Decimal("50.50"),
        datum=timezone.localdate(),
        referenz="Kasse 1",
        by=projektbuero_user("kasse"),
    )
    zentral = zentral_bewilligt(staff, "3000.00")
    Antrag.objects.filter(pk=zentral.pk).update(titel="Sprachcafé für Eltern")
    return staff


@pytest.mark.parametrize(
    ("pfad", "breite", "texte"),
    [
        (
            "/aktionsraeume/hoerde/",
            1280,
            ["Projekte aus dem Aktionsraumfonds", "Noch verfügbar: 3.050\xa0€ von 5.000\xa0€"],
        ),
        ("/aktionsraeume/hoerde/", 320, ["Projekte aus dem zentralen Projektbudget"]),
        (
            "/en/aktionsraeume/hoerde/",
            375,
            ["Projects from the action area fund", "Still available: 3,050\xa0€ of 5,000\xa0€"],
        ),
    ],
)
def test_the_district_page_shows_one_set_of_figures(new_page, output_dir, pfad, breite, texte):
    hoerde_mit_geld()
    page = new_page(width=breite, height=800)
    page.goto(pfad)
    fonds = page.locator("section", has=page.locator("#fonds-titel"))
    for text in texte:
        fonds.get_by_text(text).first.wait_for()
    summen = page.locator(".projekt-summe").all_text_contents()
    assert "2.000,50" in summen[0] or "2,000.50" in summen[0]
    assert "3.000,00" in summen[1] or "3,000.00" in summen[1]
    assert "Sprachcafé" not in page.locator(".projektliste").first.text_content()
    # The accounting is behind "Wie wir rechnen": hidden until opened.
    gebunden = fonds.locator('[data-wert="gebunden"]')
    assert not gebunden.is_visible()
    fonds.locator(".wie-wir-rechnen summary").click()
    assert gebunden.inner_text().startswith(("1.950,00", "1,950.00"))
    bildschirmfoto(page, output_dir / f"bezirk-hauptbuch-{breite}.png")
    assert_no_horizontal_scrolling(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("sprache", ["de", "en"])
def test_a_second_person_writes_off_the_rest_and_closes_the_case(new_page, output_dir, sprache):
    erste = projektbuero_user("erste-person")
    antrag = zentral_bewilligt(erste, "500.00")
    auszahlen(antrag, "500.00", erste)
    workflow.antrag_rueckfordern(
        antrag=antrag, betrag=Decimal("100.00"), by=erste, kommentar="Nur 400 € belegt."
    )
    zweite = projektbuero_user("zweite-person")
    texte = {
        "de": ("Begründung", "Offenen Rest niederschlagen", "niedergeschlagen", "Abschließen"),
        "en": ("Reason", "Write off the open remainder", "written off", "Close the case"),
    }[sprache]
    j = Journey(
        new_page(locale="de-DE" if sprache == "de" else "en-GB"),
        f"niederschlagung-{sprache}",
        output_dir,
    )
    j.anmelden(zweite.username, sprache=sprache)
    j.page.goto(f"{'/en' if sprache == 'en' else ''}/admin/antraege/antrag/{antrag.pk}/change/")
    assert_no_axe_violations(j.page)
    j.foto("rueckzahlung-offen")
    j.page.get_by_label(texte[0], exact=True).fill("Der Verein ist aufgelöst.")
    j.page.get_by_role("button", name=texte[1]).click()
    j.meldung(texte[2])
    j.schritt_nehmen(texte[3])
    j.meldung("abgeschlossen" if sprache == "de" else "closed")
    stand = antrag_geldstand(Antrag.objects.get(pk=antrag.pk))
    assert (stand.niedergeschlagen, stand.gebunden) == (Decimal("100.00"), Decimal("500.00"))
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ABGESCHLOSSEN
    j.foto("abgeschlossen")
    for seite in ["uebersicht", "bericht"]:
        j.page.goto(f"{'/en' if sprache == 'en' else ''}/admin/antraege/haushaltsjahr/{seite}/")
        assert_no_axe_violations(j.page)
        j.foto(seite)
    j.ohne_dialog()
