"""The step runner keeps the order in which a step says what is wrong: what makes the step
meaningful for this Antrag comes before a refused transition, a missing comment before a
missing repayment account."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from antraege.models import Antrag, Status
from antraege.services import konferenz, workflow

from .factories import konferenz_fuer, submitted_antrag, zentral_bewilligt

pytestmark = pytest.mark.django_db


def test_a_fund_antrag_is_sent_to_the_conference_whatever_its_status(staff):
    antrag = submitted_antrag()  # a fund Antrag, still "eingereicht"
    with pytest.raises(ValidationError, match="entscheidet die Projektkonferenz"):
        workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=staff)


def test_a_beschluss_of_nothing_says_so_before_the_status(staff):
    antrag = submitted_antrag(beantragter_betrag=Decimal("800.00"))  # not yet entscheidungsreif
    sitzung = konferenz_fuer(antrag.aktionsraum, [antrag])
    with pytest.raises(ValidationError, match="größer als 0"):
        konferenz.beschluss_fassen(
            konferenz=sitzung,
            antrag=antrag,
            ergebnis="bewilligt",
            betrag=Decimal("0"),
            by=staff,
            abstimmung=konferenz.EINVERNEHMLICH,
        )


def test_a_rueckforderung_asks_for_its_reason_before_the_account(staff, settings):
    settings.RUECKZAHLUNG_IBAN = ""
    antrag = zentral_bewilligt(staff)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.AUSGEZAHLT)
    with pytest.raises(ValidationError, match="Bitte begründen Sie die Rückforderung"):
        workflow.antrag_rueckfordern(antrag=antrag, betrag=Decimal("10.00"), by=staff, kommentar="")
