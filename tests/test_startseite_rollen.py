"""The staff start page per role (issue 34 point 3, issue 36 point 4): each line of the work
list names the action it asks for, and an account sees exactly the lines whose action its
buttons would let it take (`aktionen.darf`, the same check the Antrag's page draws its
buttons from). Answers to Rückfragen have their own list, and the staff mail carries the
answer, quoted, with no link made of it."""

import pytest
from django.core import mail
from django.test import TestCase

from antraege.models import AusgehendeMail, Status
from antraege.rollen import BEAUFTRAGTE, LESEZUGRIFF, PROJEKTBUERO
from antraege.selectors import aktionen, fristen
from antraege.services import einreichung, workflow
from quartiere.models import Aktionsraum

from .factories import (
    beauftragte_user,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db

ALLE = [a.schluessel for a in fristen.ARBEITSLISTE]
# What each role is there for: the Projektbüro decides, pays and closes; a Beauftragte reviews
# and prepares the Projektkonferenz of her areas; Lesezugriff reads.
ERWARTET = {
    PROJEKTBUERO: ALLE,
    BEAUFTRAGTE: ["neu", "antwort", "rueckfrage", "rueckfrage_alt", "ohne_tagesordnung"],
    LESEZUGRIFF: [],
}


@pytest.fixture
def konten(hoerde):
    return {
        PROJEKTBUERO: projektbuero_user("pb"),
        BEAUFTRAGTE: beauftragte_user(hoerde, username="ba"),
        LESEZUGRIFF: rollen_user("lese", LESEZUGRIFF),
    }


def zeilen(client, user):
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    return [a for a in ALLE if f'?aufgabe={a}"' in html], html


@pytest.mark.parametrize("rolle", ERWARTET)
def test_each_role_sees_only_the_tasks_it_may_do(client, konten, rolle):
    sichtbar, html = zeilen(client, konten[rolle])
    assert sichtbar == ERWARTET[rolle]
    assert sichtbar == [a.schluessel for a in fristen.aufgaben_fuer(konten[rolle])]
    if rolle == LESEZUGRIFF:
        assert "Ihr Zugang ist zum Lesen" in html
        assert "Antwort eingegangen" not in html and "Offene Rückfragen" not in html
    else:
        assert "Ihr Zugang ist zum Lesen" not in html


# (task, how to put an Antrag into its situation, the button that situation offers) — the
# start page shows a line exactly to the accounts that get its button on the Antrag's page.
def _neu(hoerde, pb):
    return submitted_antrag(aktionsraum=hoerde), lambda darf: Status.IN_PRUEFUNG in darf.schritte


def _zentral(hoerde, pb):
    antrag = submitted_antrag(aktionsraum=hoerde, finanzierungsquelle="projektbudget")
    for nach in (Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF):
        antrag = workflow.antrag_status_setzen(antrag=antrag, nach=nach, by=pb)
    return antrag, lambda darf: Status.BEWILLIGT in darf.schritte


def _bank(hoerde, pb):
    antrag = submitted_antrag(aktionsraum=hoerde)
    type(antrag).objects.filter(pk=antrag.pk).update(iban_pruefung_offen=True)
    antrag.refresh_from_db()
    return antrag, lambda darf: darf.bankverbindung_bestaetigen


def _auszahlung(hoerde, pb):
    antrag = zentral_bewilligt(pb)
    type(antrag).objects.filter(pk=antrag.pk).update(aktionsraum=hoerde)
    antrag.refresh_from_db()
    return antrag, lambda darf: darf.auszahlung_feststellen


SITUATIONEN = {
    "neu": _neu,
    "zentral_entscheiden": _zentral,
    "bankverbindung_offen": _bank,
    "auszahlung_offen": _auszahlung,
}


@pytest.mark.parametrize("rolle", ERWARTET)
@pytest.mark.parametrize("aufgabe", SITUATIONEN)
def test_a_task_line_and_its_button_go_together(konten, hoerde, rolle, aufgabe):
    antrag, knopf_da = SITUATIONEN[aufgabe](hoerde, konten[PROJEKTBUERO])
    user = konten[rolle]
    assert fristen.arbeitsliste_filter(aufgabe, heute=None).filter(pk=antrag.pk).exists()
    darf = aktionen.aktionen(antrag=antrag, user=user)
    zeile = aufgabe in [a.schluessel for a in fristen.aufgaben_fuer(user)]
    assert zeile == bool(knopf_da(darf)), (rolle, aufgabe)
    assert zeile == (aufgabe in ERWARTET[rolle])


def test_every_task_names_an_action_the_rights_know():
    for aufgabe in fristen.ARBEITSLISTE:
        assert aufgabe.aktion in Status.values or aufgabe.aktion in aktionen.RECHTE, aufgabe


def _rueckfrage_beantworten(antrag, pb, antwort):
    for nach, kommentar in [(Status.IN_PRUEFUNG, ""), (Status.RUECKFRAGE, "Wofür die Miete?")]:
        antrag = workflow.antrag_status_setzen(antrag=antrag, nach=nach, by=pb, kommentar=kommentar)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return einreichung.antrag_rueckfrage_beantworten(antrag=antrag, antwort=antwort)


ANTWORT = "Für den Saal im Gemeindehaus.\nDetails: https://phish.example/login"


def test_an_answer_is_listed_until_staff_take_the_next_step(client, konten, hoerde):
    pb = konten[PROJEKTBUERO]
    antrag = _rueckfrage_beantworten(submitted_antrag(aktionsraum=hoerde), pb, ANTWORT)
    client.force_login(pb)
    html = client.get("/admin/").content.decode()
    assert "Antwort eingegangen" in html
    assert antrag.aktenzeichen in html and "Für den Saal im Gemeindehaus." in html
    assert 'aria-label="Antwort auf eine Rückfrage eingegangen: 1"' in html
    liste = client.get("/admin/antraege/antrag/?aufgabe=antwort").content.decode()
    assert antrag.aktenzeichen in liste
    # A staff step ends it: the answer has been read.
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.ENTSCHEIDUNGSREIF, by=pb)
    html = client.get("/admin/").content.decode()
    assert 'aria-label="Antwort auf eine Rückfrage eingegangen: 0"' in html
    assert "Keine neuen Antworten auf Rückfragen." in html


def test_answers_are_listed_only_within_the_accounts_areas(client, konten, hoerde):
    pb = konten[PROJEKTBUERO]
    marten = Aktionsraum.objects.get(slug="marten")
    fremd = _rueckfrage_beantworten(submitted_antrag(aktionsraum=marten), pb, "Fremde Antwort")
    client.force_login(konten[BEAUFTRAGTE])
    html = client.get("/admin/").content.decode()
    assert fremd.aktenzeichen not in html and "Fremde Antwort" not in html
    assert 'aria-label="Antwort auf eine Rückfrage eingegangen: 0"' in html


def test_staff_taking_it_back_is_not_an_answer(konten, hoerde):
    """Only the applicant's step out of the Rückfrage counts, not staff's."""
    pb = konten[PROJEKTBUERO]
    antrag = submitted_antrag(aktionsraum=hoerde)
    for nach, kommentar in [(Status.IN_PRUEFUNG, ""), (Status.RUECKFRAGE, "Wofür die Miete?")]:
        antrag = workflow.antrag_status_setzen(antrag=antrag, nach=nach, by=pb, kommentar=kommentar)
    # Staff take it back into review themselves: no answer came.
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=pb)
    assert not fristen.antworten_eingegangen().filter(pk=antrag.pk).exists()


def test_the_staff_mail_quotes_the_answer_and_links_none_of_it(konten, hoerde, settings):
    settings.PROJEKTBUERO_EMAIL = "projektbuero@example.org"
    pb = konten[PROJEKTBUERO]
    mail.outbox.clear()
    antrag = _rueckfrage_beantworten(submitted_antrag(aktionsraum=hoerde), pb, ANTWORT)
    (intern,) = [m for m in mail.outbox if "projektbuero@example.org" in m.to]
    assert "> Für den Saal im Gemeindehaus." in intern.body
    assert "> Details: https://phish.example/login" in intern.body
    html = intern.alternatives[0][0]
    assert "https://phish.example/login" in html
    assert 'href="https://phish.example' not in html
    # Our own link to the Antrag stays a link.
    assert f'/admin/antraege/antrag/{antrag.pk}/change/"' in html
    gespeichert = AusgehendeMail.objects.filter(betreff__startswith="Antwort auf die Rückfrage")
    assert gespeichert.count() == 1


def test_the_applicants_mail_is_unchanged_by_the_quote_rule(konten, hoerde):
    """Lines not quoted keep their links, as before."""
    from antraege import emails

    html = emails._html_zeilen("Siehe https://www.dortmund.de\n> https://phish.example")
    assert 'href="https://www.dortmund.de"' in html
    assert 'href="https://phish.example"' not in html and "&gt; https://phish.example" in html
