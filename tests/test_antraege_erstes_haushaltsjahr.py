"""A fresh install can grant at once: the current year is set up with the programme's
amounts (226,000 EUR, 5,000 EUR per Aktionsraumfonds), and so is the example data's year."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from antraege.models import Aktionsraumfonds, Haushaltsjahr
from antraege.services import budget
from quartiere.models import Aktionsraum

from .factories import projektbuero_user, zentral_bewilligt

pytestmark = [pytest.mark.django_db, pytest.mark.ohne_haushaltsjahr]


def test_a_fresh_install_sets_up_the_current_year_with_the_programmes_amounts():
    assert not Haushaltsjahr.objects.exists()
    ausgabe = io.StringIO()
    call_command("erstes_haushaltsjahr", stdout=ausgabe)
    hj = Haushaltsjahr.objects.get()
    assert hj.jahr == timezone.localdate().year and hj.eingerichtet
    assert (hj.gesamtbudget, hj.fonds_je_aktionsraum) == (Decimal("226000.00"), Decimal("5000"))
    aktive = Aktionsraum.objects.active().count()
    assert aktive == 13 and hj.fonds.count() == aktive
    assert set(Aktionsraumfonds.objects.values_list("betrag", flat=True)) == {Decimal("5000")}
    assert f"Haushaltsjahr {hj.jahr} eingerichtet" in ausgabe.getvalue()
    # The demo can grant right away.
    antrag = zentral_bewilligt(projektbuero_user(), "1000.00")
    assert antrag.bewilligter_betrag == Decimal("1000.00")


def test_once_a_year_is_set_up_the_command_changes_nothing():
    hj = Haushaltsjahr.objects.create(
        jahr=timezone.localdate().year - 1, gesamtbudget=Decimal("100000"), eingerichtet=True
    )
    budget.haushaltsjahr_einrichten(haushaltsjahr=hj)
    call_command("erstes_haushaltsjahr", stdout=io.StringIO())
    call_command("erstes_haushaltsjahr", stdout=io.StringIO())
    assert list(Haushaltsjahr.objects.values_list("jahr", "gesamtbudget")) == [
        (hj.jahr, Decimal("100000.00"))
    ]


def test_the_example_data_sets_up_its_year_so_that_the_demo_can_grant(settings):
    settings.DEBUG = True
    call_command("beispieldaten_laden", stdout=io.StringIO())
    hj = Haushaltsjahr.objects.get(jahr=timezone.localdate().year)
    assert hj.eingerichtet and hj.gesamtbudget == Decimal("226000.00")
    assert hj.fonds.count() == 13


def test_the_make_targets_set_up_the_first_year():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    for ziel in ("setup:", "serve:"):
        rezept = makefile.split(f"\n{ziel}", 1)[1].split("\n\n", 1)[0]
        assert "manage.py erstes_haushaltsjahr" in rezept, ziel


@pytest.mark.parametrize("seite", ["uebersicht/", "uebersicht/csv/", "bericht/", "bericht/xlsx/"])
def test_reading_the_overview_or_report_creates_no_year(client, seite):
    client.force_login(projektbuero_user())
    antwort = client.get(f"/admin/antraege/haushaltsjahr/{seite}")
    assert antwort.status_code == 404 and not Haushaltsjahr.objects.exists()
    Haushaltsjahr.objects.create(jahr=timezone.localdate().year - 1, eingerichtet=True)
    antwort = client.get(f"/admin/antraege/haushaltsjahr/{seite}", {"jahr": "1999"})
    assert antwort.status_code == 200  # the newest year there is, the current one is not made
    assert Haushaltsjahr.objects.count() == 1
