"""A status link goes only to the address it belongs to (issue 35, finding 4): a mail queued
for the old address and sent late, after staff changed the address, carries no link."""

import pytest
from django.core import mail
from django.core.management import call_command

from antraege.models import AusgehendeMail, Status
from antraege.services import entwurf as entwurf_dienst
from antraege.services import workflow
from antraege.services.auszahlung import kontaktdaten_aendern

from .factories import projektbuero_user, submitted_antrag, token

pytestmark = pytest.mark.django_db
# A mail backend whose server is down (greylisting, an outage).
KAPUTT = "tests.test_antraege_mail_outbox.BrokenBackend"


def test_a_mail_sent_late_to_the_old_address_carries_no_link(
    settings, django_capture_on_commit_callbacks
):
    staff = projektbuero_user()
    antrag = submitted_antrag()
    settings.EMAIL_BACKEND = KAPUTT
    with django_capture_on_commit_callbacks(execute=True):
        workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
        workflow.antrag_status_setzen(
            antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Bitte Kosten erklären"
        )
    alt = AusgehendeMail.objects.filter(empfaenger=["erika@example.org"], gesendet_am=None)
    assert alt.filter(mit_statuslink=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        kontaktdaten_aendern(antrag=antrag, daten={"email": "neu@example.org"}, by=staff)
    neuer_token = token(antrag)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("mails_senden")
    an_alt = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    an_neu = [m for m in mail.outbox if m.to == ["neu@example.org"]]
    assert an_alt and an_neu
    for nachricht in an_alt:
        teile = [nachricht.body] + [inhalt for inhalt, _typ in nachricht.alternatives]
        assert all(neuer_token not in t and "/antrag/status/" not in t for t in teile)
        assert all("[Statuslink]" not in t for t in teile)
    assert any("E-Mail-Adresse inzwischen geändert" in m.body for m in an_alt)
    assert any(neuer_token in m.body for m in an_neu)
    vermerkt = AusgehendeMail.objects.filter(empfaenger=["erika@example.org"], mit_statuslink=True)
    assert vermerkt and all("Ohne Statuslink gesendet" in m.hinweis for m in vermerkt)


def test_a_draft_link_mailed_to_an_address_no_longer_the_drafts_goes_out_without_it(settings):
    entwurf, _token = entwurf_dienst.entwurf_anlegen()
    settings.EMAIL_BACKEND = KAPUTT
    entwurf_dienst.entwurf_speichern(
        entwurf=entwurf, daten={"titel": ["Fest"]}, email="alt@example.org", sprache="de"
    )
    entwurf_dienst.entwurf_speichern(
        entwurf=entwurf, daten={"titel": ["Fest"]}, email="neu@example.org", sprache="de"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("mails_senden")
    an_alt = next(m for m in mail.outbox if m.to == ["alt@example.org"])
    an_neu = next(m for m in mail.outbox if m.to == ["neu@example.org"])
    assert "/antrag/entwurf/" not in an_alt.body and "/antrag/entwurf/" in an_neu.body
