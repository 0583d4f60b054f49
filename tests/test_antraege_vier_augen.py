"""Four eyes on money: a payout is confirmed by one account and ordered by another, a changed
bank account waits for a second Projektbüro account, a changed e-mail address is told to the
old one and renews the link, and a Beauftragte cannot date a conference back months."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from antraege.models import Antrag, Auszahlung, Projektkonferenz, Status
from antraege.rollen import LESEZUGRIFF
from antraege.selectors import berichte, fristen
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import vier_augen, workflow
from antraege.services.auszahlung import (
    auszahlung_anordnen,
    auszahlung_feststellen,
    auszahlung_verwerfen,
    bankverbindung_bestaetigen,
    kontaktdaten_aendern,
)
from quartiere.models import Aktionsraum

from .factories import (
    antrag_post_data,
    beauftragte_user,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

# Reads response.context for the admin form's errors when a step fails.
pytestmark = [pytest.mark.django_db, pytest.mark.vorlagen_aufzeichnung]
NEUE_IBAN = "DE02120300000000202051"


@pytest.fixture
def erste():
    return projektbuero_user("erste")


@pytest.fixture
def zweite():
    return projektbuero_user("zweite")


@pytest.fixture
def bewilligt(erste):
    return zentral_bewilligt(erste)


def feststellen(antrag, betrag, by):
    return auszahlung_feststellen(
        antrag=antrag, betrag=Decimal(betrag), datum=timezone.localdate(), referenz="KZ-1", by=by
    )


def frisch(antrag):
    return Antrag.objects.get(pk=antrag.pk)


def test_a_confirmed_payout_is_not_paid_until_a_second_person_orders_it(bewilligt, erste, zweite):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    assert frisch(bewilligt).status == Status.BEWILLIGT
    assert antrag_geldstand(frisch(bewilligt)).netto_ausgezahlt == Decimal("0.00")
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    antrag = frisch(bewilligt)
    assert antrag.status == Status.TEILWEISE_AUSGEZAHLT
    assert antrag_geldstand(antrag).netto_ausgezahlt == Decimal("600.00")
    auszahlung.refresh_from_db()
    assert (auszahlung.festgestellt_von, auszahlung.angeordnet_von) == (erste, zweite)
    # Who confirmed it is in the history, as staff's internal note (not on the status page).
    notizen = [(v.interne_notiz, v.kommentar) for v in antrag.verlauf.all()]
    assert any("sachlich und rechnerisch richtig festgestellt" in n for n, _k in notizen)
    assert not any("festgestellt" in k for _n, k in notizen)
    assert [v.user for v in antrag.verlauf.filter(nach=Status.TEILWEISE_AUSGEZAHLT)] == [zweite]


def test_the_same_account_cannot_confirm_and_order(bewilligt, erste):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        auszahlung_anordnen(auszahlung=auszahlung, by=erste)
    assert antrag_geldstand(frisch(bewilligt)).netto_ausgezahlt == Decimal("0.00")
    assert Auszahlung.objects.angeordnet().count() == 0


def test_the_database_refuses_one_person_for_both_steps(bewilligt, erste):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    with pytest.raises(IntegrityError), transaction.atomic():
        Auszahlung.objects.filter(pk=auszahlung.pk).update(
            angeordnet_von=erste, angeordnet_am=timezone.now()
        )


def test_an_ordered_payout_cannot_be_ordered_twice(bewilligt, erste, zweite):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    with pytest.raises(ValidationError, match="bereits angeordnet"):
        auszahlung_anordnen(auszahlung=auszahlung, by=projektbuero_user("dritte"))
    assert antrag_geldstand(frisch(bewilligt)).netto_ausgezahlt == Decimal("600.00")


def test_confirmed_payouts_count_against_the_grant_before_they_are_ordered(bewilligt, erste):
    feststellen(bewilligt, "600.00", erste)
    with pytest.raises(ValidationError, match="höchstens noch 400,00 €"):
        feststellen(bewilligt, "500.00", erste)


def test_a_wrong_confirmed_payout_is_dropped_with_a_reason(bewilligt, erste, zweite):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    with pytest.raises(ValidationError, match="begründen"):
        auszahlung_verwerfen(auszahlung=auszahlung, by=zweite, grund=" ")
    auszahlung_verwerfen(auszahlung=auszahlung, by=zweite, grund="Falscher Betrag")
    assert not Auszahlung.objects.exists()
    feststellen(bewilligt, "1000.00", erste)  # the whole grant is open again


def test_the_overview_counts_only_ordered_payouts(bewilligt, erste, zweite):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    hj = bewilligt.haushaltsjahr

    def zentral():
        zeilen = berichte.budget_uebersicht(haushaltsjahr=hj, user=erste)["zeilen"]
        return zeilen[-1]["auszahlungen"]

    assert zentral() == Decimal("0.00")
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    assert zentral() == Decimal("600.00")


@pytest.mark.parametrize("rolle", ["beauftragte", "lesezugriff"])
def test_only_the_projektbuero_confirms_or_orders(bewilligt, erste, rolle):
    if rolle == "beauftragte":
        user = beauftragte_user(Aktionsraum.objects.get(slug="hoerde"))
    else:
        user = rollen_user("pruefer", LESEZUGRIFF)
    with pytest.raises(PermissionDenied):
        feststellen(bewilligt, "100.00", user)
    auszahlung = feststellen(bewilligt, "100.00", erste)
    with pytest.raises(PermissionDenied):
        auszahlung_anordnen(auszahlung=auszahlung, by=user)


def test_ordering_through_the_admin_refuses_the_same_person_and_foreign_ids(
    client, bewilligt, erste, zweite
):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    url = f"/admin/antraege/antrag/{bewilligt.pk}/auszahlung/{auszahlung.pk}/anordnen/"
    client.force_login(erste)
    seite = client.get(f"/admin/antraege/antrag/{bewilligt.pk}/change/").content.decode()
    assert "anordnen muss sie eine zweite Person" in seite
    assert url not in seite
    response = client.post(url, follow=True)
    assert "Vier-Augen-Prinzip" in response.content.decode()
    assert antrag_geldstand(frisch(bewilligt)).netto_ausgezahlt == Decimal("0.00")
    # A payout id of another Antrag under this Antrag's address is not found.
    anderer = submitted_antrag(titel="Anderes")
    client.force_login(zweite)
    falsch = f"/admin/antraege/antrag/{anderer.pk}/auszahlung/{auszahlung.pk}/anordnen/"
    assert client.post(falsch).status_code == 404
    assert client.get(url).status_code == 405
    seite = client.get(f"/admin/antraege/antrag/{bewilligt.pk}/change/").content.decode()
    assert url in seite
    response = client.post(url, follow=True)
    assert "Auszahlung über 600,00\xa0€ angeordnet." in response.content.decode()
    assert antrag_geldstand(frisch(bewilligt)).netto_ausgezahlt == Decimal("600.00")


def test_a_beauftragte_of_another_area_cannot_reach_a_payout(client, bewilligt, erste):
    auszahlung = feststellen(bewilligt, "600.00", erste)
    client.force_login(beauftragte_user(Aktionsraum.objects.get(slug="wickede")))
    url = f"/admin/antraege/antrag/{bewilligt.pk}/auszahlung/{auszahlung.pk}/anordnen/"
    assert client.post(url).status_code == 404


@pytest.fixture
def rueckfrage(erste):
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("350.00")
    )
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=erste)
    return workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=erste, kommentar="Bitte IBAN prüfen"
    )


def test_an_iban_changed_by_the_applicant_blocks_payouts_until_confirmed(
    client, rueckfrage, erste, zweite
):
    daten = antrag_post_data(
        iban=NEUE_IBAN, antwort="Neue Bankverbindung", finanzierungsquelle="projektbudget"
    )
    daten.pop("datenschutz")
    client.post(f"/antrag/status/{token(rueckfrage)}/antworten/angaben/", daten)
    antrag = frisch(rueckfrage)
    assert antrag.iban == NEUE_IBAN and antrag.iban_pruefung_offen
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.ENTSCHEIDUNGSREIF, by=erste)
    antrag = workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("350.00"), by=erste)
    with pytest.raises(ValidationError, match="Bankverbindung wurde geändert"):
        feststellen(antrag, "350.00", erste)
    # The one who asked the Rückfrage may have answered it through the link: not her.
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        bankverbindung_bestaetigen(antrag=antrag, by=erste)
    assert frisch(antrag).iban_pruefung_offen
    bankverbindung_bestaetigen(antrag=antrag, by=zweite)
    auszahlung = feststellen(antrag, "350.00", erste)
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    kommentare = [
        (v.durch_antragsteller, v.user, v.kommentar) for v in frisch(antrag).verlauf.all()
    ]
    assert any(d and "Bankverbindung geändert" in k for d, _u, k in kommentare)
    assert any(
        u == zweite and f"zweiten Person bestätigt: {zweite.username}" in k
        for _d, u, k in kommentare
    )


def test_staff_who_sent_the_link_to_a_new_address_may_not_confirm_the_iban_changed_there(
    client, erste, zweite
):
    dritte = projektbuero_user("dritte")
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    kontaktdaten_aendern(antrag=antrag, daten={"email": "meine-eigene@example.org"}, by=erste)
    workflow.antrag_status_setzen(antrag=frisch(antrag), nach=Status.IN_PRUEFUNG, by=zweite)
    workflow.antrag_status_setzen(
        antrag=frisch(antrag), nach=Status.RUECKFRAGE, by=zweite, kommentar="Konto?"
    )
    daten = antrag_post_data(
        iban=NEUE_IBAN, antwort="Neues Konto", finanzierungsquelle="projektbudget"
    )
    daten.pop("datenschutz")
    client.post(f"/antrag/status/{token(frisch(antrag))}/antworten/angaben/", daten)
    antrag = frisch(antrag)
    assert antrag.iban == NEUE_IBAN and antrag.iban_pruefung_offen
    for kennt_den_link in (erste, zweite):
        with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
            bankverbindung_bestaetigen(antrag=antrag, by=kennt_den_link)
    bankverbindung_bestaetigen(antrag=antrag, by=dritte)
    assert not frisch(antrag).iban_pruefung_offen


def test_an_iban_changed_by_staff_needs_another_account_to_confirm(
    client, bewilligt, erste, zweite
):
    auszahlung = feststellen(bewilligt, "300.00", erste)
    client.force_login(erste)
    url = f"/admin/antraege/antrag/{bewilligt.pk}/change/"
    antrag = frisch(bewilligt)
    seite = client.get(url).content.decode()
    # The inlines' management forms, as the browser sends them with the page.
    formular = dict(
        re.findall(
            r'<input type="hidden" name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
            r'[^>]*value="(\d+)"',
            seite,
        )
    )
    formular.update(
        {
            name: getattr(antrag, name) or ""
            for name in ["ansprechperson", "strasse", "plz", "wohnort", "email", "telefon"]
        }
    )
    response = client.post(url, {**formular, "kontoinhaber": "Neue Inhaberin", "iban": NEUE_IBAN})
    assert response.status_code == 302, response.context["adminform"].form.errors
    antrag = frisch(bewilligt)
    assert antrag.iban == NEUE_IBAN and antrag.iban_pruefung_offen
    assert vier_augen.beteiligte(
        antrag=antrag, gegenstand=vier_augen.Gegenstand.BANKVERBINDUNG
    ) == {erste.pk}
    # Even a payout confirmed before the change cannot be ordered now.
    with pytest.raises(ValidationError, match="Bankverbindung wurde geändert"):
        auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        bankverbindung_bestaetigen(antrag=antrag, by=erste)
    response = client.post(f"/admin/antraege/antrag/{antrag.pk}/bankverbindung/", follow=True)
    assert "Vier-Augen-Prinzip" in response.content.decode()
    client.force_login(zweite)
    seite = client.get(url).content.decode()
    assert "Neue Bankverbindung bestätigen" in seite
    client.post(f"/admin/antraege/antrag/{antrag.pk}/bankverbindung/")
    assert not frisch(antrag).iban_pruefung_offen
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    historie = [h.iban for h in frisch(antrag).history.order_by("history_id")]
    assert historie[-1] == NEUE_IBAN and "DE89370400440532013000" in historie


def test_a_beauftragte_cannot_change_the_bank_account(bewilligt):
    user = beauftragte_user(Aktionsraum.objects.get(slug="hoerde"))
    with pytest.raises(ValidationError, match="Bankverbindung dürfen Sie nicht"):
        kontaktdaten_aendern(antrag=bewilligt, daten={"iban": NEUE_IBAN}, by=user)
    assert frisch(bewilligt).iban != NEUE_IBAN


def test_a_new_email_address_is_told_to_the_old_one_and_gets_a_new_link(
    client, bewilligt, erste, django_capture_on_commit_callbacks
):
    alt = token(bewilligt)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        kontaktdaten_aendern(antrag=bewilligt, daten={"email": "neu@example.org"}, by=erste)
    an_alt = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    an_neu = [m for m in mail.outbox if m.to == ["neu@example.org"]]
    assert len(an_alt) == 1 and "E-Mail-Adresse geändert" in an_alt[0].subject
    assert "/antrag/status/" not in an_alt[0].body
    neu = token(bewilligt)
    assert neu != alt and f"/antrag/status/{neu}/" in an_neu[0].body
    assert client.get(f"/antrag/status/{alt}/").status_code == 404
    assert client.get(f"/antrag/status/{neu}/").status_code == 200


def konferenz_formular(aktionsraum, datum, begruendung=""):
    return {
        "aktionsraum": str(aktionsraum.pk),
        "datum": datum.isoformat(),
        "ort": "Stadtteilzentrum",
        "nachtrag_begruendung": begruendung,
        "protokoll": "",
        "teilnahmen-TOTAL_FORMS": "0",
        "teilnahmen-INITIAL_FORMS": "0",
        "beschluesse-TOTAL_FORMS": "0",
        "beschluesse-INITIAL_FORMS": "0",
    }


def test_a_beauftragte_records_a_conference_at_most_30_days_back(client):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    client.force_login(beauftragte_user(hoerde))
    heute = timezone.localdate()
    url = "/admin/antraege/projektkonferenz/add/"
    response = client.post(url, konferenz_formular(hoerde, heute - timedelta(days=31), "Grund"))
    assert "kann nur das Projektbüro nachtragen" in response.content.decode()
    assert not Projektkonferenz.objects.exists()
    response = client.post(url, konferenz_formular(hoerde, heute - timedelta(days=30)))
    assert response.status_code == 302 and Projektkonferenz.objects.count() == 1


def test_the_projektbuero_records_an_older_conference_only_with_a_reason(client, erste):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    client.force_login(erste)
    alt = timezone.localdate() - timedelta(days=90)
    url = "/admin/antraege/projektkonferenz/add/"
    response = client.post(url, konferenz_formular(hoerde, alt))
    assert "bitte begründen Sie den Nachtrag" in response.content.decode()
    response = client.post(url, konferenz_formular(hoerde, alt, "Protokoll kam erst jetzt"))
    assert response.status_code == 302
    assert Projektkonferenz.objects.get().nachtrag_begruendung == "Protokoll kam erst jetzt"


def test_the_start_page_lists_payouts_and_bank_accounts_waiting_for_a_second_person(
    client, bewilligt, erste, zweite
):
    submitted_antrag(titel="Ohne Auszahlung")  # no payout at all: not on the list

    def zahl(schluessel):
        zahlen = fristen.startseite(user=zweite)["zahlen"]
        return next(z["anzahl"] for z in zahlen if z["schluessel"] == schluessel)

    assert zahl("anordnung_offen") == 0
    auszahlung = feststellen(bewilligt, "600.00", erste)
    assert zahl("anordnung_offen") == 1
    client.force_login(zweite)
    liste = client.get("/admin/antraege/antrag/?aufgabe=anordnung_offen").content.decode()
    assert bewilligt.aktenzeichen in liste and "Ohne Auszahlung" not in liste
    auszahlung_anordnen(auszahlung=auszahlung, by=zweite)
    assert zahl("anordnung_offen") == 0
    kontaktdaten_aendern(antrag=bewilligt, daten={"iban": NEUE_IBAN}, by=erste)
    assert zahl("bankverbindung_offen") == 1
