"""Each district page shows this year's fund and the granted projects, without personal data."""

from decimal import Decimal

import pytest

from antraege.models import Antrag, Status
from antraege.services import budget
from quartiere.models import Aktionsraum

from .factories import submitted_antrag

pytestmark = pytest.mark.django_db


def grant(antrag, betrag):
    fonds = budget.fonds_fuer(haushaltsjahr=antrag.haushaltsjahr, aktionsraum=antrag.aktionsraum)
    fonds.buchungen.create(
        haushaltsjahr=antrag.haushaltsjahr, antrag=antrag, art="bewilligung", betrag=betrag
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.BEWILLIGT, bewilligter_betrag=betrag)


def test_district_page_shows_the_fund_before_any_application(client):
    html = client.get("/aktionsraeume/marten/").content.decode()
    assert "Fonds insgesamt" in html and "5.000,00\xa0€" in html
    assert "noch keine Projekte bewilligt" in html


def test_district_page_shows_granted_available_and_projects_without_personal_data(client):
    area = Aktionsraum.objects.get(slug="marten")
    antrag = submitted_antrag(
        aktionsraum=area,
        titel="Spielplatzfest",
        ziel_eltern_kinder=True,
        beantragter_betrag=Decimal("1250.50"),
    )
    grant(antrag, Decimal("1250.50"))
    submitted_antrag(aktionsraum=area, titel="Noch offen")
    html = client.get("/aktionsraeume/marten/").content.decode()
    assert "1.250,50\xa0€" in html  # granted
    assert "3.749,50\xa0€" in html  # still available
    assert "Spielplatzfest" in html and "Eltern und Kinder im Quartier stärken" in html
    assert "Noch offen" not in html
    for personal in ["Erika Beispiel", "erika@example.org", "DE89", "Beispielstraße"]:
        assert personal not in html


def test_other_areas_do_not_show_the_grant(client):
    area = Aktionsraum.objects.get(slug="marten")
    grant(submitted_antrag(aktionsraum=area, titel="Spielplatzfest"), Decimal("100.00"))
    assert "Spielplatzfest" not in client.get("/aktionsraeume/hoerde/").content.decode()
