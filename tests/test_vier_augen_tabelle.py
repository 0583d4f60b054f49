"""The four-eyes rule as a table of paths x roles (issue 35).

Each path touches something a second person must confirm, by the way the review found it
walked around; each role then tries the confirming step. Two Projektbüro accounts ("erste",
"zweite") take part in the paths; "dritte" is a Projektbüro account that took no part; a
Beauftragte has no right to the step at all. A success is checked in the data, a refusal
must leave the data as it was.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from antraege.models import Antrag, Auszahlung, Buchung, Status
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import einreichung, workflow
from antraege.services.auszahlung import (
    auszahlung_anordnen,
    auszahlung_feststellen,
    bankverbindung_bestaetigen,
    kontaktdaten_aendern,
)
from quartiere.models import Aktionsraum

from .factories import (
    antrag_daten,
    antrag_post_data,
    auszahlen,
    beauftragte_user,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db
NEUE_IBAN = "DE02120300000000202051"
HEUTE = timezone.localdate


def frisch(antrag):
    return Antrag.objects.get(pk=antrag.pk)


def ueber_den_link_antworten(client, antrag, **aenderungen):
    """The applicant (or whoever reads the mailbox the link went to) answers the Rückfrage
    through the status link, as the form posts it."""
    daten = antrag_post_data(antwort="Neue Angaben", finanzierungsquelle="projektbudget")
    daten.pop("datenschutz")
    daten.update(aenderungen)
    response = client.post(f"/antrag/status/{token(antrag)}/antworten/angaben/", daten)
    assert response.status_code == 302, response.content.decode()[:2000]
    return frisch(antrag)


def rueckfrage_stellen(antrag, by):
    workflow.antrag_status_setzen(antrag=frisch(antrag), nach=Status.IN_PRUEFUNG, by=by)
    workflow.antrag_status_setzen(
        antrag=frisch(antrag), nach=Status.RUECKFRAGE, by=by, kommentar="Bitte Konto prüfen"
    )


def bank_bestaetigen(antrag):
    def schritt(by):
        bankverbindung_bestaetigen(antrag=frisch(antrag), by=by)

    def erledigt():
        return not frisch(antrag).iban_pruefung_offen

    return schritt, erledigt


# Each path: (client, erste, zweite) -> (step(by), done()).


def iban_im_formular(client, erste, zweite):
    antrag = zentral_bewilligt(erste)
    kontaktdaten_aendern(antrag=antrag, daten={"iban": NEUE_IBAN}, by=erste)
    return bank_bestaetigen(antrag)


def iban_von_zweien_angefasst(client, erste, zweite):
    """Finding 2: a colleague's later correction does not wash out the first change."""
    antrag = zentral_bewilligt(erste)
    kontaktdaten_aendern(antrag=antrag, daten={"iban": NEUE_IBAN}, by=erste)
    kontaktdaten_aendern(antrag=frisch(antrag), daten={"kontoinhaber": "Erika Muster"}, by=zweite)
    return bank_bestaetigen(antrag)


def email_dann_link(client, erste, zweite):
    """The e-mail address set to a mailbox `erste` reads; `zweite` asks; the link answers."""
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    kontaktdaten_aendern(antrag=antrag, daten={"email": "eigenes-postfach@example.org"}, by=erste)
    rueckfrage_stellen(antrag, zweite)
    assert ueber_den_link_antworten(client, antrag, iban=NEUE_IBAN).iban == NEUE_IBAN
    return bank_bestaetigen(antrag)


def papierantrag_dann_link(client, erste, zweite):
    """Finding 1: `erste` types in a paper application with her own mailbox, `zweite` asks
    a Rückfrage, the answer through the link brings a new IBAN."""
    antrag = einreichung.antrag_einreichen(
        daten=antrag_daten(
            email="postfach-der-erfasserin@example.org", finanzierungsquelle="projektbudget"
        ),
        kosten=[("Material", Decimal("100.00"))],
        erfasst_von=erste,
    )
    # The IBAN typed in from paper waits for a second account, before any answer.
    assert frisch(antrag).iban_pruefung_offen
    rueckfrage_stellen(antrag, zweite)
    assert ueber_den_link_antworten(client, antrag, iban=NEUE_IBAN).iban == NEUE_IBAN
    return bank_bestaetigen(antrag)


def papierantrag(client, erste, zweite):
    """An IBAN typed in by staff: no payout before a second account confirms it."""
    antrag = einreichung.antrag_einreichen(
        daten=antrag_daten(email="", finanzierungsquelle="projektbudget"),
        kosten=[("Material", Decimal("100.00"))],
        erfasst_von=erste,
    )
    return bank_bestaetigen(antrag)


def zurueckgefordert(erste):
    antrag = zentral_bewilligt(erste)
    auszahlen(antrag, "1000.00", erste)
    workflow.antrag_rueckfordern(
        antrag=frisch(antrag), betrag=Decimal("400.00"), by=erste, kommentar="Nicht verbraucht."
    )
    return antrag


def rueckzahlung_eingegangen(client, erste, zweite):
    """Finding 3: the account that asked the money back books an invented refund."""
    antrag = zurueckgefordert(erste)

    def schritt(by):
        workflow.rueckzahlung_buchen(
            antrag=frisch(antrag), betrag=Decimal("400.00"), datum=HEUTE(), referenz="KA", by=by
        )

    def erledigt():
        return antrag_geldstand(frisch(antrag)).zurueckerhalten == Decimal("400.00")

    return schritt, erledigt


def niederschlagung(client, erste, zweite):
    antrag = zurueckgefordert(erste)

    def schritt(by):
        workflow.rueckforderung_niederschlagen(antrag=frisch(antrag), by=by, grund="uneinbringlich")

    def erledigt():
        return antrag_geldstand(frisch(antrag)).niedergeschlagen == Decimal("400.00")

    return schritt, erledigt


def auszahlung(client, erste, zweite):
    antrag = zentral_bewilligt(erste)
    vorgemerkt = auszahlung_feststellen(
        antrag=antrag, betrag=Decimal("300.00"), datum=HEUTE(), referenz="KZ", by=erste
    )

    def schritt(by):
        auszahlung_anordnen(auszahlung=Auszahlung.objects.get(pk=vorgemerkt.pk), by=by)

    def erledigt():
        return Auszahlung.objects.get(pk=vorgemerkt.pk).ist_angeordnet

    return schritt, erledigt


# path -> who may take the confirming step (the rest of erste/zweite/dritte: four eyes).
TABELLE = {
    iban_im_formular: {"zweite", "dritte"},
    iban_von_zweien_angefasst: {"dritte"},
    email_dann_link: {"dritte"},
    papierantrag_dann_link: {"dritte"},
    papierantrag: {"zweite", "dritte"},
    rueckzahlung_eingegangen: {"zweite", "dritte"},
    niederschlagung: {"zweite", "dritte"},
    auszahlung: {"zweite", "dritte"},
}
ROLLEN = ["erste", "zweite", "dritte", "beauftragte"]


@pytest.mark.parametrize("rolle", ROLLEN)
@pytest.mark.parametrize("pfad", list(TABELLE), ids=lambda p: p.__name__)
def test_the_confirming_step_refuses_every_account_that_touched_it(client, pfad, rolle):
    erste, zweite = projektbuero_user("erste"), projektbuero_user("zweite")
    konten = {
        "erste": erste,
        "zweite": zweite,
        "dritte": projektbuero_user("dritte"),
        "beauftragte": beauftragte_user(Aktionsraum.objects.get(slug="hoerde")),
    }
    schritt, erledigt = pfad(client, erste, zweite)
    buchungen_vorher = Buchung.objects.count()
    assert not erledigt()
    if rolle in TABELLE[pfad]:
        schritt(konten[rolle])
        assert erledigt()
        return
    erwartet = PermissionDenied if rolle == "beauftragte" else ValidationError
    with pytest.raises(erwartet) as fehler:
        schritt(konten[rolle])
    if erwartet is ValidationError:
        assert "Vier-Augen-Prinzip" in str(fehler.value)
    assert not erledigt()
    assert Buchung.objects.count() == buchungen_vorher


def test_no_payout_leaves_for_a_paper_application_before_a_second_account_confirms_its_iban():
    erste, zweite = projektbuero_user("erste"), projektbuero_user("zweite")
    antrag = einreichung.antrag_einreichen(
        daten=antrag_daten(
            email="", finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("500.00")
        ),
        kosten=[("Material", Decimal("500.00"))],
        erfasst_von=erste,
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    workflow.antrag_bewilligen(antrag=frisch(antrag), betrag=Decimal("500.00"), by=zweite)
    with pytest.raises(ValidationError, match="Bankverbindung wurde geändert"):
        auszahlung_feststellen(
            antrag=frisch(antrag), betrag=Decimal("500.00"), datum=HEUTE(), referenz="K", by=zweite
        )
    bankverbindung_bestaetigen(antrag=frisch(antrag), by=zweite)
    auszahlen(frisch(antrag), "500.00", zweite)
    assert antrag_geldstand(frisch(antrag)).netto_ausgezahlt == Decimal("500.00")


def test_the_admin_shows_the_reason_when_the_refund_is_refused(client):
    erste = projektbuero_user("erste")
    antrag = zurueckgefordert(erste)
    client.force_login(erste)
    response = client.post(
        f"/admin/antraege/antrag/{antrag.pk}/rueckzahlung/",
        {"betrag": "400,00", "datum": HEUTE().strftime("%d.%m.%Y"), "referenz": "KA-1"},
        follow=True,
    )
    assert "Vier-Augen-Prinzip" in response.content.decode()
    assert antrag_geldstand(frisch(antrag)).zurueckerhalten == Decimal("0.00")


def test_the_antrag_page_names_who_may_not_confirm_and_why(client):
    erste, zweite = projektbuero_user("erste"), projektbuero_user("zweite")
    antrag = einreichung.antrag_einreichen(
        daten=antrag_daten(finanzierungsquelle="projektbudget"),
        kosten=[("Material", Decimal("100.00"))],
        erfasst_von=erste,
    )
    kontaktdaten_aendern(antrag=frisch(antrag), daten={"kontoinhaber": "Erika M."}, by=zweite)
    client.force_login(projektbuero_user("dritte"))
    seite = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "Nicht bestätigen dürfen (Vier-Augen-Prinzip)" in seite
    assert "erste: hat den Papierantrag erfasst" in seite
    assert "zweite: hat die Bankverbindung geändert" in seite
    assert "Neue Bankverbindung bestätigen" in seite


def test_a_dropped_payout_leaves_no_open_row_behind():
    from antraege.models import Beteiligung
    from antraege.services.auszahlung import auszahlung_verwerfen

    erste, zweite = projektbuero_user("erste"), projektbuero_user("zweite")
    antrag = zentral_bewilligt(erste)
    vorgemerkt = auszahlung_feststellen(
        antrag=antrag, betrag=Decimal("300.00"), datum=HEUTE(), referenz="KZ", by=erste
    )
    assert Beteiligung.objects.filter(objekt_id=vorgemerkt.pk, erledigt_am=None).count() == 1
    auszahlung_verwerfen(auszahlung=vorgemerkt, by=zweite, grund="Falscher Betrag")
    assert not Beteiligung.objects.filter(erledigt_am=None, gegenstand="auszahlung").exists()
