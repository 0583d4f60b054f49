"""The Antrag's page as a case file: the summary at the top (who, what, where, when, the
ledger's amounts, the stage and the next deadline), the applicant's answer with every field it
changed, and the history as a timeline; each narrowed to the fields the account may see."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aktionsplan.kern import geld

from .. import ablauf
from ..models import Antrag, Finanzierungsquelle, Status
from .fristen import RUECKFRAGE_WARTET
from .hauptbuch import Geldstand


def wert_anzeigen(feld, value, sonst=str) -> str:
    """A stored value of an Antrag field as the pages write it: "–" for none, amounts and
    dates in German, a choice by its label, yes or no (also for values kept as JSON text);
    any other value as `sonst` writes it."""
    if value is None or value == "":
        return "–"
    if getattr(feld, "choices", None):
        return str(dict(feld.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(feld, models.DecimalField):
        return geld.euro(Decimal(value))
    if isinstance(feld, models.DateTimeField):
        wert = feld.to_python(value) if isinstance(value, str) else value
        return date_format(timezone.localtime(wert), "DATETIME_FORMAT")
    if isinstance(feld, models.DateField):
        wert = feld.to_python(value) if isinstance(value, str) else value
        return date_format(wert, "DATE_FORMAT")
    return sonst(value)


@dataclass(frozen=True)
class Aenderung:
    """One field the applicant changed: its label and the values before and after, as text
    (a list of lines for the Kostenplan and the attachments)."""

    feld: str
    titel: str
    vorher: str | list[str]
    nachher: str | list[str]

    @property
    def als_liste(self) -> bool:
        return isinstance(self.vorher, list)


def _zeilen(name: str, werte: list) -> list[str]:
    if name == "kosten":
        return [f"{beschreibung}: {geld.euro(Decimal(betrag))}" for beschreibung, betrag in werte]
    return [str(w) for w in werte]


def aenderungen_anzeigen(roh: list[dict], *, verborgen) -> list[Aenderung]:
    """The stored changes (`StatusAenderung.aenderungen`) as the page lists them, without the
    fields the account may not see."""
    titel_listen = {"kosten": _("Kostenplan"), "anlagen": _("Anlagen")}
    ergebnis = []
    for eintrag in roh:
        name = eintrag["feld"]
        if name in verborgen:
            continue
        if name in titel_listen:
            ergebnis.append(
                Aenderung(
                    name,
                    titel_listen[name],
                    _zeilen(name, eintrag["vorher"]),
                    _zeilen(name, eintrag["nachher"]),
                )
            )
            continue
        try:
            feld = Antrag._meta.get_field(name)
        except FieldDoesNotExist:  # a field renamed or removed since the answer
            ergebnis.append(Aenderung(name, name, str(eintrag["vorher"]), str(eintrag["nachher"])))
            continue
        ergebnis.append(
            Aenderung(
                name,
                str(feld.verbose_name),
                wert_anzeigen(feld, eintrag["vorher"]),
                wert_anzeigen(feld, eintrag["nachher"]),
            )
        )
    return ergebnis


def ist_antwort(zeile) -> bool:
    """Whether a history row is the applicant's answer to a Rückfrage (not a withdrawal)."""
    return (
        zeile.durch_antragsteller
        and zeile.von == Status.RUECKFRAGE
        and zeile.nach == Status.IN_PRUEFUNG
    )


@dataclass(frozen=True)
class Antwort:
    """The applicant's answer to the last Rückfrage, while no staff step followed it."""

    frage: str
    text: str
    am: object
    aenderungen: list[Aenderung]


def offene_antwort(antrag: Antrag, *, verborgen) -> Antwort | None:
    """The answer to the Rückfrage, if it is the Antrag's last step (notes do not count)."""
    schritte = [z for z in antrag.verlauf.all() if z.von != z.nach]
    if not schritte:
        return None
    letzter = schritte[-1]
    if not ist_antwort(letzter):
        return None
    fragen = [z for z in schritte if z.nach == Status.RUECKFRAGE and not z.durch_antragsteller]
    return Antwort(
        frage=fragen[-1].kommentar if fragen else "",
        text=letzter.kommentar,
        am=letzter.zeitpunkt,
        aenderungen=aenderungen_anzeigen(letzter.aenderungen, verborgen=verborgen),
    )


@dataclass(frozen=True)
class Eintrag:
    """One entry of the timeline: a step, a reminder or a note."""

    zeitpunkt: object
    titel: str
    wer: str
    kommentar: str
    interne_notiz: str
    aenderungen: list[Aenderung] = field(default_factory=list)
    antragsteller: bool = False


def zeitleiste(antrag: Antrag, *, verborgen) -> list[Eintrag]:
    """The history, newest first: what happened, who did it, what was written."""
    eintraege = []
    for zeile in antrag.verlauf.select_related("user"):
        if not zeile.von:
            titel = _("Antrag eingegangen (%(status)s)") % {"status": zeile.get_nach_display()}
        elif zeile.von == zeile.nach:
            titel = _("Vermerk (Stand: %(status)s)") % {"status": zeile.get_nach_display()}
        elif ist_antwort(zeile):
            titel = _("Antwort auf die Rückfrage")
        else:
            titel = _("%(von)s → %(nach)s") % {
                "von": zeile.get_von_display(),
                "nach": zeile.get_nach_display(),
            }
        if zeile.durch_antragsteller:
            wer = _("Antragsteller/in")
        elif zeile.user is not None:
            wer = zeile.user.get_full_name() or zeile.user.get_username()
        else:
            wer = _("Portal")
        eintraege.append(
            Eintrag(
                zeitpunkt=zeile.zeitpunkt,
                titel=titel,
                wer=wer,
                kommentar=zeile.kommentar,
                interne_notiz=zeile.interne_notiz,
                aenderungen=aenderungen_anzeigen(zeile.aenderungen, verborgen=verborgen),
                antragsteller=zeile.durch_antragsteller,
            )
        )
    return eintraege[::-1]


@dataclass(frozen=True)
class Frist:
    text: str
    ueberfaellig: bool = False


def naechste_frist(antrag: Antrag, *, heute: date) -> Frist | None:
    """The deadline that matters in the Antrag's stage: the proof's due date, how long a
    Rückfrage has waited, the Projektkonferenz that decides a fund Antrag."""
    if antrag.status in ablauf.NACHWEIS_AUSSTEHEND and antrag.nachweis_faellig_am:
        faellig = antrag.nachweis_faellig_am
        return Frist(
            _("Verwendungsnachweis fällig am %(datum)s")
            % {"datum": date_format(faellig, "DATE_FORMAT")},
            ueberfaellig=faellig < heute,
        )
    if antrag.status == Status.RUECKFRAGE:
        gestellt = (
            antrag.verlauf.filter(nach=Status.RUECKFRAGE)
            .exclude(von=Status.RUECKFRAGE)
            .order_by("-zeitpunkt")
            .first()
        )
        if gestellt is not None:
            am = timezone.localtime(gestellt.zeitpunkt).date()
            return Frist(
                _("Rückfrage gestellt am %(datum)s, Erinnerung nach %(tage)d Tagen")
                % {"datum": date_format(am, "DATE_FORMAT"), "tage": RUECKFRAGE_WARTET.days},
                ueberfaellig=am + RUECKFRAGE_WARTET <= heute,
            )
    if (
        antrag.status == Status.ENTSCHEIDUNGSREIF
        and antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS
    ):
        konferenz = antrag.projektkonferenzen.order_by("-datum").first()
        if konferenz is None:
            return Frist(_("Noch auf keiner Tagesordnung einer Projektkonferenz"))
        return Frist(
            _("Projektkonferenz am %(datum)s")
            % {"datum": date_format(konferenz.datum, "DATE_FORMAT")},
            ueberfaellig=konferenz.datum < heute,
        )
    return None


@dataclass(frozen=True)
class Uebersicht:
    """The summary at the top of the case file."""

    wer: str
    wo: str
    wann: str
    topf: str
    stand: str
    frist: Frist | None
    beantragt: Decimal
    geld: Geldstand
    offen: Decimal


def uebersicht(antrag: Antrag, *, stand: Geldstand, offen: Decimal, heute: date) -> Uebersicht:
    wer = antrag.organisation or antrag.ansprechperson
    if antrag.organisation:
        wer = f"{antrag.organisation} ({antrag.ansprechperson})"
    if antrag.beginn == antrag.ende:
        wann = date_format(antrag.beginn, "DATE_FORMAT")
    else:
        wann = _("%(beginn)s bis %(ende)s") % {
            "beginn": date_format(antrag.beginn, "DATE_FORMAT"),
            "ende": date_format(antrag.ende, "DATE_FORMAT"),
        }
    return Uebersicht(
        wer=wer,
        wo=f"{antrag.durchfuehrungsort} ({antrag.aktionsraum.name})",
        wann=wann,
        topf=antrag.get_finanzierungsquelle_display(),
        stand=antrag.get_status_display(),
        frist=naechste_frist(antrag, heute=heute),
        beantragt=antrag.beantragter_betrag,
        geld=stand,
        offen=offen,
    )
