"""The one four-eyes rule (Vier-Augen-Prinzip) every step of money and contact uses.

Whoever touches something a second person must confirm is recorded (`beteiligen`): who
changes or types in a bank account, who sets the address the status link goes to (a changed
e-mail address, a paper entry), who asks money back, who confirms a payout as correct. The
confirming step (`freigeben`) refuses every account recorded for its subject since the last
confirmation, whatever path it used: the admin form, the paper entry, a status link answered
from a mailbox it chose, a Rückfrage. When the applicant changes the bank account through
the status link, every account that may know that link is recorded for it (`link_kennende`).

- Bankverbindung: recorded for staff who change or type it in, and for the link's knowers
  when the applicant changes it; confirmed by `bankverbindung_bestaetigen` (payouts wait).
- Zugang: recorded for staff who change the e-mail address or type in a paper application;
  no confirmation of its own: its accounts count as the applicant for the bank account.
- Rückforderung: recorded for who asks the money back; refund received
  (`rueckzahlung_buchen`) and write-off refuse it.
- Auszahlung (one payout): recorded for who confirms it as correct; `auszahlung_anordnen`
  refuses it.

Every function runs inside the caller's transaction, on the Antrag the caller has locked.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Antrag, Beteiligung, Status

Gegenstand = Beteiligung.Gegenstand


def _meldung(gegenstand: str) -> str:
    return {
        Gegenstand.BANKVERBINDUNG: _(
            "Vier-Augen-Prinzip: Sie waren an der neuen Bankverbindung beteiligt (%(anlass)s) "
            "und dürfen sie nicht auch bestätigen. Bitte bitten Sie eine zweite Person darum."
        ),
        Gegenstand.RUECKFORDERUNG: _(
            "Vier-Augen-Prinzip: Sie haben das Geld zurückgefordert und dürfen den Eingang "
            "der Rückzahlung nicht auch buchen oder die Forderung niederschlagen. Bitte "
            "bitten Sie eine zweite Person darum."
        ),
        Gegenstand.AUSZAHLUNG: _(
            "Vier-Augen-Prinzip: Sie haben diese Auszahlung festgestellt und dürfen sie "
            "nicht auch anordnen. Bitte bitten Sie eine zweite Person darum."
        ),
    }[gegenstand]


def _offen(antrag: Antrag, gegenstand: str, objekt_id=None):
    return Beteiligung.objects.filter(
        antrag=antrag, gegenstand=gegenstand, objekt_id=objekt_id, erledigt_am=None
    )


def beteiligen(*, antrag: Antrag, gegenstand: str, by, anlass: str, objekt_id=None) -> None:
    """Records that `by` touched the subject; `by` None (the applicant) records nothing."""
    if by is None:
        return
    Beteiligung.objects.create(
        antrag=antrag, gegenstand=gegenstand, objekt_id=objekt_id, user=by, anlass=anlass[:200]
    )


def beteiligte(*, antrag: Antrag, gegenstand: str, objekt_id=None) -> set[int]:
    """The accounts recorded for the subject since its last confirmation."""
    return set(_offen(antrag, gegenstand, objekt_id).values_list("user_id", flat=True))


def beteiligte_mit_anlass(*, antrag: Antrag, gegenstand: str) -> list[tuple[str, str]]:
    """(account, why) of everyone who may not confirm the subject now, for the Antrag page."""
    zeilen = _offen(antrag, gegenstand).select_related("user")
    return [(z.user.get_full_name() or z.user.get_username(), z.anlass) for z in zeilen]


def pruefen(*, antrag: Antrag, gegenstand: str, by, objekt_id=None) -> None:
    """Refuses `by` if it is recorded for the subject since its last confirmation."""
    zeile = _offen(antrag, gegenstand, objekt_id).filter(user_id=by.pk).first()
    if zeile is not None:
        raise ValidationError(_meldung(gegenstand) % {"anlass": zeile.anlass})


def freigeben(*, antrag: Antrag, gegenstand: str, by, objekt_id=None) -> None:
    """The confirming step: refuses every recorded account, then closes the subject's rows."""
    pruefen(antrag=antrag, gegenstand=gegenstand, by=by, objekt_id=objekt_id)
    _offen(antrag, gegenstand, objekt_id).update(erledigt_am=timezone.now())


def verwerfen(*, antrag: Antrag, gegenstand: str, objekt_id=None) -> None:
    """What was to be confirmed is gone (a dropped payout): its rows are closed unconfirmed."""
    _offen(antrag, gegenstand, objekt_id).update(erledigt_am=timezone.now())


def link_kennende(antrag: Antrag) -> dict[int, str]:
    """Staff accounts that may act as the applicant through the status link, with why: who
    set the address the link goes to (a changed e-mail address, a paper entry), and who
    asked the Rückfrage the applicant is answering."""
    kennende = {
        user_id: anlass
        for user_id, anlass in _offen(antrag, Gegenstand.ZUGANG).values_list("user_id", "anlass")
    }
    rueckfrage = (
        antrag.verlauf.filter(nach=Status.RUECKFRAGE)
        .exclude(von=Status.RUECKFRAGE)
        .order_by("-zeitpunkt", "-pk")
        .first()
    )
    if rueckfrage is not None and rueckfrage.user_id:
        kennende.setdefault(rueckfrage.user_id, _("hat die Rückfrage gestellt"))
    return kennende


def bank_ueber_link_geaendert(antrag: Antrag) -> None:
    """The applicant changed the bank account through the status link: every account that
    may know that link is recorded for the new bank account."""
    for user_id, anlass in link_kennende(antrag).items():
        Beteiligung.objects.create(
            antrag=antrag,
            gegenstand=Gegenstand.BANKVERBINDUNG,
            user_id=user_id,
            anlass=(_("über den Statuslink geändert; %(anlass)s") % {"anlass": anlass})[:200],
        )


def neue_adresse(*, antrag: Antrag, by) -> None:
    """Staff set a new address for the status link: the accounts that set the old one no
    longer reach the new link; `by` does."""
    _offen(antrag, Gegenstand.ZUGANG).update(erledigt_am=timezone.now())
    beteiligen(
        antrag=antrag,
        gegenstand=Gegenstand.ZUGANG,
        by=by,
        anlass=_("hat die E-Mail-Adresse geändert, an die der Statuslink geht"),
    )
