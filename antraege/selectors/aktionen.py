"""Which actions one account may take on one Antrag: the one answer the Antrag's admin page
draws its buttons from and the admin's endpoints check before they call a service (which
checks again, under its lock)."""

from dataclasses import dataclass
from decimal import Decimal

from quartiere.bereich import darf_aktionsraum_bearbeiten

from .. import ablauf
from ..models import ZERO, Finanzierungsquelle, Status
from .hauptbuch import Geldstand, antrag_geldstand


def naechste_schritte(*, antrag, user) -> list[str]:
    """The workflow steps this staff member can take from the current status, in the table's
    order: not a fund decision (the Projektkonferenz's), not a money step without its right,
    nothing outside the account's areas."""
    if not darf_aktionsraum_bearbeiten(user=user, aktionsraum_id=antrag.aktionsraum_id):
        return []
    erlaubt = set(ablauf.verwaltungsschritte(antrag.status))
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        erlaubt -= ablauf.NUR_DURCH_KONFERENZ
    erlaubt = {
        s
        for s in erlaubt
        if s not in ablauf.GELD_SCHRITTE or user.has_perm(ablauf.GELD_SCHRITTE[s])
    }
    return [s for s in Status.values if s in erlaubt]


@dataclass(frozen=True)
class Aktionen:
    """What the account may do now; every flag is one form or button on the Antrag's page."""

    schritte: tuple[str, ...] = ()  # status steps with a button, in the table's order
    auszahlung_feststellen: bool = False  # first person: sachlich und rechnerisch richtig
    auszahlung_anordnen: bool = False  # second person (not the one who confirmed it)
    auszahlung_verwerfen: bool = False
    bankverbindung_bestaetigen: bool = False
    rueckzahlung_buchen: bool = False  # and write off the rest (a second account)
    papiernachweis: bool = False
    statuslink: bool = False
    brief_drucken: bool = False
    # Still to be paid out: granted less paid and less payouts waiting for their order.
    offen: Decimal = ZERO

    @property
    def bewilligen(self) -> bool:
        return Status.BEWILLIGT in self.schritte

    @property
    def rueckfordern(self) -> bool:
        return Status.RUECKFORDERUNG in self.schritte


def aktionen(*, antrag, user, stand: Geldstand | None = None, vorgemerkt=None) -> Aktionen:
    """The actions `user` may take on `antrag` now (two queries: the ledger and the payouts
    waiting for their order, unless the caller has read them: `stand`, `vorgemerkt`)."""
    darf = user.has_perm("antraege.change_antrag") and darf_aktionsraum_bearbeiten(
        user=user, aktionsraum_id=antrag.aktionsraum_id
    )
    if not darf:
        return Aktionen()
    stand = stand or antrag_geldstand(antrag)
    if vorgemerkt is None:
        vorgemerkt = antrag.auszahlungen.vorgemerkt()
    offen = stand.noch_auszuzahlen - sum((a.betrag for a in vorgemerkt), ZERO)
    return Aktionen(
        schritte=tuple(naechste_schritte(antrag=antrag, user=user)),
        auszahlung_feststellen=offen > 0
        and antrag.status in ablauf.AUSZAHLBAR
        and not antrag.iban_pruefung_offen
        and user.has_perm("antraege.auszahlung_feststellen"),
        auszahlung_anordnen=user.has_perm("antraege.auszahlen"),
        auszahlung_verwerfen=user.has_perm("antraege.auszahlung_feststellen"),
        bankverbindung_bestaetigen=antrag.iban_pruefung_offen
        and user.has_perm("antraege.iban_bestaetigen"),
        rueckzahlung_buchen=antrag.status == Status.RUECKFORDERUNG
        and stand.rueckzahlung_offen > 0
        and user.has_perm("antraege.auszahlen"),
        papiernachweis=antrag.status in ablauf.NACHWEIS_MOEGLICH,
        statuslink=True,
        brief_drucken=user.has_perm("antraege.kontaktdaten_sehen"),
        offen=offen,
    )
