"""The staff side of the workflow: review steps, grants, payouts, proof of use, Rückforderung.

Every step locks the Antrag, checks the transition table and the acting user's right to the
Antrag's Aktionsraum, changes the status, writes a history row and queues a mail to the
applicant, all in one transaction.
"""

import calendar
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import emails, statuslink
from ..models import ZERO, Antrag, Buchung, Finanzierungsquelle, Status, StatusAenderung
from ..selectors import darf_aktionsraum_bearbeiten
from .budget import bewilligung_buchen, geld_zurueckbuchen, money

# Which status may follow which (one table for the whole workflow).
TRANSITIONS = {
    Status.EINGEREICHT: {Status.IN_PRUEFUNG, Status.ZURUECKGEZOGEN},
    Status.IN_PRUEFUNG: {Status.RUECKFRAGE, Status.ENTSCHEIDUNGSREIF, Status.ZURUECKGEZOGEN},
    Status.RUECKFRAGE: {Status.IN_PRUEFUNG, Status.ZURUECKGEZOGEN},
    Status.ENTSCHEIDUNGSREIF: {
        Status.BEWILLIGT,
        Status.ABGELEHNT,
        Status.IN_PRUEFUNG,
        Status.ZURUECKGEZOGEN,
    },
    Status.BEWILLIGT: {Status.AUSGEZAHLT, Status.AUFGEHOBEN},
    Status.AUSGEZAHLT: {Status.NACHWEIS_EINGEREICHT, Status.RUECKFORDERUNG},
    Status.NACHWEIS_EINGEREICHT: {
        Status.ABGESCHLOSSEN,
        Status.NACHWEIS_KORREKTUR,
        Status.RUECKFORDERUNG,
    },
    # The applicant corrects the proof through the status link, or staff ask money back.
    Status.NACHWEIS_KORREKTUR: {Status.NACHWEIS_EINGEREICHT, Status.RUECKFORDERUNG},
    Status.RUECKFORDERUNG: {Status.ABGESCHLOSSEN},
}

# Steps the generic `antrag_status_setzen` takes; the others have functions of their own
# because they move money or are the applicant's.
EINFACHE_SCHRITTE = {
    Status.IN_PRUEFUNG,
    Status.RUECKFRAGE,
    Status.ENTSCHEIDUNGSREIF,
    Status.ABGELEHNT,
}
# Decisions and money steps are the Projektbüro's; the permission each needs.
GELD_SCHRITTE = {
    Status.BEWILLIGT: "antraege.bewilligen_zentral",
    Status.ABGELEHNT: "antraege.bewilligen_zentral",
    Status.AUFGEHOBEN: "antraege.auszahlen",
    Status.AUSGEZAHLT: "antraege.auszahlen",
    Status.RUECKFORDERUNG: "antraege.auszahlen",
    Status.ABGESCHLOSSEN: "antraege.auszahlen",
    Status.NACHWEIS_KORREKTUR: "antraege.auszahlen",
}
# Fund money is granted or refused only by a Projektkonferenz Beschluss.
NUR_DURCH_KONFERENZ = {Status.BEWILLIGT, Status.ABGELEHNT}


def naechste_schritte(*, antrag: Antrag, user) -> list[str]:
    """The steps this staff member can take from the current status, in the table's order."""
    erlaubt = set(TRANSITIONS.get(antrag.status, set()))
    erlaubt -= {Status.ZURUECKGEZOGEN, Status.NACHWEIS_EINGEREICHT}
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        erlaubt -= NUR_DURCH_KONFERENZ
    erlaubt = {s for s in erlaubt if s not in GELD_SCHRITTE or user.has_perm(GELD_SCHRITTE[s])}
    if not darf_aktionsraum_bearbeiten(user=user, aktionsraum_id=antrag.aktionsraum_id):
        return []
    return [s for s in Status.values if s in erlaubt]


def antrag_status_setzen(*, antrag: Antrag, nach: str, by, kommentar: str = "") -> Antrag:
    """Review steps without money: in Prüfung, Rückfrage, entscheidungsreif, abgelehnt."""
    if nach not in EINFACHE_SCHRITTE:
        raise ValidationError(
            _("Dieser Schritt hat eine eigene Funktion (Bewilligen, Auszahlen, Zurückziehen).")
        )
    if nach == Status.ABGELEHNT and not kommentar.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    if nach == Status.RUECKFRAGE and not kommentar.strip():
        raise ValidationError(_("Bitte schreiben Sie Ihre Rückfrage in das Kommentarfeld."))
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        uebergang_pruefen(antrag, nach)
        if nach == Status.ABGELEHNT:
            nicht_fuer_fonds(antrag)
            _recht_pruefen(by, GELD_SCHRITTE[nach])
        return status_schreiben(antrag=antrag, nach=nach, by=by, kommentar=kommentar)


def antrag_bewilligen(*, antrag: Antrag, betrag: Decimal, by, kommentar: str = "") -> Antrag:
    """The Projektbüro grants `betrag` from the central budget, never beyond what is left."""
    _recht_pruefen(by, "antraege.bewilligen_zentral")
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        nicht_fuer_fonds(antrag)
        return bewilligung_erteilen(antrag=antrag, betrag=betrag, by=by, kommentar=kommentar)


def bewilligung_erteilen(*, antrag: Antrag, betrag: Decimal, by, kommentar: str) -> Antrag:
    """Checks and books a grant on a locked Antrag (shared by the Projektbüro and Beschlüsse)."""
    if betrag is None or betrag <= 0:
        raise ValidationError(_("Der bewilligte Betrag muss größer als 0 € sein."))
    uebergang_pruefen(antrag, Status.BEWILLIGT)
    if betrag > antrag.beantragter_betrag:
        raise ValidationError(
            _("Es können höchstens die beantragten %(betrag)s € bewilligt werden.")
            % {"betrag": money(antrag.beantragter_betrag)}
        )
    if betrag < antrag.beantragter_betrag and not kommentar.strip():
        raise ValidationError(_("Bei einer Teilbewilligung ist eine Begründung nötig."))
    bewilligung_buchen(antrag=antrag, betrag=betrag, by=by)
    antrag.bewilligter_betrag = betrag
    antrag.nachweis_faellig_am = monate_spaeter(
        antrag.ende, antrag.haushaltsjahr.nachweis_frist_monate
    )
    antrag.save(update_fields=["bewilligter_betrag", "nachweis_faellig_am", "geaendert_am"])
    return status_schreiben(antrag=antrag, nach=Status.BEWILLIGT, by=by, kommentar=kommentar)


def bewilligung_aufheben(*, antrag: Antrag, by, kommentar: str) -> Antrag:
    """Cancels a grant before any payout; the whole amount goes back to the pot."""
    _recht_pruefen(by, "antraege.auszahlen")
    if not kommentar.strip():
        raise ValidationError(_("Bitte begründen Sie, warum die Bewilligung aufgehoben wird."))
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        uebergang_pruefen(antrag, Status.AUFGEHOBEN)
        geld_zurueckbuchen(
            antrag=antrag, betrag=antrag.bewilligter_betrag, art=Buchung.Art.STORNO, by=by
        )
        return status_schreiben(antrag=antrag, nach=Status.AUFGEHOBEN, by=by, kommentar=kommentar)


def nachweis_zurueckgeben(*, antrag: Antrag, by, kommentar: str) -> Antrag:
    """Gives the Verwendungsnachweis back for correction; the reason goes to the applicant."""
    _recht_pruefen(by, "antraege.auszahlen")
    if not kommentar.strip():
        raise ValidationError(
            _("Bitte schreiben Sie, was am Verwendungsnachweis korrigiert werden muss.")
        )
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        uebergang_pruefen(antrag, Status.NACHWEIS_KORREKTUR)
        return status_schreiben(
            antrag=antrag, nach=Status.NACHWEIS_KORREKTUR, by=by, kommentar=kommentar
        )


def statuslink_erneuern(*, antrag: Antrag, by) -> Antrag:
    """Makes a new status link and mails it; the old link stops working at once."""
    if by is None or not by.has_perm("antraege.change_antrag"):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        link_erneuern(antrag)
        verlauf_notieren(
            antrag=antrag,
            by=by,
            kommentar=_("Neuer Statuslink gesendet; der bisherige Link gilt nicht mehr."),
        )
        return antrag


def link_erneuern(antrag: Antrag) -> None:
    """A new status link for a locked Antrag, mailed to its address; the old one ends."""
    antrag.status_token_salt, antrag.status_token_hash = statuslink.neue_werte()
    antrag.save(update_fields=["status_token_salt", "status_token_hash", "geaendert_am"])
    emails.statuslink_vormerken(antrag=antrag)


def verlauf_notieren(*, antrag: Antrag, by, kommentar: str, durch_antragsteller=False) -> None:
    """A history row for something done without a change of status."""
    StatusAenderung.objects.create(
        antrag=antrag,
        von=antrag.status,
        nach=antrag.status,
        user=by,
        durch_antragsteller=durch_antragsteller,
        kommentar=kommentar[:2000],
    )


def monate_spaeter(datum: date, monate: int) -> date:
    """The same day `monate` months later, or the month's last day (31.01. + 1 = 28./29.02.)."""
    index = datum.month - 1 + monate
    jahr, monat = datum.year + index // 12, index % 12 + 1
    return date(jahr, monat, min(datum.day, calendar.monthrange(jahr, monat)[1]))


def antrag_rueckfordern(*, antrag: Antrag, betrag: Decimal, by, kommentar: str) -> Antrag:
    """Asks unspent money back; it returns to the pot the Antrag was granted from."""
    _recht_pruefen(by, "antraege.auszahlen")
    if betrag is None or betrag <= 0:
        raise ValidationError(_("Der Rückforderungsbetrag muss größer als 0 € sein."))
    if not kommentar.strip():
        raise ValidationError(_("Bitte begründen Sie die Rückforderung."))
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        uebergang_pruefen(antrag, Status.RUECKFORDERUNG)
        if betrag > antrag.ausgezahlt:
            raise ValidationError(
                _("Es können höchstens die ausgezahlten %(betrag)s € zurückgefordert werden.")
                % {"betrag": money(antrag.ausgezahlt)}
            )
        geld_zurueckbuchen(antrag=antrag, betrag=betrag, art=Buchung.Art.RUECKFORDERUNG, by=by)
        kommentar = _("Rückforderung: %(betrag)s €. %(grund)s") % {
            "betrag": money(betrag),
            "grund": kommentar.strip(),
        }
        return status_schreiben(
            antrag=antrag, nach=Status.RUECKFORDERUNG, by=by, kommentar=kommentar
        )


def antrag_abschliessen(*, antrag: Antrag, by, kommentar: str = "") -> Antrag:
    """Closes the case; granted money that was never paid out goes back to the pot."""
    _recht_pruefen(by, "antraege.auszahlen")
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        uebergang_pruefen(antrag, Status.ABGESCHLOSSEN)
        ausgezahlt = antrag.ausgezahlt
        if antrag.status == Status.NACHWEIS_EINGEREICHT:
            nachweis = antrag.verwendungsnachweise.last()
            if nachweis.ausgegebener_betrag < ausgezahlt:
                raise ValidationError(
                    _(
                        "Der Verwendungsnachweis belegt nur %(belegt)s € von %(ausgezahlt)s € "
                        "Auszahlung. Bitte fordern Sie den Rest zurück."
                    )
                    % {
                        "belegt": money(nachweis.ausgegebener_betrag),
                        "ausgezahlt": money(ausgezahlt),
                    }
                )
        nicht_ausgezahlt = (antrag.bewilligter_betrag or ZERO) - ausgezahlt
        geld_zurueckbuchen(antrag=antrag, betrag=nicht_ausgezahlt, art=Buchung.Art.STORNO, by=by)
        return status_schreiben(
            antrag=antrag, nach=Status.ABGESCHLOSSEN, by=by, kommentar=kommentar
        )


def antrag_sperren(*, antrag: Antrag, by) -> Antrag:
    """Locks the Antrag's row and checks that `by` may work on its Aktionsraum."""
    antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
    if by is not None and not darf_aktionsraum_bearbeiten(
        user=by, aktionsraum_id=antrag.aktionsraum_id
    ):
        raise PermissionDenied(_("Sie dürfen nur Anträge Ihrer eigenen Aktionsräume bearbeiten."))
    return antrag


def _recht_pruefen(user, perm: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(_("Diesen Schritt darf nur das Projektbüro ausführen."))


def nicht_fuer_fonds(antrag: Antrag) -> None:
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        raise ValidationError(
            _(
                "Über Geld aus dem Aktionsraumfonds entscheidet die Projektkonferenz: "
                "bitte tragen Sie dort einen Beschluss ein."
            )
        )


def uebergang_pruefen(antrag: Antrag, nach: str) -> None:
    if nach not in TRANSITIONS.get(antrag.status, set()):
        raise ValidationError(
            _("Von „%(von)s“ kann der Antrag nicht auf „%(nach)s“ gesetzt werden.")
            % {"von": antrag.get_status_display(), "nach": Status(nach).label}
        )


def status_schreiben(*, antrag: Antrag, nach: str, by, kommentar: str) -> Antrag:
    """Sets the new status, writes the history row and queues the mail (row is locked)."""
    von = antrag.status
    antrag.status = nach
    antrag.save(update_fields=["status", "geaendert_am"])
    StatusAenderung.objects.create(
        antrag=antrag, von=von, nach=nach, user=by, kommentar=kommentar[:2000]
    )
    emails.status_vormerken(antrag=antrag, kommentar=kommentar)
    return antrag
