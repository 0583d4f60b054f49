"""The right to record a Beschluss, grant, order a payout and confirm an IBAN is checked inside
the service, whoever calls it (admin, command, shell): a table of services x roles."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from antraege import ablauf
from antraege.models import Antrag, Auszahlung, Beschluss, Buchung, Status
from antraege.rollen import LESEZUGRIFF
from antraege.services import auszahlung, konferenz, workflow

from .factories import (
    beauftragte_user,
    konferenz_fuer,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


def _entscheidungsreif(**daten):
    antrag = submitted_antrag(**daten)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return Antrag.objects.get(pk=antrag.pk)


def _beschluss(user):
    antrag = _entscheidungsreif(beantragter_betrag=Decimal("800.00"))
    sitzung = konferenz_fuer(antrag.aktionsraum, [antrag])
    konferenz.beschluss_fassen(
        konferenz=sitzung,
        antrag=antrag,
        ergebnis="bewilligt",
        betrag=Decimal("800.00"),
        by=user,
        abstimmung=konferenz.EINVERNEHMLICH,
    )
    return Beschluss.objects.filter(antrag=antrag).exists()


def _bewilligung(user):
    antrag = _entscheidungsreif(finanzierungsquelle="projektbudget")
    workflow.antrag_bewilligen(antrag=antrag, betrag=antrag.beantragter_betrag, by=user)
    return Antrag.objects.get(pk=antrag.pk).status == Status.BEWILLIGT


def _anordnung(user):
    pb = projektbuero_user("feststellende")
    antrag = zentral_bewilligt(pb)
    zahlung = auszahlung.auszahlung_feststellen(
        antrag=antrag,
        betrag=Decimal("100.00"),
        datum=timezone.localdate(),
        referenz="KZ-9",
        by=pb,
    )
    auszahlung.auszahlung_anordnen(auszahlung=zahlung, by=user)
    return Auszahlung.objects.get(pk=zahlung.pk).angeordnet_am is not None


def _iban(user):
    pb = projektbuero_user("aendernde")
    antrag = zentral_bewilligt(pb)
    Antrag.objects.filter(pk=antrag.pk).update(iban_pruefung_offen=True)
    auszahlung.bankverbindung_bestaetigen(antrag=Antrag.objects.get(pk=antrag.pk), by=user)
    return not Antrag.objects.get(pk=antrag.pk).iban_pruefung_offen


DIENSTE = {
    "beschluss_fassen": _beschluss,
    "antrag_bewilligen": _bewilligung,
    "auszahlung_anordnen": _anordnung,
    "bankverbindung_bestaetigen": _iban,
}
# True: the role may take the step; False: the service refuses it.
ERWARTET = {
    "projektbuero": {d: True for d in DIENSTE},
    "beauftragte": {
        "beschluss_fassen": True,
        "antrag_bewilligen": False,
        "auszahlung_anordnen": False,
        "bankverbindung_bestaetigen": False,
    },
    "lesezugriff": {d: False for d in DIENSTE},
    "ohne_konto": {d: False for d in DIENSTE},
}


def _konto(rolle, hoerde):
    if rolle == "projektbuero":
        return projektbuero_user("zweite-person")
    if rolle == "beauftragte":
        return beauftragte_user(hoerde)
    if rolle == "lesezugriff":
        return rollen_user("pruefer", LESEZUGRIFF)
    return None


@pytest.mark.parametrize("rolle", ERWARTET)
@pytest.mark.parametrize("dienst", DIENSTE)
def test_the_service_itself_refuses_an_account_without_the_right(dienst, rolle, hoerde):
    user = _konto(rolle, hoerde)
    buchungen = Buchung.objects.count()
    if ERWARTET[rolle][dienst]:
        assert DIENSTE[dienst](user)
    else:
        with pytest.raises(PermissionDenied):
            DIENSTE[dienst](user)
        # Refused before anything was booked or decided.
        assert Beschluss.objects.count() == 0
        assert Auszahlung.objects.filter(angeordnet_am__isnull=False).count() == 0
        assert Buchung.objects.count() >= buchungen


def test_the_rights_come_from_the_step_table():
    assert ablauf.recht(Status.BEWILLIGT, ablauf.KONFERENZ) == "antraege.add_beschluss"
    assert ablauf.recht(Status.BEWILLIGT) == "antraege.bewilligen_zentral"
    assert ablauf.recht(Status.AUSGEZAHLT, ablauf.AUSZAHLUNG) == "antraege.auszahlen"
    with pytest.raises(LookupError):
        ablauf.recht(Status.BEWILLIGT, ablauf.ANTRAGSTELLER)
