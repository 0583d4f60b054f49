"""Letters that say what was decided (issue 16, point 5), in the Antrag's language: the grant
with amount, conditions, due date and what to hand in; a partial grant with its reason; the
Rückfrage with question, reply-by date and contact; the Rückforderung with amount, account
and reference; no mail for internal steps; staff's preview and internal note."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from antraege.models import Antrag, AusgehendeMail, Status
from antraege.services import einreichung, workflow

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    auszahlen,
    entscheidungsreif,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


def letzter_brief(antrag):
    return antrag.mails.filter(empfaenger=[antrag.email]).order_by("-pk").first()


def bereit(sprache="de", betrag="800.00"):
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal(betrag), sprache=sprache
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return Antrag.objects.get(pk=antrag.pk)


def test_the_grant_letter_names_amount_conditions_due_date_and_what_to_hand_in(staff):
    antrag = workflow.antrag_bewilligen(antrag=bereit(), betrag=Decimal("800.00"), by=staff)
    text = letzter_brief(antrag).text
    assert "Wir bewilligen Ihnen den beantragten Betrag von 800,00\xa0€." in text
    assert "Bewahren Sie alle Rechnungen und Quittungen auf." in text
    faellig = antrag.nachweis_faellig_am
    assert faellig is not None
    assert f"Bis zum {faellig.day}. " in text and str(faellig.year) in text
    for teil in [
        "kurzen Bericht",
        "je Kostenposition Ihres Kostenplans, wie viel Sie tatsächlich ausgegeben",
        "die Belege",
    ]:
        assert teil in text


def test_a_partial_grant_says_how_much_of_what_and_why(staff):
    antrag = workflow.antrag_bewilligen(
        antrag=bereit(),
        betrag=Decimal("500.00"),
        by=staff,
        kommentar="Die Saalmiete übernimmt der Bezirk.",
    )
    text = letzter_brief(antrag).text
    assert "Wir bewilligen Ihnen 500,00\xa0€ von den beantragten 800,00\xa0€." in text
    assert "Begründung: Die Saalmiete übernimmt der Bezirk." in text


def test_the_english_grant_letter_is_english(staff):
    antrag = workflow.antrag_bewilligen(
        antrag=bereit(sprache="en"), betrag=Decimal("800.00"), by=staff
    )
    brief = letzter_brief(antrag)
    assert "We grant you the amount you applied for, 800.00\xa0€." in brief.text
    assert "bewilligen" not in brief.text and "Bedingungen" not in brief.text


def test_the_rueckfrage_letter_has_the_question_a_date_and_the_contact(staff):
    antrag = submitted_antrag()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    antrag = workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Wer leitet das Fest?"
    )
    text = letzter_brief(antrag).text
    bis = timezone.localdate() + timedelta(days=14)
    assert "Wer leitet das Fest?" in text
    assert f"Bitte antworten Sie bis zum {bis.day}. " in text
    assert "Ihre Ansprechperson im Aktionsraum Hörde" in text


def test_the_status_page_shows_the_reply_by_date(client, staff):
    antrag = submitted_antrag()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Wer leitet das Fest?"
    )
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    bis = timezone.localdate() + timedelta(days=14)
    assert f"Bitte antworten Sie bis zum {bis.day}. " in html


def rueckforderung(staff):
    antrag = zentral_bewilligt(staff, "1000.00")
    auszahlen(antrag, "1000.00", staff)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    return workflow.antrag_rueckfordern(
        antrag=Antrag.objects.get(pk=antrag.pk),
        betrag=Decimal("250.00"),
        by=staff,
        kommentar="250 € wurden nicht ausgegeben.",
    )


def test_the_rueckforderung_letter_names_amount_account_and_reference(staff, settings):
    settings.RUECKZAHLUNG_KONTOINHABER = "Stadtkasse (Testkonto)"
    settings.RUECKZAHLUNG_IBAN = "DE02 1203 0000 0000 2020 51"
    antrag = rueckforderung(staff)
    text = letzter_brief(antrag).text
    assert "Wir müssen 250,00\xa0€ zurückfordern." in text
    assert "Begründung: 250 € wurden nicht ausgegeben." in text
    assert "IBAN: DE02 1203 0000 0000 2020 51" in text
    assert f"Verwendungszweck (bitte genau so angeben): {antrag.aktenzeichen} Rückforderung" in (
        text
    )


def test_without_a_configured_account_no_rueckforderung_is_possible(staff, settings):
    from django.core.exceptions import ValidationError

    from antraege.models import Buchung

    settings.RUECKZAHLUNG_IBAN = ""
    with pytest.raises(ValidationError, match="Für Rückzahlungen ist kein Konto eingerichtet"):
        rueckforderung(staff)
    assert not Buchung.objects.filter(art=Buchung.Art.RUECKFORDERUNG).exists()
    assert not AusgehendeMail.objects.filter(text__contains="zurückfordern").exists()
    assert not Antrag.objects.filter(status=Status.RUECKFORDERUNG).exists()


def test_internal_steps_send_no_mail(staff):
    antrag = submitted_antrag()
    vorher = AusgehendeMail.objects.filter(empfaenger=[antrag.email]).count()
    entscheidungsreif(antrag, staff)
    assert AusgehendeMail.objects.filter(empfaenger=[antrag.email]).count() == vorher


# Staff: the preview before a step and the internal note


def test_the_preview_shows_the_letter_and_changes_nothing(staff_client):
    antrag = bereit()
    mails = AusgehendeMail.objects.count()
    response = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"vorschau": "bewilligt", "betrag": "600,00", "kommentar": "Nur die Technik."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wir bewilligen Ihnen 600,00\xa0€ von den beantragten 800,00\xa0€." in html
    assert "Begründung: Nur die Technik." in html and "[Statuslink]" in html
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF
    assert AusgehendeMail.objects.count() == mails
    # The page takes the step with the same values.
    assert re.search(r'name="betrag" value="600,00"', html)
    assert 'name="nach" value="bewilligt"' in html


def test_a_step_without_a_letter_has_no_preview_button(staff_client):
    antrag = submitted_antrag()
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'name="vorschau" value="in_pruefung"' not in html
    assert "Es geht keine E-Mail an die Antragstellerin / den Antragsteller." in html


def test_the_internal_note_never_reaches_the_applicant(staff_client):
    from django.test import Client

    client = Client()
    antrag = bereit()
    staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {
            "nach": "bewilligt",
            "betrag": "800,00",
            "kommentar": "Viel Erfolg!",
            "interne_notiz": "Antragsteller früher schon unzuverlässig",
        },
    )
    antrag.refresh_from_db()
    assert antrag.status == Status.BEWILLIGT
    assert antrag.verlauf.last().interne_notiz == "Antragsteller früher schon unzuverlässig"
    for m in mail.outbox:
        assert "unzuverlässig" not in m.body
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert "unzuverlässig" not in html and "Viel Erfolg!" in html
    change = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "unzuverlässig" in change


def test_a_refused_step_keeps_no_note(staff_client):
    antrag = bereit()
    staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "bewilligt", "betrag": "900,00", "interne_notiz": "zu viel"},
    )
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF
    assert not antrag.verlauf.filter(interne_notiz="zu viel").exists()


def test_the_rueckforderung_is_prefilled_with_the_unspent_difference(staff_client, staff):
    antrag = zentral_bewilligt(staff, "1000.00")
    auszahlen(antrag, "1000.00", staff)
    einreichung.verwendungsnachweis_einreichen(
        antrag=Antrag.objects.get(pk=antrag.pk),
        bericht="Fest war schön.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("720.50")),
        dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
    )
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'name="rueckforderung" inputmode="decimal" value="279,50"' in html


# Paper applications without e-mail (point 7)


def test_a_paper_application_without_email_is_entered_and_its_letter_printed(staff_client):
    from .factories import antrag_post_data

    response = staff_client.post(
        "/admin/antraege/antrag/papier/", antrag_post_data(email=""), follow=True
    )
    antrag = Antrag.objects.get()
    assert antrag.email == "" and antrag.eingang == "papier"
    html = response.content.decode()
    # Straight to the letter to print: address block, reference, and how to ask for the
    # state; no working status link (staff print it, and the link acts as the applicant).
    assert "Beispielverein e. V." in html and "44263 Dortmund" in html
    assert f"Ihr Antrag {antrag.aktenzeichen} ist eingegangen" in html
    assert token(antrag) not in html and "/antrag/status/" not in html
    assert "fragen Sie bitte das Projektbüro, mit Ihrem Aktenzeichen" in html
    assert "Ohne E-Mail-Adresse geht keine Eingangsbestätigung hinaus" in html
    assert not AusgehendeMail.objects.filter(empfaenger=[""]).exists()
    assert not [m for m in mail.outbox if m.to == [""]]


def test_steps_of_a_paper_application_send_nothing_and_print_the_letter(staff_client, staff):
    antrag = bereit()
    Antrag.objects.filter(pk=antrag.pk).update(email="")
    response = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "bewilligt", "betrag": "800,00"},
        follow=True,
    )
    assert "Bitte drucken Sie den Brief" in response.content.decode()
    assert not AusgehendeMail.objects.filter(empfaenger=[""]).exists()
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/").content.decode()
    assert "Wir bewilligen Ihnen den beantragten Betrag von 800,00\xa0€." in html
    assert "Erika Beispiel" in html


def test_the_online_form_still_needs_an_address(client):
    from .factories import antrag_post_data

    html = client.post("/antrag/", antrag_post_data(email="")).content.decode()
    assert "damit wir Ihnen den Link zu Ihrem Antrag schicken können" in html
    assert not Antrag.objects.exists()


def test_a_letter_of_another_area_is_not_shown(client, staff):
    from quartiere.models import Aktionsraum

    from .factories import beauftragte_user

    antrag = submitted_antrag()
    andere = beauftragte_user(Aktionsraum.objects.get(slug="wickede"), username="b-wickede")
    client.force_login(andere)
    assert client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/").status_code == 404


def test_receipts_are_listed_apart_from_the_applications_files(staff):
    from django.test import Client

    antrag = zentral_bewilligt(staff, "1000.00")
    auszahlen(antrag, "1000.00", staff)
    einreichung.verwendungsnachweis_einreichen(
        antrag=Antrag.objects.get(pk=antrag.pk),
        bericht="Fest war schön.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("900.00")),
        dateien=[SimpleUploadedFile("kassenbon.pdf", PDF_BYTES, "application/pdf")],
    )
    html = Client().get(f"/antrag/status/{token(antrag)}/").content.decode()
    anlagen_teil = html.split("Verwendungsnachweis</h3>")[0]
    assert "kassenbon.pdf" not in anlagen_teil
    assert re.search(r'<ul class="belege"><li><a href="[^"]+">kassenbon.pdf</a>', html)


@pytest.mark.parametrize(
    "status", [Status.EINGEREICHT, Status.RUECKFRAGE, Status.BEWILLIGT, Status.RUECKFORDERUNG]
)
def test_no_printed_letter_carries_a_working_status_link(staff_client, staff, status):
    antrag = zentral_bewilligt(staff, "1000.00")
    Antrag.objects.filter(pk=antrag.pk).update(status=status)
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/").content.decode()
    assert token(antrag) not in html and "/antrag/status/" not in html
    assert "über den Link unten" not in html
    assert antrag.aktenzeichen in html


def test_read_only_accounts_may_not_print_letters(client, staff):
    from antraege.rollen import LESEZUGRIFF

    from .factories import rollen_user

    antrag = submitted_antrag()
    client.force_login(rollen_user("leser", LESEZUGRIFF))
    antwort = client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/")
    assert antwort.status_code == 403
    assert antrag.strasse not in antwort.content.decode()
    seite = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "Brief zum aktuellen Stand drucken" not in seite


def test_the_area_commissioner_prints_her_areas_letters_without_a_link(client):
    from quartiere.models import Aktionsraum

    from .factories import beauftragte_user

    antrag = submitted_antrag()
    client.force_login(beauftragte_user(Aktionsraum.objects.get(slug="hoerde")))
    html = client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/").content.decode()
    assert antrag.strasse in html and token(antrag) not in html


def test_the_status_page_and_the_letter_ask_for_the_same_repayment(client, staff):
    antrag = rueckforderung(staff)
    brief = letzter_brief(antrag).text
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    zweck = f"{antrag.aktenzeichen} Rückforderung"
    assert f"Verwendungszweck (bitte genau so angeben): {zweck}" in brief
    assert f"<dd>{zweck}</dd>" in html
    assert "<dd>DE02 1203 0000 0000 2020 51</dd>" in html
    assert "<dd>Stadtkasse (Testkonto)</dd>" in html
    assert "Bitte überweisen Sie 250,00\xa0€ bis zum" in html
    # Due the same day in both, also when the letter is printed days later.
    faellig = date_format(timezone.localdate() + timedelta(days=30), "DATE_FORMAT")
    assert faellig in html and faellig in brief
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        staff_client = Client()
        staff_client.force_login(staff)
        gedruckt = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/brief/")
    assert faellig in gedruckt.content.decode()


def test_money_rows_name_paid_out_paid_back_and_net_apart(client, staff):
    from antraege.models import Buchung

    antrag = rueckforderung(staff)
    workflow.rueckzahlung_buchen(
        antrag=Antrag.objects.get(pk=antrag.pk),
        betrag=Decimal("200.00"),
        datum=timezone.localdate(),
        referenz="KA-1",
        by=projektbuero_user("kasse"),
    )
    assert Buchung.objects.filter(art=Buchung.Art.RUECKZAHLUNG).exists()
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    zeilen = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert zeilen["Ausgezahlt"] == "1.000,00\xa0€"  # as the payout row below says
    # In the applicant's words: asked back, paid back, what the applicant keeps.
    assert zeilen["Von Ihnen zurückgezahlt"] == "200,00\xa0€"
    assert zeilen["Bei Ihnen verblieben"] == "800,00\xa0€"
    assert zeilen["Zurückzuzahlen"] == "250,00\xa0€"
    assert re.search(r"<td[^>]*>1\.000,00\xa0€</td>", html)


def test_the_granted_amount_on_the_status_page_is_the_ledgers_after_a_storno(client, staff):
    antrag = zentral_bewilligt(staff, "1000.00")
    auszahlen(antrag, "600.00", staff)
    einreichung.verwendungsnachweis_einreichen(
        antrag=Antrag.objects.get(pk=antrag.pk),
        bericht="Kleiner als geplant.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("600.00")),
        dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
    )
    # Closing gives the unpaid 400 back to the pot (a Storno booking).
    workflow.antrag_abschliessen(antrag=Antrag.objects.get(pk=antrag.pk), by=staff)
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    zeilen = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert zeilen["Bewilligter Betrag"] == "600,00\xa0€"
