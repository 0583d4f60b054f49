"""The staff side of the workflow: review steps, grants, payouts, proof of use, Rückforderung.

Every step runs through `schritt_ausfuehren`, which reads its row of the step table
(`antraege/ablauf.py`): the right, the comment rule, the lock with the area check, the
transition, the step's own work, the history row and the mail, in one transaction. The admin's
buttons reach the steps through `verwaltungsschritt`, by the service the table names.
"""

import calendar
import importlib
import inspect
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aktionsplan.kern import geld
from quartiere.bereich import darf_aktionsraum_bearbeiten

from .. import ablauf, emails, statuslink
from ..models import Antrag, Buchung, Finanzierungsquelle, Haushaltsjahr, Status, StatusAenderung
from ..selectors import aktionen
from ..selectors.hauptbuch import geldstand
from . import vier_augen
from .budget import bewilligung_buchen, nachbuchen


def schritt_ausfuehren(
    *,
    antrag: Antrag,
    nach: str,
    by,
    kommentar: str = "",
    wer: str = ablauf.VERWALTUNG,
    vorab=None,
    pruefen=None,
    arbeit=None,
) -> Antrag:
    """The skeleton every step of the staff and the Projektkonferenz shares, once, from the
    step table's row: its right, `vorab()` (checks that need no lock), its comment rule, the
    lock with the area check, `pruefen(antrag)` (what makes the step meaningful for this
    Antrag, said before a refused transition would be), the transition, `arbeit(antrag)` on
    the locked row (bookings, checks against the ledger) and the status writer with its mail;
    one transaction."""
    recht = ablauf.recht(nach, wer)
    if recht:
        recht_pruefen(by, recht)
    if vorab is not None:
        vorab()
    kommentar_pruefen(nach, kommentar)
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        if pruefen is not None:
            pruefen(antrag)
        uebergang_pruefen(antrag, nach)
        if arbeit is not None:
            arbeit(antrag)
        return status_schreiben(antrag=antrag, nach=nach, by=by, kommentar=kommentar)


def verwaltungsschritt(
    *,
    antrag: Antrag,
    nach: str,
    by,
    kommentar: str = "",
    betrag: Decimal | None = None,
    haushaltsjahr: Haushaltsjahr | None = None,
) -> Antrag:
    """A staff button: the step to `nach` through the service the table's row names, given the
    values of the step form that service takes (a grant its amount and year, a Rückforderung
    its amount, a review step its target)."""
    modul, name = ablauf.service(nach).split(".")
    funktion = getattr(importlib.import_module(f"antraege.services.{modul}"), name)
    angaben = {
        "antrag": antrag,
        "nach": nach,
        "by": by,
        "kommentar": kommentar,
        "betrag": betrag,
        "haushaltsjahr": haushaltsjahr,
    }
    parameter = inspect.signature(funktion).parameters
    return funktion(**{k: v for k, v in angaben.items() if k in parameter})


def antrag_status_setzen(*, antrag: Antrag, nach: str, by, kommentar: str = "") -> Antrag:
    """Review steps without money: in Prüfung, Rückfrage, entscheidungsreif, abgelehnt."""
    if nach not in ablauf.EINFACHE_SCHRITTE:
        raise ValidationError(
            _("Dieser Schritt hat eine eigene Funktion (Bewilligen, Auszahlen, Zurückziehen).")
        )
    # Fund money is refused only by a Projektkonferenz Beschluss.
    arbeit = nicht_fuer_fonds if nach == Status.ABGELEHNT else None
    return schritt_ausfuehren(antrag=antrag, nach=nach, by=by, kommentar=kommentar, arbeit=arbeit)


def antrag_bewilligen(
    *,
    antrag: Antrag,
    betrag: Decimal,
    by,
    kommentar: str = "",
    haushaltsjahr: Haushaltsjahr | None = None,
) -> Antrag:
    """The Projektbüro grants `betrag` from the central budget, never beyond what is left.

    `haushaltsjahr`: the budget year the grant is booked in, when the Projektbüro decides it
    belongs to the year of the decision rather than the year it was submitted in.
    """

    def pruefen(gesperrt):
        nicht_fuer_fonds(gesperrt)
        betrag_pruefen(betrag)

    def arbeit(gesperrt):
        bewilligung_erteilen(
            antrag=gesperrt, betrag=betrag, by=by, kommentar=kommentar, haushaltsjahr=haushaltsjahr
        )

    return schritt_ausfuehren(
        antrag=antrag,
        nach=Status.BEWILLIGT,
        by=by,
        kommentar=kommentar,
        pruefen=pruefen,
        arbeit=arbeit,
    )


def betrag_pruefen(betrag: Decimal | None) -> None:
    """A grant is more than 0 €."""
    if betrag is None or betrag <= 0:
        raise ValidationError({"betrag": _("Der bewilligte Betrag muss größer als 0 € sein.")})


def bewilligung_erteilen(
    *, antrag: Antrag, betrag: Decimal, by, kommentar: str, haushaltsjahr=None
) -> None:
    """Checks and books a grant on a locked Antrag in a step to "bewilligt" (shared by the
    Projektbüro and Beschlüsse); the step runner writes the status."""
    betrag_pruefen(betrag)
    if betrag > antrag.beantragter_betrag:
        raise ValidationError(
            {
                "betrag": _("Es können höchstens die beantragten %(betrag)s € bewilligt werden.")
                % {"betrag": geld.betrag(antrag.beantragter_betrag)}
            }
        )
    if betrag < antrag.beantragter_betrag and not kommentar.strip():
        raise ValidationError(
            {"kommentar": _("Bei einer Teilbewilligung ist eine Begründung nötig.")}
        )
    buchung = bewilligung_buchen(antrag=antrag, betrag=betrag, by=by, haushaltsjahr=haushaltsjahr)
    antrag.bewilligter_betrag = betrag
    antrag.nachweis_faellig_am = monate_spaeter(
        antrag.ende, buchung.haushaltsjahr.nachweis_frist_monate
    )
    antrag.save(update_fields=["bewilligter_betrag", "nachweis_faellig_am", "geaendert_am"])


def bewilligung_aufheben(*, antrag: Antrag, by, kommentar: str) -> Antrag:
    """Cancels a grant before any payout; the whole amount goes back to the pot."""

    def arbeit(gesperrt):
        if gesperrt.auszahlungen.exists():
            raise ValidationError(
                _(
                    "Für diesen Antrag ist schon eine Auszahlung festgestellt. Bitte verwerfen "
                    "Sie sie zuerst; dann kann die Bewilligung aufgehoben werden."
                )
            )
        nachbuchen(
            antrag=gesperrt,
            art=Buchung.Art.STORNO,
            betrag=ledger(gesperrt).bewilligt,
            by=by,
            kommentar=kommentar,
        )

    return schritt_ausfuehren(
        antrag=antrag, nach=Status.AUFGEHOBEN, by=by, kommentar=kommentar, arbeit=arbeit
    )


def nachweis_zurueckgeben(*, antrag: Antrag, by, kommentar: str) -> Antrag:
    """Gives the Verwendungsnachweis back for correction; the reason goes to the applicant."""
    return schritt_ausfuehren(
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


def verlauf_notieren(
    *, antrag: Antrag, by, kommentar: str = "", durch_antragsteller=False, interne_notiz: str = ""
) -> None:
    """A history row for something done without a change of status: `kommentar` the applicant
    reads on the status page, `interne_notiz` only staff."""
    StatusAenderung.objects.create(
        antrag=antrag,
        von=antrag.status,
        nach=antrag.status,
        user=by,
        durch_antragsteller=durch_antragsteller,
        kommentar=kommentar[:2000],
        interne_notiz=interne_notiz[:2000],
    )


def interne_notiz_anfuegen(*, antrag: Antrag, by, notiz: str) -> None:
    """Puts staff's internal note on the history row the step just wrote (call in the step's
    transaction). The applicant never sees it: not on the status page, not in a mail."""
    notiz = notiz.replace("\x00", "").strip()[:2000]
    if not notiz:
        return
    zeile = antrag.verlauf.filter(user=by).order_by("-zeitpunkt", "-pk").first()
    if zeile is None:
        raise ValidationError(_("Eine interne Notiz gehört zu einem Schritt."))
    zeile.interne_notiz = notiz
    zeile.save(update_fields=["interne_notiz"])


def monate_spaeter(datum: date, monate: int) -> date:
    """The same day `monate` months later, or the month's last day (31.01. + 1 = 28./29.02.)."""
    index = datum.month - 1 + monate
    jahr, monat = datum.year + index // 12, index % 12 + 1
    return date(jahr, monat, min(datum.day, calendar.monthrange(jahr, monat)[1]))


def antrag_rueckfordern(*, antrag: Antrag, betrag: Decimal, by, kommentar: str) -> Antrag:
    """Asks paid money back. The pot gets it back only when it arrives (`rueckzahlung_buchen`);
    until then the case stays open as "Rückzahlung offen"."""

    def vorab():
        if betrag is None or betrag <= 0:
            raise ValidationError(
                {"betrag": _("Der Rückforderungsbetrag muss größer als 0 € sein.")}
            )

    def pruefen(gesperrt):
        # The letter would ask for money without saying where to pay it.
        grund = aktionen.rueckforderung_hindernis(gesperrt, None)
        if grund:
            raise ValidationError(grund)

    def arbeit(gesperrt):
        ausgezahlt = ledger(gesperrt).netto_ausgezahlt
        if betrag > ausgezahlt:
            raise ValidationError(
                {
                    "betrag": _(
                        "Es können höchstens die ausgezahlten %(betrag)s € zurückgefordert werden."
                    )
                    % {"betrag": geld.betrag(ausgezahlt)}
                }
            )
        nachbuchen(
            antrag=gesperrt,
            art=Buchung.Art.RUECKFORDERUNG,
            betrag=betrag,
            by=by,
            datum=timezone.localdate(),
            kommentar=kommentar.strip(),
        )
        vier_augen.beteiligen(
            antrag=gesperrt,
            gegenstand=vier_augen.Gegenstand.RUECKFORDERUNG,
            by=by,
            anlass=_("hat das Geld zurückgefordert"),
        )

    # The amount is in the booking and in the letter; the reason is the comment.
    return schritt_ausfuehren(
        antrag=antrag,
        nach=Status.RUECKFORDERUNG,
        by=by,
        kommentar=kommentar.strip(),
        vorab=vorab,
        pruefen=pruefen,
        arbeit=arbeit,
    )


def rueckzahlung_buchen(
    *, antrag: Antrag, betrag: Decimal, datum: date, referenz: str, by
) -> Buchung:
    """Books money that has arrived back; only now is it free again in its pot. Booked by
    a second account: not the one who asked the money back (`vier_augen`)."""
    recht_pruefen(by, "antraege.auszahlen")
    if betrag is None or betrag <= 0:
        raise ValidationError({"betrag": _("Der Betrag der Rückzahlung muss größer als 0 € sein.")})
    if not (referenz or "").strip():
        raise ValidationError(
            {
                "referenz": _(
                    "Bitte geben Sie die Buchungsreferenz der Rückzahlung an (z. B. Kassenzeichen)."
                )
            }
        )
    if datum is None:
        raise ValidationError(
            {"datum": _("Bitte geben Sie an, wann die Rückzahlung eingegangen ist.")}
        )
    referenz = referenz.strip()[:100]
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        _rueckzahlung_pruefen(antrag=antrag, betrag=betrag, datum=datum, referenz=referenz)
        vier_augen.pruefen(antrag=antrag, gegenstand=vier_augen.Gegenstand.RUECKFORDERUNG, by=by)
        buchung = nachbuchen(
            antrag=antrag,
            art=Buchung.Art.RUECKZAHLUNG,
            betrag=betrag,
            by=by,
            datum=datum,
            referenz=referenz,
        )
        verlauf_notieren(
            antrag=antrag,
            by=by,
            kommentar=_("Rückzahlung von %(betrag)s € am %(datum)s eingegangen (%(referenz)s).")
            % {
                "betrag": geld.betrag(betrag),
                "datum": datum.strftime("%d.%m.%Y"),
                "referenz": referenz,
            },
        )
        if ledger(antrag).rueckzahlung_offen <= 0:
            vier_augen.freigeben(
                antrag=antrag, gegenstand=vier_augen.Gegenstand.RUECKFORDERUNG, by=by
            )
        return buchung


def _rueckzahlung_pruefen(*, antrag: Antrag, betrag: Decimal, datum: date, referenz: str) -> None:
    """On the locked Antrag: a Rückforderung is open, the reference is new, the day lies
    between the Rückforderung and today, and the amount is at most what is still open."""
    if antrag.status != Status.RUECKFORDERUNG:
        raise ValidationError(
            _("Eine Rückzahlung kann nur nach einer Rückforderung gebucht werden.")
        )
    if antrag.buchungen.filter(art=Buchung.Art.RUECKZAHLUNG, referenz=referenz).exists():
        raise ValidationError(
            {
                "referenz": _(
                    "Eine Rückzahlung mit der Referenz „%(referenz)s“ ist schon gebucht. Es "
                    "wurde nichts gebucht."
                )
                % {"referenz": referenz}
            }
        )
    forderung = _rueckforderung(antrag)
    if datum > timezone.localdate() or (forderung.datum and datum < forderung.datum):
        raise ValidationError(
            {
                "datum": _(
                    "Das Datum der Rückzahlung muss zwischen der Rückforderung (%(von)s) und "
                    "heute liegen."
                )
                % {"von": (forderung.datum or forderung.zeitpunkt.date()).strftime("%d.%m.%Y")}
            }
        )
    offen = ledger(antrag).rueckzahlung_offen
    if betrag > offen:
        raise ValidationError(
            {
                "betrag": _(
                    "Es sind nur noch %(offen)s € der Rückforderung offen; %(betrag)s € sind "
                    "mehr. Es wurde nichts gebucht."
                )
                % {"offen": geld.betrag(offen), "betrag": geld.betrag(betrag)}
            }
        )


def _rueckforderung(antrag: Antrag) -> Buchung:
    """The Rückforderung's booking; an Antrag marked "Rückzahlung offen" without one (data
    from before the ledger) is refused with a message instead of failing."""
    forderung = antrag.buchungen.filter(art=Buchung.Art.RUECKFORDERUNG).order_by("pk").first()
    if forderung is None:
        raise ValidationError(
            _(
                "Zu diesem Antrag ist keine Rückforderung gebucht, obwohl er als „Rückzahlung "
                "offen“ geführt wird. Bitte wenden Sie sich an die Administration. Es wurde "
                "nichts gebucht."
            )
        )
    return forderung


def rueckforderung_niederschlagen(*, antrag: Antrag, by, grund: str) -> Buchung:
    """Writes off what is still owed of a Rückforderung, with a reason, by a second account
    (not the one who asked the money back). The money stays spent: the pot does not get it."""
    recht_pruefen(by, "antraege.auszahlen")
    if not (grund or "").strip():
        raise ValidationError(
            {"grund": _("Bitte begründen Sie, warum die Forderung niedergeschlagen wird.")}
        )
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        if antrag.status != Status.RUECKFORDERUNG:
            raise ValidationError(_("Es ist keine Rückforderung offen."))
        _rueckforderung(antrag)
        vier_augen.freigeben(antrag=antrag, gegenstand=vier_augen.Gegenstand.RUECKFORDERUNG, by=by)
        offen = ledger(antrag).rueckzahlung_offen
        if offen <= 0:
            raise ValidationError(_("Von der Rückforderung ist nichts mehr offen."))
        buchung = nachbuchen(
            antrag=antrag,
            art=Buchung.Art.NIEDERSCHLAGUNG,
            betrag=offen,
            by=by,
            datum=timezone.localdate(),
            kommentar=grund.strip(),
        )
        verlauf_notieren(
            antrag=antrag,
            by=by,
            kommentar=_("Rückforderung über noch offene %(betrag)s € niedergeschlagen: %(grund)s")
            % {"betrag": geld.betrag(offen), "grund": grund.strip()},
        )
        return buchung


def antrag_abschliessen(*, antrag: Antrag, by, kommentar: str = "") -> Antrag:
    """Closes the case once no money is out: granted money never paid out goes back to the
    pot; a Rückforderung must have arrived or been written off first. Unspent money within
    the year's small-amount limit may stay with the applicant, with a reason (`kommentar`,
    in the history and the letter)."""

    def arbeit(gesperrt):
        abschluss_pruefen(gesperrt)
        rest = aktionen.kleinbetrag(gesperrt, ledger(gesperrt))
        if rest > 0 and not kommentar.strip():
            raise ValidationError(
                _(
                    "Nicht verbraucht sind %(rest)s €, nicht mehr als die Kleinbetragsgrenze: "
                    "Sie können ohne Rückforderung abschließen. Bitte begründen Sie das im "
                    "Kommentarfeld (z. B. „Kleinbetrag, Rückforderung unwirtschaftlich“)."
                )
                % {"rest": geld.betrag(rest)}
            )
        nachbuchen(
            antrag=gesperrt,
            art=Buchung.Art.STORNO,
            betrag=ledger(gesperrt).noch_auszuzahlen,
            by=by,
            kommentar=_("Nicht ausgezahlter Rest beim Abschluss"),
        )

    return schritt_ausfuehren(
        antrag=antrag, nach=Status.ABGESCHLOSSEN, by=by, kommentar=kommentar, arbeit=arbeit
    )


def abschluss_pruefen(antrag: Antrag) -> None:
    """Refuses to close while money is out (`aktionen.abschluss_hindernis`)."""
    grund = aktionen.abschluss_hindernis(antrag, ledger(antrag))
    if grund:
        raise ValidationError(grund)


def ledger(antrag: Antrag):
    """The Antrag's figures from its bookings (call with the Antrag's row locked)."""
    return geldstand(antrag.buchungen.all())


def antrag_sperren(*, antrag: Antrag, by) -> Antrag:
    """Locks the Antrag's row and checks that `by` may work on its Aktionsraum."""
    antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
    if by is not None and not darf_aktionsraum_bearbeiten(
        user=by, aktionsraum_id=antrag.aktionsraum_id
    ):
        raise PermissionDenied(_("Sie dürfen nur Anträge Ihrer eigenen Aktionsräume bearbeiten."))
    return antrag


def recht_pruefen(user, perm: str) -> None:
    """Refuses an account without `perm` (the services check it, whoever calls them)."""
    if user is None or not user.has_perm(perm):
        if perm == ablauf.BESCHLIESSEN:
            raise PermissionDenied(_("Beschlüsse der Projektkonferenz dürfen Sie nicht eintragen."))
        raise PermissionDenied(_("Diesen Schritt darf nur das Projektbüro ausführen."))


def nicht_fuer_fonds(antrag: Antrag) -> None:
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        raise ValidationError(
            _(
                "Über Geld aus dem Aktionsraumfonds entscheidet die Projektkonferenz: "
                "bitte tragen Sie dort einen Beschluss ein."
            )
        )


def uebergang_pruefen(antrag: Antrag, nach: str, von: str | None = None) -> None:
    """Refuses a step the table (ablauf.SCHRITTE) does not have; `von` "" for a new Antrag."""
    von = antrag.status if von is None else von
    if not ablauf.erlaubt(von, nach):
        raise ValidationError(
            _("Von „%(von)s“ kann der Antrag nicht auf „%(nach)s“ gesetzt werden.")
            % {"von": Status(von).label if von else "–", "nach": Status(nach).label}
        )


def kommentar_pruefen(nach: str, kommentar: str) -> None:
    """Refuses a step that needs a comment (ablauf.SCHRITTE) without one."""
    meldung = ablauf.kommentar_fehlt(nach)
    if meldung and not kommentar.strip():
        raise ValidationError({"kommentar": meldung})


def status_schreiben(
    *,
    antrag: Antrag,
    nach: str,
    by,
    kommentar: str,
    durch_antragsteller: bool = False,
    neu: bool = False,
    mail: bool = True,
    aenderungen: list | None = None,
) -> Antrag:
    """The one writer of a status, for staff's and the applicant's steps alike (row is
    locked): checks the step against the table, sets the status, writes the history row and
    queues the mail. `neu`: the first row of an Antrag just stored (from no status)."""
    von = "" if neu else antrag.status
    uebergang_pruefen(antrag, nach, von=von)
    if antrag.status != nach:
        antrag.status = nach
        antrag.save(update_fields=["status", "geaendert_am"])
    StatusAenderung.objects.create(
        antrag=antrag,
        von=von,
        nach=nach,
        user=by,
        durch_antragsteller=durch_antragsteller,
        kommentar=kommentar[:2000],
        aenderungen=aenderungen or [],
    )
    if mail:
        emails.status_vormerken(antrag=antrag, kommentar=kommentar)
    return antrag
