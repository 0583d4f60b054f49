"""One ledger: partial payouts, a Rückforderung that stays open until the money is back or
written off, budget years that staff set up, and the same figures on every page and export."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Aktionsraumfonds, Antrag, Buchung, Haushaltsjahr, Status
from antraege.selectors import berichte
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import auszahlung, budget, einreichung, workflow
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    auszahlen,
    fonds_bewilligen,
    projektbuero_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db
HEUTE = timezone.localdate


@pytest.fixture
def zweite():
    return projektbuero_user("zweite-person")


def fonds_antrag(staff, betrag, titel="Nachbarschaftsfest", bewilligen=None):
    antrag = submitted_antrag(beantragter_betrag=Decimal(betrag), titel=titel)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(antrag, Decimal(bewilligen or betrag), by=staff, begruendung="Teil")
    return Antrag.objects.get(pk=antrag.pk)


def rueckfordern(antrag, betrag, by):
    return workflow.antrag_rueckfordern(
        antrag=antrag, betrag=Decimal(betrag), by=by, kommentar="Nicht verbraucht."
    )


def rueckzahlung(antrag, betrag, by, referenz="Kasse 1", datum=None):
    """Books a refund on a claim `by` made: the booking is a second account's (four eyes)."""
    from django.contrib.auth.models import User

    name = f"{by.username}-kasse"
    kasse = User.objects.filter(username=name).first() or projektbuero_user(name)
    return workflow.rueckzahlung_buchen(
        antrag=antrag, betrag=Decimal(betrag), datum=datum or HEUTE(), referenz=referenz, by=kasse
    )


def frisch(antrag):
    return Antrag.objects.get(pk=antrag.pk)


def buchungen():
    return list(Buchung.objects.values_list("art", "betrag"))


def euro_werte(html, schluessel):
    """The figures a page shows under data-wert="schluessel", as Decimals."""
    werte = re.findall(rf'data-wert="{schluessel}">([^<]*)<', html)
    return [Decimal(w.replace("\xa0€", "").replace(".", "").replace(",", ".")) for w in werte]


# --- states -------------------------------------------------------------------------------


def test_a_partial_payout_is_teilweise_ausgezahlt_until_the_grant_is_paid(staff):
    antrag = zentral_bewilligt(staff, "700.00")
    auszahlen(antrag, "300.00", staff)
    assert frisch(antrag).status == Status.TEILWEISE_AUSGEZAHLT
    assert frisch(antrag).get_status_display() == "teilweise ausgezahlt"
    auszahlen(antrag, "400.00", staff, referenz="KZ-2")
    assert frisch(antrag).status == Status.AUSGEZAHLT
    assert antrag_geldstand(frisch(antrag)).netto_ausgezahlt == Decimal("700.00")


def test_after_a_rueckforderung_the_pot_gets_the_money_only_when_it_arrives(staff):
    antrag = fonds_antrag(staff, "2000.50")
    auszahlen(antrag, "2000.50", staff)
    rueckfordern(frisch(antrag), "50.50", staff)
    fonds = Aktionsraumfonds.objects.get(aktionsraum=antrag.aktionsraum, haushaltsjahr__jahr=2026)
    assert budget.fonds_stand(fonds=fonds).gebunden == Decimal("2000.50")
    assert frisch(antrag).get_status_display() == "Rückzahlung offen"
    rueckzahlung(antrag, "20.00", staff, referenz="Teil 1")
    rueckzahlung(antrag, "30.50", staff, referenz="Teil 2")
    stand = antrag_geldstand(frisch(antrag))
    assert (stand.bewilligt, stand.netto_ausgezahlt, stand.gebunden) == (
        Decimal("2000.50"),
        Decimal("1950.00"),
        Decimal("1950.00"),
    )
    assert budget.fonds_stand(fonds=fonds).verfuegbar == Decimal("3050.00")
    workflow.antrag_abschliessen(antrag=antrag, by=staff)
    assert frisch(antrag).status == Status.ABGESCHLOSSEN


def test_closing_with_the_refund_still_out_is_refused_and_nothing_is_booked(staff):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    rueckfordern(antrag, "100.00", staff)
    vorher = buchungen()
    with pytest.raises(ValidationError, match="noch 100,00 € offen"):
        workflow.antrag_abschliessen(antrag=antrag, by=staff)
    assert buchungen() == vorher and frisch(antrag).status == Status.RUECKFORDERUNG


def test_a_write_off_needs_a_reason_and_a_second_person_and_the_money_stays_spent(staff, zweite):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    rueckfordern(antrag, "100.00", staff)
    rueckzahlung(antrag, "40.00", staff)
    with pytest.raises(ValidationError, match="begründen"):
        workflow.rueckforderung_niederschlagen(antrag=antrag, by=zweite, grund=" ")
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        workflow.rueckforderung_niederschlagen(antrag=antrag, by=staff, grund="Verein aufgelöst")
    workflow.rueckforderung_niederschlagen(antrag=antrag, by=zweite, grund="Verein aufgelöst")
    stand = antrag_geldstand(frisch(antrag))
    assert stand.niedergeschlagen == Decimal("60.00") and stand.rueckzahlung_offen == 0
    assert stand.gebunden == Decimal("460.00") == stand.netto_ausgezahlt
    workflow.antrag_abschliessen(antrag=antrag, by=staff)
    assert antrag_geldstand(frisch(antrag)).gebunden == Decimal("460.00")


def test_closing_with_a_payout_waiting_for_its_order_is_refused(staff):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "300.00", staff)
    auszahlung.auszahlung_feststellen(
        antrag=antrag, betrag=Decimal("50.00"), datum=HEUTE(), referenz="KZ-9", by=staff
    )
    einreichung.verwendungsnachweis_einreichen(
        antrag=frisch(antrag),
        bericht="Fertig.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("300.00")),
        dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
    )
    with pytest.raises(ValidationError, match="wartet noch auf die Anordnung"):
        workflow.antrag_abschliessen(antrag=antrag, by=staff)


# --- bad input: each refused with a German message, nothing booked -----------------------


@pytest.mark.parametrize(
    ("betrag", "referenz", "tage", "meldung"),
    [
        ("100.01", "K-1", 0, "nur noch 100,00 € der Rückforderung offen"),
        ("0", "K-1", 0, "größer als 0"),
        ("-5", "K-1", 0, "größer als 0"),
        ("10.00", " ", 0, "Buchungsreferenz"),
        ("10.00", "K-1", 1, "zwischen der Rückforderung"),
        ("10.00", "K-1", -1, "zwischen der Rückforderung"),
    ],
)
def test_a_bad_refund_is_refused(staff, betrag, referenz, tage, meldung):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    rueckfordern(antrag, "100.00", staff)
    vorher = buchungen()
    with pytest.raises(ValidationError, match=meldung):
        rueckzahlung(antrag, betrag, staff, referenz, HEUTE() + timedelta(days=tage))
    assert buchungen() == vorher


def test_a_refund_booked_twice_is_refused(staff):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    rueckfordern(antrag, "100.00", staff)
    rueckzahlung(antrag, "50.00", staff, referenz="Kasse 7")
    with pytest.raises(ValidationError, match="Referenz „Kasse 7“ ist schon gebucht"):
        rueckzahlung(antrag, "50.00", staff, referenz="Kasse 7")
    assert antrag_geldstand(frisch(antrag)).zurueckerhalten == Decimal("50.00")


def test_a_refund_without_a_rueckforderung_is_refused(staff):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    with pytest.raises(ValidationError, match="nur nach einer Rückforderung"):
        rueckzahlung(antrag, "10.00", staff)
    assert not Buchung.objects.filter(art=Buchung.Art.RUECKZAHLUNG).exists()


def test_a_rueckforderung_above_what_was_paid_is_refused(staff):
    antrag = zentral_bewilligt(staff, "700.00")
    auszahlen(antrag, "300.00", staff)
    with pytest.raises(ValidationError, match="höchstens die ausgezahlten 300,00 €"):
        rueckfordern(frisch(antrag), "300.01", staff)
    assert not Buchung.objects.filter(art=Buchung.Art.RUECKFORDERUNG).exists()


# --- budget years -------------------------------------------------------------------------


@pytest.mark.ohne_haushaltsjahr
def test_a_grant_into_a_year_nobody_set_up_is_refused(staff):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    assert not antrag.haushaltsjahr.eingerichtet
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    with pytest.raises(ValidationError, match="Haushaltsjahr 2026 ist noch kein Budget"):
        workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=staff)
    assert not Buchung.objects.exists() and frisch(antrag).status == Status.ENTSCHEIDUNGSREIF


@pytest.mark.ohne_haushaltsjahr
def test_the_district_page_says_when_the_year_is_not_set_up(client):
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert "Das Budget für 2026 ist noch nicht eingerichtet" in html
    assert "Fonds insgesamt" not in html


def test_a_grant_can_be_booked_in_the_year_of_the_decision(staff):
    alt = Haushaltsjahr.objects.create(jahr=2025, eingerichtet=True)
    budget.haushaltsjahr_einrichten(haushaltsjahr=alt)
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=antrag.pk).update(haushaltsjahr=alt, status=Status.ENTSCHEIDUNGSREIF)
    neu = Haushaltsjahr.objects.get(jahr=2026)
    workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=staff, haushaltsjahr=neu)
    assert Buchung.objects.get().haushaltsjahr == neu
    assert budget.projektbudget_stand(haushaltsjahr=neu).gebunden == Decimal("100.00")
    assert budget.projektbudget_stand(haushaltsjahr=alt).gebunden == 0
    bericht_neu = berichte.jahresbericht(haushaltsjahr=neu, user=staff)
    bericht_alt = berichte.jahresbericht(haushaltsjahr=alt, user=staff)
    assert bericht_neu["summe"]["bewilligt"] == Decimal("100.00")
    assert bericht_neu["summe"]["bewilligt_anzahl"] == 1
    assert bericht_alt["summe"]["eingegangen"] == 1 and bericht_alt["summe"]["bewilligt"] == 0


def test_the_admin_offers_the_year_of_the_decision_and_books_there(client, staff):
    client.force_login(staff)
    alt = Haushaltsjahr.objects.create(jahr=2025, eingerichtet=True)
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=antrag.pk).update(haushaltsjahr=alt, status=Status.ENTSCHEIDUNGSREIF)
    html = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "Haushaltsjahr der Bewilligung" in html and "Jahr der Entscheidung" in html
    neu = Haushaltsjahr.objects.get(jahr=2026)
    fremd = Haushaltsjahr.objects.create(jahr=2031, eingerichtet=True)
    url = f"/admin/antraege/antrag/{antrag.pk}/schritt/"
    daten = {"nach": "bewilligt", "betrag": "100,00"}
    client.post(url, {**daten, "haushaltsjahr": fremd.pk})
    assert not Buchung.objects.exists()
    client.post(url, {**daten, "haushaltsjahr": neu.pk})
    assert Buchung.objects.get().haushaltsjahr == neu


def test_a_fund_with_bookings_keeps_its_area_and_never_drops_below_what_it_bound(staff):
    antrag = fonds_antrag(staff, "1200.00")
    fonds = Aktionsraumfonds.objects.get(aktionsraum=antrag.aktionsraum, haushaltsjahr__jahr=2026)
    fonds.aktionsraum = Aktionsraum.objects.get(slug="wickede")
    with pytest.raises(ValidationError, match="Aktionsraum kann nicht mehr geändert werden"):
        budget.fonds_aenderung_pruefen(fonds=fonds)
    fonds.refresh_from_db()
    fonds.betrag = Decimal("1199.99")
    with pytest.raises(ValidationError, match="nicht unter die schon gebundenen 1.200,00 €"):
        budget.fonds_aenderung_pruefen(fonds=fonds)


def test_the_admin_refuses_swapping_fund_areas_after_bookings(client, staff):
    antrag = fonds_antrag(staff, "1200.00")
    client.force_login(staff)
    hj = Haushaltsjahr.objects.get(jahr=2026)
    url = f"/admin/antraege/haushaltsjahr/{hj.pk}/change/"
    html = client.get(url).content.decode()
    fonds = list(hj.fonds.order_by("id"))
    daten = {
        "jahr": "2026",
        # The admin's number fields take the dot, as the browser sends them.
        "gesamtbudget": "226000.00",
        "fonds_je_aktionsraum": "5000.00",
        "nachweis_frist_monate": "3",
        "eingerichtet": "on",
        "fonds-TOTAL_FORMS": str(len(fonds)),
        "fonds-INITIAL_FORMS": str(len(fonds)),
        "fonds-MIN_NUM_FORMS": "0",
        "fonds-MAX_NUM_FORMS": "1000",
    }
    assert 'name="fonds-TOTAL_FORMS"' in html
    hoerde = antrag.aktionsraum
    wickede = Aktionsraum.objects.get(slug="wickede")
    for i, f in enumerate(fonds):
        area = f.aktionsraum
        if area == hoerde:
            area = wickede
        elif area == wickede:
            area = hoerde
        daten |= {
            f"fonds-{i}-id": str(f.pk),
            f"fonds-{i}-haushaltsjahr": str(hj.pk),
            f"fonds-{i}-aktionsraum": str(area.pk),
            f"fonds-{i}-betrag": "5000.00",
        }
    response = client.post(url, daten)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aktionsraum kann nicht mehr geändert werden" in html
    assert "Bitte eine Zahl eingeben" not in html  # refused for the swap, nothing else
    assert Aktionsraumfonds.objects.get(pk=fonds[0].pk).aktionsraum == fonds[0].aktionsraum
    assert Buchung.objects.get().fonds.aktionsraum == hoerde


def test_a_total_below_what_is_bound_is_refused(staff):
    zentral_bewilligt(staff, "1000.00")
    hj = Haushaltsjahr.objects.get(jahr=2026)
    hj.gesamtbudget = Decimal("999.99")
    with pytest.raises(ValidationError, match="nicht unter die schon gebundenen"):
        budget.haushaltsjahr_aenderung_pruefen(haushaltsjahr=hj)


# --- one answer everywhere ----------------------------------------------------------------


def test_the_hoerde_example_gives_one_answer_on_every_page_and_export(client, staff):
    """The case from the issue: 2.000,50 € granted from the fund, 50,50 € asked back and
    received; one central project in the same area."""
    antrag = fonds_antrag(staff, "2000.50", titel="Stadtteilfest")
    zentral = zentral_bewilligt(staff, "3000.00")
    auszahlen(antrag, "2000.50", staff)
    rueckfordern(frisch(antrag), "50.50", staff)
    rueckzahlung(antrag, "50.50", staff)

    html = client.get("/aktionsraeume/hoerde/").content.decode()
    fonds_teil, zentral_teil = html.split('id="zentral-projekte"')
    assert euro_werte(fonds_teil, "bewilligt") == [Decimal("2000.50"), Decimal("2000.50")]
    # What is bound is the fund's figure behind "Wie wir rechnen"; projects show their grant.
    assert euro_werte(fonds_teil, "gebunden") == [Decimal("1950.00")]
    assert euro_werte(fonds_teil, "summe-bewilligt") == [Decimal("2000.50")]
    assert euro_werte(fonds_teil, "verfuegbar") == [Decimal("3050.00")]
    assert 'data-wert="verfuegbar-satz">Noch verfügbar: 3.050\xa0€ von 5.000\xa0€<' in (fonds_teil)
    assert (
        "Stadtteilfest" in fonds_teil
        and zentral.titel not in fonds_teil.split("fonds-projekte")[-1]
    )
    assert euro_werte(zentral_teil, "summe-bewilligt") == [Decimal("3000.00")]

    client.force_login(staff)
    uebersicht = client.get("/admin/antraege/haushaltsjahr/uebersicht/").content.decode()
    zeile = re.search(r'<th scope="row">Hörde</th>(.*?)</tr>', uebersicht, re.S).group(1)
    assert "2.000,50\xa0€" in zeile and "1.950,00\xa0€" in zeile and "3.050,00\xa0€" in zeile

    text = client.get("/admin/antraege/haushaltsjahr/bericht/csv/").content.decode("utf-8-sig")
    zeilen = list(csv.reader(io.StringIO(text), delimiter=";"))
    kopf = zeilen[0]
    hoerde = next(z for z in zeilen if z[:2] == ["Hörde", "alle Ziele"])
    assert hoerde[kopf.index("Bewilligt")] == "5000,50"
    assert hoerde[kopf.index("Zurückerhalten")] == "50,50"
    assert hoerde[kopf.index("Gebunden")] == "4950,00"

    felder = {f"antragresource_{n}": "on" for n in ["aktenzeichen", "bewilligt", "gebunden"]}
    response = client.post(
        "/admin/antraege/antrag/export/", {"format": "1", "resource": "0", **felder}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    reihen = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert [Decimal(str(v)) for v in reihen[antrag.aktenzeichen]] == [
        Decimal("2000.50"),
        Decimal("1950.00"),
    ]


def test_csv_downloads_open_in_german_excel(client, staff):
    zentral_bewilligt(staff, "1234.50")
    client.force_login(staff)
    for url in [
        "/admin/antraege/haushaltsjahr/uebersicht/csv/",
        "/admin/antraege/haushaltsjahr/bericht/csv/",
    ]:
        inhalt = client.get(url).content
        assert inhalt.startswith("\ufeff".encode())
        text = inhalt.decode("utf-8-sig")
        erste = text.splitlines()[0]
        assert erste.startswith('"') and '";"' in erste
        assert '"1234,50"' in text and "1234.50" not in text


def test_the_yearly_report_counts_received_granted_rejected_and_withdrawn(client, staff):
    zentral_bewilligt(staff, "100.00")
    abgelehnt = submitted_antrag(finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=abgelehnt.pk).update(status=Status.ABGELEHNT)
    zurueck = submitted_antrag()
    Antrag.objects.filter(pk=zurueck.pk).update(status=Status.ZURUECKGEZOGEN)
    bericht = berichte.jahresbericht(haushaltsjahr=Haushaltsjahr.objects.get(jahr=2026), user=staff)
    summe = bericht["summe"]
    assert (summe["eingegangen"], summe["bewilligt_anzahl"]) == (3, 1)
    assert (summe["abgelehnt"], summe["zurueckgezogen"]) == (1, 1)
    assert summe["teilnehmende"] == frisch(abgelehnt).teilnehmende
    client.force_login(staff)
    response = client.get("/admin/antraege/haushaltsjahr/bericht/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    kopf = [c.value for c in sheet[1]]
    assert kopf[:4] == ["Aktionsraum", "Ziel", "Anträge eingegangen", "Anträge bewilligt"]
    letzte = [c.value for c in sheet[sheet.max_row]]
    assert letzte[0] == "Alle Aktionsräume" and letzte[2] == 3


def test_an_antrag_page_lists_its_bookings(client, staff):
    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "200.00", staff, referenz="KZ-77")
    client.force_login(staff)
    html = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "Buchungen (Hauptbuch)" in html and "KZ-77" in html
    assert euro_werte(html, "ausgezahlt") == [Decimal("200.00")]


def test_the_status_page_asks_for_the_open_refund_with_the_aktenzeichen(client, staff):
    from .factories import token

    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    rueckfordern(antrag, "80.00", staff)
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert "Bitte überweisen Sie 80,00\xa0€" in html and antrag.aktenzeichen in html


def test_rueckzahlung_offen_without_its_booking_is_refused_not_a_500(staff, zweite):
    """Data from before the ledger: the status says money is owed, no booking says how much."""
    antrag = zentral_bewilligt(staff, betrag="300.00")
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.RUECKFORDERUNG)
    vorher = Buchung.objects.filter(antrag=antrag).count()
    with pytest.raises(ValidationError, match="keine Rückforderung gebucht"):
        workflow.rueckzahlung_buchen(
            antrag=antrag,
            betrag=Decimal("10.00"),
            by=staff,
            datum=timezone.localdate(),
            referenz="KZ-9",
        )
    with pytest.raises(ValidationError, match="keine Rückforderung gebucht"):
        workflow.rueckforderung_niederschlagen(antrag=antrag, by=zweite, grund="uneinbringlich")
    assert Buchung.objects.filter(antrag=antrag).count() == vorher
