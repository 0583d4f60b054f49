"""An area leaves the programme, in the browser: the Projektbüro sets its last Haushaltsjahr and
its successor on the area's admin page; residents then find it among the former areas, its page
says until when it belonged and where to turn now, and the application form no longer offers
it."""

import pytest
from django.utils import timezone

from antraege.services import budget
from quartiere.models import Aktionsraum, Gebietsart, Zustaendigkeit
from tests.factories import projektbuero_user

from .helpers import assert_no_axe_violations
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
    # Last year was Hörde's last: this year is not set up yet (no fund of Hörde in it).
    pytest.mark.ohne_haushaltsjahr,
]


def test_the_projektbuero_retires_an_area_and_residents_see_it_as_former(new_page, output_dir):
    vorjahr = timezone.localdate().year - 1
    budget.haushaltsjahr_mit_programmbetraegen(jahr=vorjahr, nur_erstes=False)
    Aktionsraum.objects.create(
        name="Hörde-Clarenberg (Beispiel)",
        slug="hoerde-clarenberg-beispiel",
        art=Gebietsart.AKTIONSQUARTIER,
        zustaendigkeit=Zustaendigkeit.STADTERNEUERUNG,
        stadtbezirk="Hörde",
    )
    pb = projektbuero_user()
    j = Journey(new_page(), "gebiet-ausscheiden", output_dir)
    page = j.page
    j.anmelden(pb.username)
    page.goto("/admin/quartiere/aktionsraum/")
    page.locator("#result_list").get_by_role("link", name="Hörde", exact=True).click()
    page.get_by_label("Letztes Haushaltsjahr").fill(str(vorjahr))
    page.get_by_label("Nachfolgendes Gebiet").select_option(label="Hörde-Clarenberg (Beispiel)")
    page.get_by_role("button", name="Sichern", exact=True).click()
    j.meldung("wurde erfolgreich geändert")
    j.foto("admin-gespeichert")

    bewohner = Journey(
        new_page(width=375, height=800), "gebiet-ausscheiden-oeffentlich", output_dir
    )
    seite = bewohner.page
    seite.goto("/")
    ehemalige = seite.locator("#gebiete-ehemalige").locator("xpath=..")
    assert f"bis {vorjahr}; heute: Hörde-Clarenberg (Beispiel)" in ehemalige.inner_text()
    quartiere = seite.locator("#gebiete-quartiere").locator("xpath=..")
    assert "Hörde-Clarenberg (Beispiel)" in quartiere.inner_text()
    ehemalige.get_by_role("link", name="Hörde", exact=True).click()
    hinweis = seite.locator("#gebiet-bis").inner_text()
    assert f"Dieses Gebiet gehörte bis {vorjahr} zum Aktionsplan." in hinweis
    assert seite.locator("main").get_by_role("link", name="Antrag stellen").count() == 0
    assert_no_axe_violations(seite)
    bewohner.foto("ehemaliges-gebiet")
    seite.locator("#gebiet-bis").get_by_role("link", name="Hörde-Clarenberg (Beispiel)").click()
    seite.locator("main").get_by_role("link", name="Antrag stellen").click()
    seite.get_by_role("link", name="Antrag beginnen").click()
    optionen = seite.locator("select[name=aktionsraum] option").all_inner_texts()
    assert "Hörde" not in optionen and "Hörde-Clarenberg (Beispiel)" in optionen
    assert len(optionen) == 1 + 12 + 1  # "Bitte wählen", twelve Aktionsräume, the new Quartier
