"""Staff move an Antrag through the workflow; granting books against the pot, never beyond it."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from antraege.models import Antrag, Buchung, Status
from antraege.services import budget, workflow

from .factories import (
    entscheidungsreif,
    fonds_bewilligen,
    submitted_antrag,
    token,
)

pytestmark = pytest.mark.django_db


ready = entscheidungsreif


def test_every_step_writes_history_and_tells_the_applicant_what_concerns_them(
    staff, django_capture_on_commit_callbacks
):
    antrag = submitted_antrag()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.antrag_status_setzen(
            antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff, kommentar="Wir prüfen."
        )
    last = antrag.verlauf.last()
    assert (last.von, last.nach, last.user, last.kommentar) == (
        Status.EINGEREICHT,
        Status.IN_PRUEFUNG,
        staff,
        "Wir prüfen.",
    )
    # "in Prüfung" needs nothing from the applicant: no mail (the status page shows it).
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.antrag_status_setzen(
            antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Wer leitet es?"
        )
    assert antrag.verlauf.last().nach == Status.RUECKFRAGE
    assert mail.outbox[0].to == ["erika@example.org"]
    assert token(antrag) in mail.outbox[0].body


def test_a_step_the_table_does_not_allow_is_refused_and_changes_nothing(staff):
    antrag = submitted_antrag()
    with pytest.raises(ValidationError, match="kann der Antrag nicht auf „entscheidungsreif“"):
        workflow.antrag_status_setzen(antrag=antrag, nach=Status.ENTSCHEIDUNGSREIF, by=staff)
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT and antrag.verlauf.count() == 1


def test_rejection_needs_a_reason(staff):
    antrag = ready(submitted_antrag(finanzierungsquelle="projektbudget"), staff)
    with pytest.raises(ValidationError, match="begründen"):
        workflow.antrag_status_setzen(antrag=antrag, nach=Status.ABGELEHNT, by=staff)
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.ABGELEHNT, by=staff, kommentar="Kein Bezug zum Quartier."
    )
    assert Antrag.objects.get().status == Status.ABGELEHNT


def test_grant_books_the_amount_against_the_fund(staff):
    antrag = ready(submitted_antrag(beantragter_betrag=Decimal("800.00")), staff)
    fonds_bewilligen(antrag, Decimal("800.00"), by=staff)
    antrag.refresh_from_db()
    assert (antrag.status, antrag.bewilligter_betrag) == (Status.BEWILLIGT, Decimal("800.00"))
    fonds = budget.fonds_fuer(haushaltsjahr=antrag.haushaltsjahr, aktionsraum=antrag.aktionsraum)
    assert budget.fonds_stand(fonds=fonds).verfuegbar == Decimal("4200.00")


def test_partial_grant_needs_a_reason(staff):
    antrag = ready(
        submitted_antrag(finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("800.00")),
        staff,
    )
    with pytest.raises(ValidationError, match="Teilbewilligung"):
        workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("500.00"), by=staff)
    workflow.antrag_bewilligen(
        antrag=antrag,
        betrag=Decimal("500.00"),
        by=staff,
        kommentar="Saalmiete wird nicht gefördert.",
    )
    assert Antrag.objects.get().bewilligter_betrag == Decimal("500.00")


@pytest.mark.parametrize("betrag", [Decimal("0"), Decimal("-1"), Decimal("800.01")])
def test_grant_refuses_zero_negative_or_more_than_requested(staff, betrag):
    antrag = ready(
        submitted_antrag(finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("800.00")),
        staff,
    )
    with pytest.raises(ValidationError):
        workflow.antrag_bewilligen(antrag=antrag, betrag=betrag, by=staff, kommentar="x")
    assert not Buchung.objects.exists()


def test_grant_refuses_amount_above_what_the_fund_has_left(staff):
    first = ready(submitted_antrag(beantragter_betrag=Decimal("4000.00")), staff)
    second = ready(submitted_antrag(beantragter_betrag=Decimal("1500.00")), staff)
    fonds_bewilligen(first, Decimal("4000.00"), by=staff)
    with pytest.raises(ValidationError, match="noch 1.000,00 € verfügbar"):
        fonds_bewilligen(second, Decimal("1500.00"), by=staff)
    second.refresh_from_db()
    assert second.status == Status.ENTSCHEIDUNGSREIF
    assert Buchung.objects.count() == 1


def test_grant_is_only_possible_when_ready_for_decision(staff):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    with pytest.raises(ValidationError, match="nicht auf „bewilligt“"):
        workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=staff)


def test_central_grants_use_the_central_budget(staff):
    antrag = ready(
        submitted_antrag(
            finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("20000.00")
        ),
        staff,
    )
    workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("20000.00"), by=staff)
    stand = budget.projektbudget_stand(haushaltsjahr=antrag.haushaltsjahr)
    assert stand.verfuegbar == Decimal("141000.00")
