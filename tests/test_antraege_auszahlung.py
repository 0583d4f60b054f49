"""Payouts never exceed the grant; proof of use, Rückforderung and cancellation move money back."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Antrag, Auszahlung, Status
from antraege.services import budget, einreichung, workflow

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    auszahlen,
    nachweis_post,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bewilligt(staff):
    return zentral_bewilligt(staff)


def zahlen(antrag, betrag, staff):
    return auszahlen(antrag, betrag, staff)


def verfuegbar(antrag):
    return budget.projektbudget_stand(haushaltsjahr=antrag.haushaltsjahr).verfuegbar


def nachweis(antrag, ausgegeben):
    return einreichung.verwendungsnachweis_einreichen(
        antrag=antrag,
        bericht="Das Fest hat stattgefunden.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal(ausgegeben)),
        dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
    )


def test_payouts_in_instalments_up_to_the_grant(staff, bewilligt):
    zahlen(bewilligt, "600.00", staff)
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.TEILWEISE_AUSGEZAHLT
    zahlen(bewilligt, "400.00", staff)
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.AUSGEZAHLT
    with pytest.raises(ValidationError, match="schon vollständig ausgezahlt"):
        zahlen(bewilligt, "0.01", staff)
    assert sum(a.betrag for a in Auszahlung.objects.all()) == Decimal("1000.00")


@pytest.mark.parametrize("betrag", ["0", "-5"])
def test_payout_refuses_zero_or_negative(staff, bewilligt, betrag):
    with pytest.raises(ValidationError, match="größer als 0"):
        zahlen(bewilligt, betrag, staff)
    assert not Auszahlung.objects.exists()


def test_payout_of_an_undecided_antrag_is_refused(staff):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    with pytest.raises(ValidationError, match="nur ein bewilligter Antrag"):
        zahlen(antrag, "10.00", staff)


def test_full_proof_of_use_closes_the_case(staff, bewilligt):
    zahlen(bewilligt, "1000.00", staff)
    nachweis(bewilligt, "1000.00")
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.NACHWEIS_EINGEREICHT
    workflow.antrag_abschliessen(antrag=bewilligt, by=staff)
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.ABGESCHLOSSEN
    assert verfuegbar(bewilligt) == Decimal("160000.00")


def test_closing_with_less_proven_than_paid_is_refused(staff, bewilligt):
    zahlen(bewilligt, "1000.00", staff)
    nachweis(bewilligt, "700.00")
    with pytest.raises(ValidationError, match="fordern Sie den Rest zurück"):
        workflow.antrag_abschliessen(antrag=bewilligt, by=staff)


def test_rueckforderung_returns_the_money_to_the_pot_once_it_has_arrived(staff, bewilligt):
    zahlen(bewilligt, "1000.00", staff)
    nachweis(bewilligt, "700.00")
    mail.outbox.clear()
    workflow.antrag_rueckfordern(
        antrag=bewilligt, betrag=Decimal("300.00"), by=staff, kommentar="Nicht verbraucht."
    )
    assert Antrag.objects.get(pk=bewilligt.pk).get_status_display() == "Rückzahlung offen"
    assert verfuegbar(bewilligt) == Decimal("160000.00")
    with pytest.raises(ValidationError, match="noch 300,00 € offen"):
        workflow.antrag_abschliessen(antrag=bewilligt, by=staff)
    workflow.rueckzahlung_buchen(
        antrag=bewilligt,
        betrag=Decimal("300.00"),
        datum=timezone.localdate(),
        referenz="Kasse 4711",
        by=projektbuero_user("kasse"),
    )
    assert verfuegbar(bewilligt) == Decimal("160300.00")
    workflow.antrag_abschliessen(antrag=bewilligt, by=staff, kommentar="Rückzahlung erhalten")
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.ABGESCHLOSSEN
    assert verfuegbar(bewilligt) == Decimal("160300.00")


def test_rueckforderung_never_exceeds_what_was_paid(staff, bewilligt):
    zahlen(bewilligt, "500.00", staff)
    with pytest.raises(ValidationError, match="höchstens die ausgezahlten 500,00 €"):
        workflow.antrag_rueckfordern(
            antrag=bewilligt, betrag=Decimal("600.00"), by=staff, kommentar="x"
        )


def test_closing_releases_granted_money_that_was_never_paid(staff, bewilligt):
    zahlen(bewilligt, "600.00", staff)
    nachweis(bewilligt, "600.00")
    workflow.antrag_abschliessen(antrag=bewilligt, by=staff)
    assert verfuegbar(bewilligt) == Decimal("160400.00")


def test_cancelling_a_grant_returns_the_whole_amount(staff, bewilligt):
    with pytest.raises(ValidationError, match="begründen"):
        workflow.bewilligung_aufheben(antrag=bewilligt, by=staff, kommentar="")
    workflow.bewilligung_aufheben(antrag=bewilligt, by=staff, kommentar="Projekt abgesagt")
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.AUFGEHOBEN
    assert verfuegbar(bewilligt) == Decimal("161000.00")


def test_the_applicant_hands_in_the_proof_through_the_status_link(client, staff):
    kosten = [("Material", Decimal("600.00")), ("Miete Saal", Decimal("400.00"))]
    bewilligt = zentral_bewilligt(staff, kosten=kosten)
    zahlen(bewilligt, "1000.00", staff)
    url = f"/antrag/status/{token(bewilligt)}/nachweis/"
    response = client.post(url, nachweis_post(bewilligt, "-3", bericht="") | {"pruefen": "1"})
    html = response.content.decode()
    assert "Bitte beschreiben Sie kurz" in html
    assert "Kostenposition 1: Material, tatsächlich ausgegeben: Bitte geben Sie 0 oder" in html
    assert "Kostenposition 2: Bitte geben Sie an, wie viel" not in html
    assert "für Kostenposition 2 tatsächlich ausgegeben wurde (0, wenn nichts)" in html
    daten = nachweis_post(bewilligt, "650,00", "300,5", bericht="Fest mit 120 Gästen")
    response = client.post(url, daten | {"pruefen": "1"})
    html = response.content.decode()
    # The check page: nothing stored yet, the unspent difference shown before sending.
    assert "Bitte prüfen Sie Ihren Verwendungsnachweis" in html
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.AUSGEZAHLT
    assert 'id="nicht-verbraucht">49,50\xa0€' in html
    assert "49,50\xa0€ der Förderung wurden nicht verbraucht" in html
    # Sending without a receipt stays on the check page, with its figures.
    response = client.post(url, daten | {"absenden": "1"})
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihren Verwendungsnachweis" in html
    assert "Belege: Bitte laden Sie mindestens einen Beleg hoch" in html
    beleg = SimpleUploadedFile("quittung.pdf", PDF_BYTES, "application/pdf")
    response = client.post(url, daten | {"absenden": "1", "belege": beleg}, follow=True)
    assert "Ihr Verwendungsnachweis ist eingegangen" in response.content.decode()
    antrag = Antrag.objects.get(pk=bewilligt.pk)
    assert antrag.status == Status.NACHWEIS_EINGEREICHT
    nachweis = antrag.verwendungsnachweise.get()
    assert nachweis.belege.get().dateiname == "quittung.pdf"
    assert nachweis.ausgegebener_betrag == Decimal("950.50")
    assert nachweis.gesamtausgaben == Decimal("950.50")
    assert [(p.beschreibung, p.geplant, p.ausgegeben) for p in nachweis.positionen.all()] == [
        ("Material", Decimal("600.00"), Decimal("650.00")),
        ("Miete Saal", Decimal("400.00"), Decimal("300.50")),
    ]


def test_a_fake_pdf_receipt_is_refused(client, staff, bewilligt):
    zahlen(bewilligt, "1000.00", staff)
    fake = SimpleUploadedFile("beleg.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(
        f"/antrag/status/{token(bewilligt)}/nachweis/",
        nachweis_post(bewilligt, "1000") | {"absenden": "1", "belege": fake},
    )
    assert "keine PDF-, JPEG- oder PNG-Datei" in response.content.decode()
    assert Antrag.objects.get(pk=bewilligt.pk).status == Status.AUSGEZAHLT


def test_payout_through_the_admin_refuses_more_than_granted(client, staff, bewilligt):
    client.force_login(staff)
    url = f"/admin/antraege/antrag/{bewilligt.pk}/auszahlung/"
    response = client.post(
        url,
        {"betrag": "1.200,00", "datum": timezone.localdate().isoformat(), "referenz": "KZ-9"},
        follow=True,
    )
    assert "Es können höchstens noch 1.000,00 €" in response.content.decode()
    response = client.post(
        url,
        {"betrag": "1.000,00", "datum": timezone.localdate().isoformat(), "referenz": "KZ-9"},
        follow=True,
    )
    assert "Auszahlung über 1.000,00\xa0€ als sachlich und rechnerisch richtig festgestellt" in (
        response.content.decode()
    )
