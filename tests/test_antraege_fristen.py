"""The Verwendungsnachweis due date and the reminders of `erinnerungen_senden`, with time travel."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from antraege.models import Antrag, AusgehendeMail, Erinnerung, Status, StatusAenderung
from antraege.services import workflow
from antraege.services.fristen import erinnerungen_senden
from quartiere.models import Aktionsraum

from .factories import BeauftragteFactory, submitted_antrag

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def am(tag: date, stunde=7):
    """Travels to a morning in Dortmund, when cron runs the command."""
    return time_machine.travel(datetime(tag.year, tag.month, tag.day, stunde, tzinfo=BERLIN))


@pytest.fixture
def bewilligt(staff):
    """A central grant for a project ending on 1 May 2027: proof due on 1 August 2027."""
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget",
        beantragter_betrag=Decimal("1500.00"),
        ende=date(2027, 5, 1),
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("1500.00"), by=staff)


def erinnerungsmails():
    """Reminder mails in the outbox (they are sent after the commit, which tests roll back)."""
    return [m for m in AusgehendeMail.objects.order_by("id") if "achweis" in m.betreff]


def an(adresse):
    return [m for m in AusgehendeMail.objects.order_by("id") if m.empfaenger == [adresse]]


def test_a_grant_sets_the_due_date_to_project_end_plus_the_years_period(bewilligt):
    assert bewilligt.nachweis_faellig_am == date(2027, 8, 1)


def test_the_period_is_set_per_haushaltsjahr(staff):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget", ende=date(2027, 5, 1))
    antrag.haushaltsjahr.nachweis_frist_monate = 6
    antrag.haushaltsjahr.save()
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    antrag = workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=staff)
    assert antrag.nachweis_faellig_am == date(2027, 11, 1)


def test_months_later_keeps_the_day_or_takes_the_months_last_day():
    assert workflow.monate_spaeter(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert workflow.monate_spaeter(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert workflow.monate_spaeter(date(2027, 5, 1), 12) == date(2028, 5, 1)


def test_no_reminder_fifteen_days_before_the_date(bewilligt):
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 7, 17)):
        erinnerungen_senden()
    assert erinnerungsmails() == []


def test_the_applicant_is_reminded_fourteen_days_before_and_only_once(bewilligt):
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 7, 18)):
        erinnerungen_senden()
        erinnerungen_senden()
    with am(date(2027, 7, 25)):
        erinnerungen_senden()
    [erinnerung] = erinnerungsmails()
    assert erinnerung.empfaenger == ["erika@example.org"]
    assert "1. August 2027" in erinnerung.text and "1.500,00\xa0€" in erinnerung.text
    assert (
        StatusAenderung.objects.filter(
            antrag=bewilligt, kommentar__startswith="Erinnerung gesendet"
        ).count()
        == 1
    )


def test_the_overdue_reminder_goes_out_on_the_day_after_and_only_once(bewilligt):
    with am(date(2027, 8, 1)):
        erinnerungen_senden()
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 8, 2)):
        call_command("erinnerungen_senden", stdout=open("/dev/null", "w"))
        call_command("erinnerungen_senden", stdout=open("/dev/null", "w"))
    with am(date(2027, 8, 20)):
        erinnerungen_senden()
    [erinnerung] = erinnerungsmails()
    assert "überfällig" in erinnerung.betreff
    assert Erinnerung.objects.filter(anlass=Erinnerung.Anlass.NACHWEIS_UEBERFAELLIG).count() == 1


def test_no_reminder_once_the_proof_is_handed_in(bewilligt, staff):
    Antrag.objects.filter(pk=bewilligt.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 8, 2)):
        erinnerungen_senden()
    assert erinnerungsmails() == []


def test_a_missed_day_is_caught_up_on_the_next_run(bewilligt):
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 8, 5)):
        erinnerungen_senden()
    assert [m.betreff for m in erinnerungsmails()] == [
        f"Ihr Antrag {bewilligt.aktenzeichen}: Verwendungsnachweis überfällig"
    ]


def test_an_english_applicant_is_reminded_in_english(bewilligt):
    Antrag.objects.filter(pk=bewilligt.pk).update(sprache="en")
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 7, 20)):
        erinnerungen_senden()
    [erinnerung] = [m for m in AusgehendeMail.objects.all() if "proof of use" in m.betreff]
    assert "1 August 2027" in erinnerung.text
    assert "Guten Tag" not in erinnerung.text


def test_the_beauftragte_gets_a_weekly_list_of_overdue_proofs_and_old_rueckfragen(bewilligt, staff):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    person = BeauftragteFactory(email="hoerde@example.org")
    hoerde.beauftragte.add(person)
    with am(date(2027, 7, 1)):
        rueckfrage = submitted_antrag(titel="Lesecafé", beantragter_betrag=Decimal("80.00"))
        for nach in [Status.IN_PRUEFUNG, Status.RUECKFRAGE]:
            workflow.antrag_status_setzen(
                antrag=rueckfrage, nach=nach, by=staff, kommentar="Wer leitet das Lesecafé?"
            )
    with am(date(2027, 7, 10)):
        frisch = submitted_antrag(titel="Frische Rückfrage", beantragter_betrag=Decimal("90.00"))
        for nach in [Status.IN_PRUEFUNG, Status.RUECKFRAGE]:
            workflow.antrag_status_setzen(antrag=frisch, nach=nach, by=staff, kommentar="Wann?")
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 8, 2)):  # a Monday
        erinnerungen_senden()
    with am(date(2027, 8, 4)):  # same week: nothing new
        erinnerungen_senden()
    listen = an("hoerde@example.org")
    assert len(listen) == 1
    body = listen[0].text
    assert bewilligt.aktenzeichen in body and rueckfrage.aktenzeichen in body
    assert frisch.aktenzeichen in body  # 23 days old by then
    assert StatusAenderung.objects.filter(
        antrag=rueckfrage, kommentar__startswith="In der Wochenliste"
    ).exists()
    with am(date(2027, 8, 9)):  # next week: the list comes again
        erinnerungen_senden()
    assert len(an("hoerde@example.org")) == 2


def test_a_rueckfrage_of_thirteen_days_is_not_yet_on_the_list(staff):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.beauftragte.add(BeauftragteFactory(email="hoerde@example.org"))
    with am(date(2027, 7, 1)):
        antrag = submitted_antrag(titel="Lesecafé")
        for nach in [Status.IN_PRUEFUNG, Status.RUECKFRAGE]:
            workflow.antrag_status_setzen(antrag=antrag, nach=nach, by=staff, kommentar="Wer?")
    AusgehendeMail.objects.all().delete()
    with am(date(2027, 7, 14)):
        erinnerungen_senden()
    assert an("hoerde@example.org") == []
    with am(date(2027, 7, 15)):
        erinnerungen_senden()
    assert len(an("hoerde@example.org")) == 1
