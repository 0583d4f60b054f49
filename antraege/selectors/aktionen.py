"""Which actions one account may take on one Antrag: the one answer the Antrag's admin page
draws its buttons from and the admin's endpoints check before they call a service (which
checks again, under its lock)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from aktionsplan.kern import geld
from quartiere.bereich import darf_aktionsraum_bearbeiten

from .. import ablauf
from ..models import ZERO, Buchung, Finanzierungsquelle, Status
from .hauptbuch import Geldstand, antrag_geldstand, nicht_verbraucht

# The right each action of the Antrag's page needs besides changing Anträge (a status step's
# right is its row's in `ablauf.SCHRITTE`). The page's buttons and the start page's tasks
# both read it, through `darf`.
RECHTE = {
    "auszahlung_feststellen": "antraege.auszahlung_feststellen",
    "auszahlung_anordnen": "antraege.auszahlen",
    "auszahlung_verwerfen": "antraege.auszahlung_feststellen",
    "bankverbindung_bestaetigen": "antraege.iban_bestaetigen",
    "rueckzahlung_buchen": "antraege.auszahlen",
    "papiernachweis": "",
    "statuslink": "",
    "brief_drucken": "antraege.kontaktdaten_sehen",
    # Putting an Antrag on a Projektkonferenz's agenda (its page, not the Antrag's).
    "tagesordnung": "antraege.change_projektkonferenz",
}


def darf(user, aktion: str) -> bool:
    """Whether `user` holds the rights for `aktion`, a status step staff take (a value of
    `Status`) or a name in `RECHTE`; whether the Antrag's status and area allow it now is the
    caller's question (`aktionen`)."""
    if not user.has_perm("antraege.change_antrag"):
        return False
    if aktion in Status.values:
        recht = ablauf.GELD_SCHRITTE.get(aktion, "")
    else:
        recht = RECHTE[aktion]
    return not recht or user.has_perm(recht)


def naechste_schritte(*, antrag, user) -> list[str]:
    """The workflow steps this staff member can take from the current status, in the table's
    order: not a fund decision (the Projektkonferenz's), not a money step without its right,
    nothing outside the account's areas."""
    if not darf_aktionsraum_bearbeiten(user=user, aktionsraum_id=antrag.aktionsraum_id):
        return []
    erlaubt = set(ablauf.verwaltungsschritte(antrag.status))
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        erlaubt -= ablauf.NUR_DURCH_KONFERENZ
    return [s for s in Status.values if s in erlaubt and darf(user, s)]


def rueckforderung_hindernis(antrag, stand) -> str:
    """Why no Rückforderung is possible, or "": the letter must say where to pay."""
    if not (settings.RUECKZAHLUNG_IBAN and settings.RUECKZAHLUNG_KONTOINHABER.strip()):
        return _(
            "Für Rückzahlungen ist kein Konto eingerichtet: Die Systembetreuung muss das Konto "
            "der Stadt eintragen. Bis dahin ist keine Rückforderung möglich."
        )
    return ""


def abschluss_hindernis(antrag, stand: Geldstand) -> str:
    """Why the case cannot be closed while money is out, or "": an open Rückforderung, a
    payout waiting for its order, or a Verwendungsnachweis that covers less than was paid."""
    if stand.rueckzahlung_offen > 0:
        return _(
            "Von der Rückforderung sind noch %(offen)s € offen. Der Vorgang kann erst "
            "abgeschlossen werden, wenn die Rückzahlung eingegangen ist oder die "
            "Forderung von einer zweiten Person niedergeschlagen wurde."
        ) % {"offen": geld.betrag(stand.rueckzahlung_offen)}
    if antrag.auszahlungen.vorgemerkt().exists():
        return _(
            "Eine Auszahlung wartet noch auf die Anordnung. Bitte ordnen Sie sie an "
            "oder verwerfen Sie sie, bevor Sie abschließen."
        )
    nachweis = (
        antrag.verwendungsnachweise.last() if antrag.status == Status.NACHWEIS_EINGEREICHT else None
    )
    if antrag.status == Status.NACHWEIS_EINGEREICHT and nachweis is None:
        # A status set by hand or an old import: nothing to compare the payout with.
        return _("Der Verwendungsnachweis fehlt. Bitte erfassen Sie ihn, bevor Sie abschließen.")
    if nachweis is not None:
        offen = nicht_verbraucht(
            ausgezahlt=stand.netto_ausgezahlt, verwendet=nachweis.ausgegebener_betrag
        )
        grenze = kleinbetragsgrenze(antrag)
        if offen > grenze:
            grund = _(
                "Der Verwendungsnachweis belegt nur %(belegt)s € von %(ausgezahlt)s € "
                "Auszahlung. Bitte fordern Sie den Rest zurück."
            ) % {
                "belegt": geld.betrag(nachweis.ausgegebener_betrag),
                "ausgezahlt": geld.betrag(stand.netto_ausgezahlt),
            }
            if grenze > 0:
                grund += " " + _(
                    "Ohne Rückforderung abschließen lässt sich nur ein Rest bis zur "
                    "Kleinbetragsgrenze des Haushaltsjahres (%(grenze)s €)."
                ) % {"grenze": geld.betrag(grenze)}
            return grund
    return ""


def kleinbetragsgrenze(antrag) -> Decimal:
    """The small-amount limit of the year the Antrag was granted from (0: none)."""
    bewilligung = (
        antrag.buchungen.filter(art=Buchung.Art.BEWILLIGUNG).select_related("haushaltsjahr").first()
    )
    jahr = bewilligung.haushaltsjahr if bewilligung else antrag.haushaltsjahr
    return jahr.kleinbetragsgrenze


def kleinbetrag(antrag, stand: Geldstand) -> Decimal:
    """The unspent money that closing would leave with the applicant, if the Verwendungsnachweis
    shows some and it is within the year's small-amount limit; otherwise 0."""
    if antrag.status != Status.NACHWEIS_EINGEREICHT:
        return ZERO
    nachweis = antrag.verwendungsnachweise.last()
    if nachweis is None:
        return ZERO
    offen = nicht_verbraucht(
        ausgezahlt=stand.netto_ausgezahlt, verwendet=nachweis.ausgegebener_betrag
    )
    return offen if 0 < offen <= kleinbetragsgrenze(antrag) else ZERO


# Steps whose service refuses them for a reason that can be read before anyone types: the
# Antrag's page shows them as unavailable, with that reason. The services check the same
# functions again under their lock.
HINDERNISSE = {
    Status.RUECKFORDERUNG: rueckforderung_hindernis,
    Status.ABGESCHLOSSEN: abschluss_hindernis,
}


def hindernisse(*, antrag, schritte, stand) -> dict[str, str]:
    """{step: why it cannot be taken now} for those of `schritte` that are blocked."""
    gruende = {s: HINDERNISSE[s](antrag, stand) for s in schritte if s in HINDERNISSE}
    return {s: grund for s, grund in gruende.items() if grund}


@dataclass(frozen=True)
class Aktionen:
    """What the account may do now; every flag is one form or button on the Antrag's page."""

    schritte: tuple[str, ...] = ()  # status steps with a button, in the table's order
    # Of those, the ones that cannot be taken now: {step: the reason shown instead}.
    gesperrt: dict = field(default_factory=dict)
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
        return Status.RUECKFORDERUNG in self.schritte and not self.gesperrt.get(
            Status.RUECKFORDERUNG
        )


def aktionen(*, antrag, user, stand: Geldstand | None = None, vorgemerkt=None) -> Aktionen:
    """The actions `user` may take on `antrag` now (two queries: the ledger and the payouts
    waiting for their order, unless the caller has read them: `stand`, `vorgemerkt`)."""
    zustaendig = user.has_perm("antraege.change_antrag") and darf_aktionsraum_bearbeiten(
        user=user, aktionsraum_id=antrag.aktionsraum_id
    )
    if not zustaendig:
        return Aktionen()
    stand = stand or antrag_geldstand(antrag)
    if vorgemerkt is None:
        vorgemerkt = antrag.auszahlungen.vorgemerkt()
    offen = stand.noch_auszuzahlen - sum((a.betrag for a in vorgemerkt), ZERO)
    schritte = tuple(naechste_schritte(antrag=antrag, user=user))
    return Aktionen(
        schritte=schritte,
        gesperrt=hindernisse(antrag=antrag, schritte=schritte, stand=stand),
        auszahlung_feststellen=offen > 0
        and antrag.status in ablauf.AUSZAHLBAR
        and not antrag.iban_pruefung_offen
        and darf(user, "auszahlung_feststellen"),
        auszahlung_anordnen=darf(user, "auszahlung_anordnen"),
        auszahlung_verwerfen=darf(user, "auszahlung_verwerfen"),
        bankverbindung_bestaetigen=antrag.iban_pruefung_offen
        and darf(user, "bankverbindung_bestaetigen"),
        rueckzahlung_buchen=antrag.status == Status.RUECKFORDERUNG
        and stand.rueckzahlung_offen > 0
        and darf(user, "rueckzahlung_buchen"),
        papiernachweis=antrag.status in ablauf.NACHWEIS_MOEGLICH and darf(user, "papiernachweis"),
        statuslink=darf(user, "statuslink"),
        brief_drucken=darf(user, "brief_drucken"),
        offen=offen,
    )
