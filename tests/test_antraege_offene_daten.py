"""Open data (issue 40, point 6): the funded projects and the yearly figures per area as CSV
and JSON under stable addresses, with licence and field descriptions, the same figures as the
ledger, and no personal data."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from antraege.models import Antrag, Haushaltsjahr
from antraege.selectors import berichte, offene_daten
from quartiere.models import Aktionsraum

from .factories import (
    auszahlen,
    entscheidungsreif,
    fonds_bewilligen,
    projektbuero_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gefoerdert():
    """A fund project (dates and place may be shown), a central one (they may not), and an
    Antrag that was not granted."""
    staff = projektbuero_user()
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    fonds = submitted_antrag(
        aktionsraum=hoerde,
        titel='=HYPERLINK("http://x")',
        email="erika@example.org",
        iban="DE89370400440532013000",
        ansprechperson="Erika Beispiel",
    )
    Antrag.objects.filter(pk=fonds.pk).update(termin_ort_oeffentlich=True)
    entscheidungsreif(fonds, staff)
    fonds_bewilligen(fonds, Decimal("80.00"), staff)
    auszahlen(fonds, "50.00", staff)
    zentral = zentral_bewilligt(staff, betrag="1000.00")
    Antrag.objects.filter(pk=zentral.pk).update(termin_ort_oeffentlich=False)
    auszahlen(zentral, "600.00", staff)
    submitted_antrag(titel="Nicht bewilligt")
    return fonds, zentral


def _csv(client, name):
    response = client.get(f"/antrag/offene-daten/{name}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_projects_are_listed_with_the_ledgers_figures_and_nothing_personal(client, gefoerdert):
    fonds, zentral = gefoerdert
    zeilen = {z["titel"]: z for z in _csv(client, "projekte")}
    assert set(zeilen) == {'\'=HYPERLINK("http://x")', zentral.titel}  # a formula stays text
    f = zeilen['\'=HYPERLINK("http://x")']
    assert (f["finanzierung"], f["bewilligt_eur"]) == ("fonds", "80.00")
    # What was paid to one project is not published (applicants were told: the amount).
    assert "ausgezahlt_eur" not in f
    assert f["beginn"] == fonds.beginn.isoformat() and f["ort"] == fonds.durchfuehrungsort
    z = zeilen[zentral.titel]
    assert (z["finanzierung"], z["bewilligt_eur"]) == ("projektbudget", "1000.00")
    assert z["beginn"] == z["ende"] == z["ort"] == ""  # not promised to be public
    roh = client.get("/antrag/offene-daten/projekte.csv").content.decode()
    roh += client.get("/antrag/offene-daten/projekte.json").content.decode()
    personen = [fonds.email, fonds.iban[:8], fonds.ansprechperson, fonds.strasse, fonds.plz]
    assert all(personen) and "erika@example.org" in personen
    for persoenlich in personen + [zentral.email, zentral.strasse, zentral.plz, "600.00"]:
        assert persoenlich not in roh


def test_the_json_carries_licence_fields_and_the_same_rows(client, gefoerdert):
    inhalt = json.loads(client.get("/antrag/offene-daten/projekte.json").content)
    assert inhalt["lizenz"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert inhalt["lizenz_url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert list(inhalt["felder"]) == list(offene_daten.PROJEKT_FELDER)
    assert {d["bewilligt_eur"] for d in inhalt["daten"]} == {"80.00", "1000.00"}
    assert inhalt["stand"] == timezone.localdate().isoformat()


def test_the_yearly_figures_per_area_match_the_fund_and_the_ledger(client, gefoerdert):
    fonds, zentral = gefoerdert
    jahr = Haushaltsjahr.objects.get(eingerichtet=True).jahr
    zeilen = {
        (int(z["haushaltsjahr"]), z["aktionsraum_kennung"]): z for z in _csv(client, "kennzahlen")
    }
    assert len(zeilen) == 13  # every area with a fund this year
    hoerde = zeilen[(jahr, "hoerde")]
    assert Decimal(hoerde["fonds_eur"]) == Decimal("5000.00")
    assert Decimal(hoerde["fonds_bewilligt_eur"]) == Decimal("80.00")
    assert Decimal(hoerde["fonds_ausgezahlt_eur"]) == Decimal("50.00")
    assert Decimal(hoerde["fonds_verfuegbar_eur"]) == Decimal("4920.00")
    # The same figure as the area's page shows.
    seite = berichte.fonds_transparenz(aktionsraum=fonds.aktionsraum)
    assert Decimal(hoerde["fonds_verfuegbar_eur"]) == seite["verfuegbar"]
    raum = zentral.aktionsraum.slug
    assert Decimal(zeilen[(jahr, raum)]["projektbudget_bewilligt_eur"]) == Decimal("1000.00")
    assert sum(int(z["projekte"]) for z in zeilen.values()) == 2


def test_the_overview_page_names_licence_formats_and_every_field(client):
    html = client.get("/antrag/offene-daten/").content.decode()
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert 'href="/antrag/offene-daten/projekte.csv"' in html
    assert 'href="/antrag/offene-daten/kennzahlen.json"' in html
    for feld in [*offene_daten.PROJEKT_FELDER, *offene_daten.KENNZAHL_FELDER]:
        assert f"<code>{feld}</code>" in html
    assert 'href="/antrag/offene-daten/"' in client.get("/").content.decode()  # in the footer


@pytest.mark.parametrize(
    "pfad", ["/antrag/offene-daten/nutzer.csv", "/antrag/offene-daten/projekte.xml"]
)
def test_only_the_two_datasets_in_the_two_formats_exist(client, pfad):
    assert client.get(pfad).status_code == 404
