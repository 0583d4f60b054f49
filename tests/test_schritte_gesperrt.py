"""Steps that cannot be taken are shown as unavailable with the reason before anyone types
(issue 36 point 3): the Antrag's page reads the same check the service runs under its lock,
and no setting name reaches staff."""

from datetime import date
from decimal import Decimal

import pytest

from antraege.models import Antrag, Auszahlung, Status
from antraege.selectors import aktionen, hauptbuch

from .factories import zentral_bewilligt

pytestmark = pytest.mark.django_db

KEIN_KONTO = "Für Rückzahlungen ist kein Konto eingerichtet"


@pytest.fixture
def ausgezahlt(staff):
    antrag = zentral_bewilligt(staff)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.AUSGEZAHLT)
    return Antrag.objects.get(pk=antrag.pk)


def seite(client, antrag):
    return client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()


@pytest.mark.parametrize("leer", ["RUECKZAHLUNG_IBAN", "RUECKZAHLUNG_KONTOINHABER"])
def test_without_the_account_the_rueckforderung_is_shown_unavailable(
    staff_client, staff, ausgezahlt, settings, leer
):
    setattr(settings, leer, "")
    html = seite(staff_client, ausgezahlt)
    assert "Jetzt nicht möglich:" in html and KEIN_KONTO in html
    assert 'id="schritt-knopf-rueckforderung" disabled' in html
    # Nothing to type for a step that cannot be taken, and no setting name for staff.
    assert 'name="rueckforderung"' not in html
    assert "RUECKZAHLUNG" not in html
    # The service refuses the same, with the same words.
    antwort = staff_client.post(
        f"/admin/antraege/antrag/{ausgezahlt.pk}/schritt/",
        {"nach": "rueckforderung", "kommentar": "Nicht verbraucht", "rueckforderung": "10,00"},
        follow=True,
    )
    assert KEIN_KONTO in antwort.content.decode()
    assert Antrag.objects.get(pk=ausgezahlt.pk).status == Status.AUSGEZAHLT


def test_with_the_account_the_rueckforderung_can_be_taken(staff_client, ausgezahlt):
    html = seite(staff_client, ausgezahlt)
    assert KEIN_KONTO not in html
    assert 'name="nach" value="rueckforderung"' in html
    assert 'name="rueckforderung"' in html


def test_closing_with_a_payout_waiting_is_shown_unavailable(staff, ausgezahlt):
    Antrag.objects.filter(pk=ausgezahlt.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    antrag = Antrag.objects.get(pk=ausgezahlt.pk)
    Auszahlung.objects.create(
        antrag=antrag, betrag=Decimal("10.00"), datum=date(2026, 6, 1), referenz="K-9",
        festgestellt_von=staff,
    )  # fmt: skip
    gesperrt = aktionen.hindernisse(
        antrag=antrag,
        schritte=[Status.ABGESCHLOSSEN],
        stand=hauptbuch.antrag_geldstand(antrag),
    )
    assert "wartet noch auf die Anordnung" in gesperrt[Status.ABGESCHLOSSEN]


@pytest.mark.parametrize("rolle", ["projektbuero", "beauftragte"])
def test_only_the_steps_the_account_has_are_checked(staff, ausgezahlt, hoerde, rolle, settings):
    """A blocked step is a button the account would have: an account without the right sees
    neither the button nor its reason."""
    from .factories import beauftragte_user

    settings.RUECKZAHLUNG_IBAN = ""
    user = staff if rolle == "projektbuero" else beauftragte_user(ausgezahlt.aktionsraum)
    darf = aktionen.aktionen(antrag=ausgezahlt, user=user)
    if rolle == "projektbuero":
        assert set(darf.gesperrt) == {Status.RUECKFORDERUNG}
        assert not darf.rueckfordern
    else:
        assert darf.gesperrt == {} and darf.schritte == ()


def test_closing_with_money_still_owed_is_refused_by_the_service_too(staff, client):
    from antraege.services import workflow

    from .factories import auszahlen

    antrag = zentral_bewilligt(staff)
    auszahlen(antrag, "1000.00", staff)
    antrag = workflow.antrag_rueckfordern(
        antrag=Antrag.objects.get(pk=antrag.pk),
        betrag=Decimal("100.00"),
        by=staff,
        kommentar="Nicht verbraucht",
    )
    client.force_login(staff)
    html = seite(client, antrag)
    assert 'id="schritt-knopf-abgeschlossen" disabled' in html
    assert "Von der Rückforderung sind noch 100,00 € offen." in html
    with pytest.raises(Exception, match="Von der Rückforderung sind noch 100,00 € offen"):
        workflow.antrag_abschliessen(antrag=antrag, by=staff)
    assert Antrag.objects.get(pk=antrag.pk).status == Status.RUECKFORDERUNG


def test_a_proof_status_without_a_proof_row_shows_the_page(staff_client, ausgezahlt):
    """A status set by hand (or by an old import) without its Verwendungsnachweis: the page
    opens, and closing waits for the proof (nothing to compare the payout with)."""
    Antrag.objects.filter(pk=ausgezahlt.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    antwort = staff_client.get(f"/admin/antraege/antrag/{ausgezahlt.pk}/change/")
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert 'id="schritt-knopf-abgeschlossen" disabled' in html
    assert "Der Verwendungsnachweis fehlt." in html


# Closing with a small unspent rest (issue 36 point 3): within the year's Kleinbetragsgrenze
# the case can be closed with a recorded reason instead of a Rückforderung.
def _mit_nachweis(staff, ausgegeben):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from antraege.services import einreichung

    from .factories import PDF_BYTES, ausgaben_je_zeile, auszahlen

    antrag = zentral_bewilligt(staff, betrag="1000.00")
    auszahlen(antrag, "1000.00", staff)
    antrag = Antrag.objects.get(pk=antrag.pk)
    einreichung.verwendungsnachweis_einreichen(
        antrag=antrag,
        bericht="Das Fest hat stattgefunden.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal(ausgegeben)),
        dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
    )
    return Antrag.objects.get(pk=antrag.pk)


def _grenze(antrag, betrag):
    hj = antrag.buchungen.get(art="bewilligung").haushaltsjahr
    hj.kleinbetragsgrenze = Decimal(betrag)
    hj.save()


@pytest.mark.parametrize("grenze", ["0.00", "10.00"])
def test_an_unspent_rest_above_the_limit_must_be_reclaimed(staff, grenze):
    from antraege.services import workflow

    antrag = _mit_nachweis(staff, "988.00")  # 12,00 € unspent
    _grenze(antrag, grenze)
    stand = hauptbuch.antrag_geldstand(antrag)
    grund = aktionen.hindernisse(antrag=antrag, schritte=[Status.ABGESCHLOSSEN], stand=stand)
    assert "Bitte fordern Sie den Rest zurück." in grund[Status.ABGESCHLOSSEN]
    assert ("Kleinbetragsgrenze" in grund[Status.ABGESCHLOSSEN]) == (grenze != "0.00")
    with pytest.raises(Exception, match="Bitte fordern Sie den Rest zurück"):
        workflow.antrag_abschliessen(antrag=antrag, by=staff, kommentar="Kleinbetrag")
    assert Antrag.objects.get(pk=antrag.pk).status == Status.NACHWEIS_EINGEREICHT


def test_a_small_rest_within_the_limit_closes_with_a_reason(staff, staff_client):
    from antraege.services import workflow

    antrag = _mit_nachweis(staff, "988.00")
    _grenze(antrag, "25.00")
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'name="nach" value="abgeschlossen"' in html
    assert "Nicht verbraucht sind 12,00 €, nicht mehr als die Kleinbetragsgrenze" in html
    with pytest.raises(Exception, match="Bitte begründen Sie das im Kommentarfeld"):
        workflow.antrag_abschliessen(antrag=antrag, by=staff, kommentar="  ")
    workflow.antrag_abschliessen(
        antrag=antrag, by=staff, kommentar="Kleinbetrag, Rückforderung unwirtschaftlich"
    )
    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag.status == Status.ABGESCHLOSSEN
    assert antrag.verlauf.last().kommentar == "Kleinbetrag, Rückforderung unwirtschaftlich"
    # Nothing was asked back; what was paid stays paid.
    stand = hauptbuch.antrag_geldstand(antrag)
    assert stand.zurueckgefordert == 0 and stand.netto_ausgezahlt == Decimal("1000.00")


def test_a_budget_year_above_a_million_can_be_entered(staff):
    """The money fields of a Haushaltsjahr take what the model stores (12 digits), in German."""
    from django.contrib import admin
    from django.test import RequestFactory

    from antraege.models import Haushaltsjahr

    anfrage = RequestFactory().get("/")
    anfrage.user = staff
    formular = admin.site._registry[Haushaltsjahr].get_form(anfrage)
    feld = formular.base_fields["gesamtbudget"]
    assert feld.clean("2.500.000,00") == Decimal("2500000.00")
