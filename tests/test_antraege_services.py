"""The service module's rules, called directly as views, admin and commands call them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from antraege.models import Aktionsraumfonds, Antrag, Haushaltsjahr, Status
from antraege.services import budget, einreichung
from quartiere.models import Aktionsraum

from .factories import AktionsraumFactory, antrag_daten, submitted_antrag

pytestmark = pytest.mark.django_db


def test_a_year_made_for_numbering_has_no_funds_until_staff_set_it_up():
    hj = budget.haushaltsjahr_fuer(jahr=2030)
    assert not hj.eingerichtet
    assert not Aktionsraumfonds.objects.filter(haushaltsjahr=hj).exists()


def test_new_year_has_226000_with_a_5000_fund_per_area_and_161000_central():
    hj = budget.haushaltsjahr_fuer(jahr=2030)
    hj.eingerichtet = True
    hj.save()
    budget.haushaltsjahr_einrichten(haushaltsjahr=hj)
    assert hj.gesamtbudget == Decimal("226000.00")
    funds = Aktionsraumfonds.objects.filter(haushaltsjahr=hj)
    assert funds.count() == 13
    assert {f.betrag for f in funds} == {Decimal("5000.00")}
    stand = budget.projektbudget_stand(haushaltsjahr=hj)
    assert stand.budget == Decimal("161000.00") and stand.verfuegbar == Decimal("161000.00")


def test_asking_for_the_same_year_twice_creates_it_once():
    assert budget.haushaltsjahr_fuer(jahr=2030) == budget.haushaltsjahr_fuer(jahr=2030)
    assert Haushaltsjahr.objects.filter(jahr=2030).count() == 1


def test_area_added_mid_year_gets_only_what_the_total_still_allows():
    hj = budget.haushaltsjahr_fuer(jahr=2030)
    Haushaltsjahr.objects.filter(pk=hj.pk).update(
        gesamtbudget=Decimal("67000.00"), eingerichtet=True
    )
    hj.refresh_from_db()
    budget.haushaltsjahr_einrichten(haushaltsjahr=hj)
    fonds = budget.fonds_fuer(haushaltsjahr=hj, aktionsraum=AktionsraumFactory())
    assert fonds.betrag == Decimal("2000.00")


def test_funds_may_not_add_up_to_more_than_the_total():
    with pytest.raises(ValidationError, match="mehr als das Projektbudget"):
        budget.fonds_summe_pruefen(
            gesamtbudget=Decimal("10000.00"), fonds_betraege=[Decimal("5000.00")] * 3
        )
    budget.fonds_summe_pruefen(
        gesamtbudget=Decimal("10000.00"), fonds_betraege=[Decimal("5000.00")] * 2
    )


def test_submission_refuses_a_wrong_requested_amount():
    with pytest.raises(ValidationError) as excinfo:
        submitted_antrag(kosten=[("x", Decimal("99.99"))])
    assert "beantragter_betrag" in excinfo.value.message_dict
    assert not Antrag.objects.exists()


def test_submission_refuses_more_than_5000_from_a_fund():
    with pytest.raises(ValidationError, match="höchstens 5.000,00"):
        submitted_antrag(beantragter_betrag=Decimal("5000.01"))


def test_submission_refuses_end_before_start():
    daten = antrag_daten()
    daten["ende"] = daten["beginn"] - timedelta(days=1)
    with pytest.raises(ValidationError, match="Das Ende darf nicht vor dem Beginn liegen"):
        einreichung.antrag_einreichen(daten=daten, kosten=[("x", Decimal("100.00"))])


def test_aktenzeichen_counts_per_year():
    first = submitted_antrag()
    second = submitted_antrag()
    assert (first.laufende_nummer, second.laufende_nummer) == (1, 2)
    assert second.aktenzeichen.endswith("-0002")


def test_withdraw_is_allowed_only_before_a_decision():
    antrag = submitted_antrag()
    for status in [Status.BEWILLIGT, Status.ABGELEHNT, Status.ZURUECKGEZOGEN]:
        Antrag.objects.filter(pk=antrag.pk).update(status=status)
        with pytest.raises(ValidationError, match="nicht mehr zurückgezogen"):
            einreichung.antrag_zurueckziehen(antrag=antrag)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.RUECKFRAGE)
    assert einreichung.antrag_zurueckziehen(antrag=antrag).status == Status.ZURUECKGEZOGEN


def test_fund_figures_come_from_the_bookings():
    area = Aktionsraum.objects.get(slug="marten")
    antrag = submitted_antrag(aktionsraum=area)
    fonds = budget.fonds_fuer(haushaltsjahr=antrag.haushaltsjahr, aktionsraum=area)
    fonds.buchungen.create(
        haushaltsjahr=antrag.haushaltsjahr,
        antrag=antrag,
        art="bewilligung",
        betrag=Decimal("100.00"),
    )
    stand = budget.fonds_stand(fonds=fonds)
    assert (stand.budget, stand.gebunden, stand.verfuegbar) == (
        Decimal("5000.00"),
        Decimal("100.00"),
        Decimal("4900.00"),
    )
