"""The applicant reads one name per stage, in plain words, on the status page, in its
history, in every mail and letter (issue 37 point 4): never an internal status name or an
accounting term; the Projektkonferenz that will decide, the payout with its account and
timing; withdrawing comes last."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from antraege import ablauf, emails
from antraege.models import Antrag, AusgehendeMail, Status
from tests.factories import (
    VALID_IBAN,
    auszahlen,
    entscheidungsreif,
    konferenz_fuer,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db

# Words of the Verwaltung that no applicant should read: the internal status names (where the
# applicant's differs) and the ledger's terms.
INTERN = [
    "entscheidungsreif",
    "in Prüfung",
    "Rückzahlung offen",
    "teilweise ausgezahlt",
    "Verwendungsnachweis eingereicht",
    "zur Korrektur zurückgegeben",
    "Gebunden",
    "Netto ausgezahlt",
    "Zurückerhalten",
    "sachlich und rechnerisch",
    "Anordnung",
    "Status:",
]


def statusseite(client, antrag) -> str:
    return client.get(f"/antrag/status/{token(antrag)}/").content.decode()


def test_every_status_has_a_name_for_the_applicant():
    namen = [ablauf.stufe(s) for s in Status.values]
    assert all(namen) and len(set(namen)) == len(namen)
    for name in namen:
        assert not any(wort in name for wort in INTERN), name


@pytest.mark.parametrize("status", Status.values)
def test_the_status_page_names_the_stage_in_plain_words(client, status):
    antrag = submitted_antrag()
    Antrag.objects.filter(pk=antrag.pk).update(status=status)
    html = statusseite(client, antrag)
    assert f'<strong class="antrag-status">{ablauf.stufe(status)}</strong>' in html
    for wort in INTERN:
        assert wort not in html, (status, wort)


@pytest.mark.parametrize(
    "status", [s for s in Status.values if s not in ablauf.STILLE_SCHRITTE and s != "eingereicht"]
)
def test_every_status_mail_says_the_stage_in_plain_words(status):
    antrag = copy.copy(submitted_antrag())
    antrag.status = status
    betreff, text = emails.status_vorschau(
        antrag=antrag, kommentar="Ein Hinweis.", rueckforderung=Decimal("10.00")
    )
    assert betreff == f"Ihr Antrag {antrag.aktenzeichen}: {ablauf.stufe(status)}"
    assert f"Stand: {ablauf.stufe(status)}" in text
    for wort in INTERN:
        assert wort not in betreff + text, (status, wort)


def test_the_coming_projektkonferenz_is_named_with_date_and_its_place_only_if_public(client):
    staff = projektbuero_user()
    antrag = entscheidungsreif(submitted_antrag(), staff)
    datum = timezone.localdate() + timedelta(days=20)
    kommende = konferenz_fuer(antrag.aktionsraum, [antrag], datum=datum)
    # An earlier conference that did not decide it is no longer named.
    konferenz_fuer(antrag.aktionsraum, [antrag], datum=timezone.localdate() - timedelta(days=5))
    html = statusseite(client, antrag)
    tag = datum.strftime("%-d.")
    assert f"Wird in der Projektkonferenz am {tag}" in html
    assert "Stadtteilzentrum" not in html  # a closed meeting: no place
    kommende.oeffentlich = True
    kommende.save(update_fields=["oeffentlich"])
    assert "Stadtteilzentrum" in statusseite(client, antrag)


def test_after_a_payout_the_page_and_mail_say_amount_account_and_timing(client):
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, "800.00")
    statusseite(client, antrag)  # the link was opened: the address is confirmed
    auszahlen(antrag, "300.00", staff)
    html = statusseite(client, antrag)
    ende = VALID_IBAN.replace(" ", "")[-4:]
    satz = f"auf Ihr Konto mit der Endung {ende}."
    assert "Überweisung: 300,00\xa0€" in html and satz in html and "Bankarbeitstage" in html
    mail = AusgehendeMail.objects.get(antrag=antrag, betreff__endswith="Geldes ist überwiesen")
    assert "300,00\xa0€" in mail.text and satz in mail.text
    assert VALID_IBAN.replace(" ", "") not in mail.text + html
    # To an address nobody has confirmed, a mail names no account.
    Antrag.objects.filter(pk=antrag.pk).update(adresse_bestaetigt_am=None)
    auszahlen(Antrag.objects.get(pk=antrag.pk), "500.00", staff)
    voll = AusgehendeMail.objects.get(antrag=antrag, betreff__endswith="Geld überwiesen")
    assert ende not in voll.text


def test_the_history_shows_steps_not_the_verwaltung_s_notes(client):
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, "800.00")
    auszahlen(antrag, "800.00", staff)
    html = statusseite(client, antrag)
    verlauf = html[html.index('<ol class="verlauf">') :]
    assert "Bewilligt" in verlauf and "Geld überwiesen" in verlauf
    assert "festgestellt" not in verlauf and "wartet" not in verlauf


def test_withdrawing_is_offered_last(client):
    antrag = submitted_antrag()
    html = statusseite(client, antrag)
    assert html.index('<ol class="verlauf">') < html.index("Antrag zurückziehen …")


def test_a_notice_to_the_applicant_stays_in_the_history_a_staff_note_does_not(client):
    from antraege.services import workflow

    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, "800.00")
    workflow.verlauf_notieren(antrag=antrag, by=staff, kommentar="Ihre Rückzahlung ist da.")
    workflow.verlauf_notieren(antrag=antrag, by=staff, interne_notiz="Anruf der Kasse")
    verlauf = statusseite(client, antrag).split('<ol class="verlauf">')[1]
    assert "Mitteilung" in verlauf and "Ihre Rückzahlung ist da." in verlauf
    assert "Anruf der Kasse" not in verlauf


def test_a_conference_that_postponed_the_antrag_is_not_named_as_coming(client):
    from antraege.services.konferenz import beschluss_fassen

    staff = projektbuero_user()
    antrag = entscheidungsreif(submitted_antrag(), staff)
    heute = konferenz_fuer(antrag.aktionsraum, [antrag])
    beschluss_fassen(
        konferenz=heute, antrag=antrag, ergebnis="vertagt", betrag=None, begruendung="", by=staff
    )
    html = statusseite(client, antrag)
    assert "Wird in der Projektkonferenz" not in html and "Stadtteilzentrum" not in html


def test_english_pages_read_a_date_typed_as_the_hints_say():
    import datetime

    from django import forms
    from django.utils import translation

    with translation.override("en"):
        assert forms.DateField().clean("01.03.2027") == datetime.date(2027, 3, 1)
        assert forms.DateField().clean("2027-03-01") == datetime.date(2027, 3, 1)
