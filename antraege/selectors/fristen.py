"""Deadlines (proof due, Rückfrage unanswered) and the staff start page's work list."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiere.bereich import im_bereich

from .. import ablauf
from ..models import (
    Antrag,
    Haushaltsjahr,
    Projektkonferenz,
    Status,
    StatusAenderung,
)
from . import aktionen
from .berichte import budget_uebersicht

# Deadlines of the work list and the reminders (services.fristen sends them).
VORLAUF = timedelta(days=14)
RUECKFRAGE_WARTET = timedelta(days=14)


def nachweis_bald_faellig(*, heute: date):
    """Anträge whose proof is due within the next 14 days and not yet handed in."""
    return Antrag.objects.filter(
        status__in=ablauf.NACHWEIS_AUSSTEHEND,
        nachweis_faellig_am__gte=heute,
        nachweis_faellig_am__lte=heute + VORLAUF,
    )


def nachweis_ueberfaellig(*, heute: date):
    """Anträge whose proof was due before today and is not handed in."""
    return Antrag.objects.filter(
        status__in=ablauf.NACHWEIS_AUSSTEHEND, nachweis_faellig_am__lt=heute
    )


def mit_rueckfrage_datum(antraege):
    """Annotates `rueckfrage_am`: when the open Rückfrage was asked."""
    # Only the step into Rückfrage counts, not the reminder rows written while it lasts.
    gestellt = (
        StatusAenderung.objects.filter(antrag=OuterRef("pk"), nach=Status.RUECKFRAGE)
        .exclude(von=Status.RUECKFRAGE)
        .order_by("-zeitpunkt")
        .values("zeitpunkt")[:1]
    )
    return antraege.annotate(rueckfrage_am=Subquery(gestellt))


def rueckfragen_unbeantwortet(*, heute: date):
    """Anträge in Rückfrage asked 14 or more days before `heute`, with `rueckfrage_am`."""
    return mit_rueckfrage_datum(Antrag.objects.filter(status=Status.RUECKFRAGE)).filter(
        rueckfrage_am__date__lte=heute - RUECKFRAGE_WARTET
    )


def antworten_eingegangen():
    """Anträge whose applicant answered the Rückfrage and that no staff step has moved since,
    with `antwort` (the answer) and `antwort_am`."""
    letzte = (
        StatusAenderung.objects.filter(antrag=OuterRef("pk"))
        .exclude(von=F("nach"))  # notes and reminders are not steps
        .order_by("-zeitpunkt", "-id")
    )
    return (
        Antrag.objects.filter(status=Status.IN_PRUEFUNG)
        .annotate(
            letzter_von=Subquery(letzte.values("von")[:1]),
            letzter_durch_antragsteller=Subquery(letzte.values("durch_antragsteller")[:1]),
            antwort=Subquery(letzte.values("kommentar")[:1]),
            antwort_am=Subquery(letzte.values("zeitpunkt")[:1]),
        )
        .filter(letzter_von=Status.RUECKFRAGE, letzter_durch_antragsteller=True)
    )


@dataclass(frozen=True)
class Aufgabe:
    """One line of the start page's work list: the Anträge behind its number (unscoped; the
    caller narrows them to the account's areas) and the action it asks for, a status step of
    `ablauf.SCHRITTE` or an action of the Antrag's page (`aktionen.RECHTE`). Only an account
    that may take that action sees the line, by the rights its button checks."""

    schluessel: str
    titel: str
    aktion: str
    antraege: Callable[[date], QuerySet]


def _alle(**filter_):
    return lambda heute: Antrag.objects.filter(**filter_)


S = Status
# The admin's "Arbeitsliste" filter uses the same keys, so that every number links to its rows.
ARBEITSLISTE = [
    Aufgabe("neu", _("Neue Anträge (noch nicht in Prüfung)"), S.IN_PRUEFUNG,
            _alle(status=S.EINGEREICHT)),
    Aufgabe("antwort", _("Antwort auf eine Rückfrage eingegangen"), S.ENTSCHEIDUNGSREIF,
            lambda heute: antworten_eingegangen()),
    Aufgabe("rueckfrage", _("Offene Rückfragen (warten auf Antwort)"), S.IN_PRUEFUNG,
            _alle(status=S.RUECKFRAGE)),
    Aufgabe("rueckfrage_alt", _("Rückfragen seit 14 Tagen oder länger unbeantwortet"),
            S.IN_PRUEFUNG, lambda heute: rueckfragen_unbeantwortet(heute=heute)),
    Aufgabe("ohne_tagesordnung", _("Entscheidungsreif (Fonds), noch auf keiner Tagesordnung"),
            "tagesordnung",
            _alle(status=S.ENTSCHEIDUNGSREIF, finanzierungsquelle="fonds",
                  projektkonferenzen__isnull=True)),
    Aufgabe("zentral_entscheiden",
            _("Entscheidungsreif (zentrales Budget), Entscheidung offen"), S.BEWILLIGT,
            _alle(status=S.ENTSCHEIDUNGSREIF, finanzierungsquelle="projektbudget")),
    Aufgabe("auszahlung_offen", _("Bewilligt, noch nichts ausgezahlt"),
            "auszahlung_feststellen", _alle(status=S.BEWILLIGT)),
    # One join: an Antrag with a payout that is confirmed but not yet ordered.
    Aufgabe("anordnung_offen",
            _("Auszahlung festgestellt, wartet auf Anordnung (zweite Person)"),
            "auszahlung_anordnen",
            _alle(auszahlungen__isnull=False, auszahlungen__angeordnet_am__isnull=True)),
    Aufgabe("bankverbindung_offen", _("Neue Bankverbindung, wartet auf Bestätigung"),
            "bankverbindung_bestaetigen", _alle(iban_pruefung_offen=True)),
    Aufgabe("nachweis_pruefen", _("Verwendungsnachweis eingegangen, zu prüfen"),
            S.ABGESCHLOSSEN, _alle(status=S.NACHWEIS_EINGEREICHT)),
    Aufgabe("nachweis_faellig", _("Verwendungsnachweis in den nächsten 14 Tagen fällig"),
            S.RUECKFORDERUNG, lambda heute: nachweis_bald_faellig(heute=heute)),
    Aufgabe("nachweis_ueberfaellig", _("Verwendungsnachweis überfällig"), S.RUECKFORDERUNG,
            lambda heute: nachweis_ueberfaellig(heute=heute)),
    Aufgabe("rueckzahlung_offen", _("Geld zurückgefordert, Rückzahlung offen"),
            "rueckzahlung_buchen", _alle(status=S.RUECKFORDERUNG)),
]  # fmt: skip
_AUFGABEN = {a.schluessel: a for a in ARBEITSLISTE}


def aufgaben_fuer(user) -> list[Aufgabe]:
    """The lines of the work list this account may act on, in the list's order."""
    return [a for a in ARBEITSLISTE if aktionen.darf(user, a.aktion)]


def arbeitsliste_filter(schluessel: str, *, heute):
    """The Anträge behind one number of the start page (unscoped; callers narrow them)."""
    return _AUFGABEN[schluessel].antraege(heute)


def arbeitsliste_titel(user=None):
    """(key, title) of the work list's lines: those `user` may act on, or all."""
    aufgaben = ARBEITSLISTE if user is None else aufgaben_fuer(user)
    return [(a.schluessel, a.titel) for a in aufgaben]


def startseite(*, user) -> dict:
    """The account's tasks with their numbers (only the lines it may act on), the answers to
    Rückfragen and the open Rückfragen, coming conferences and the money of the year."""

    heute = timezone.localdate()
    aufgaben = aufgaben_fuer(user)
    zahlen = [
        {
            "schluessel": a.schluessel,
            "titel": a.titel,
            "anzahl": im_bereich(a.antraege(heute), user=user).values("pk").distinct().count(),
        }
        for a in aufgaben
    ]
    sichtbar = {a.schluessel for a in aufgaben}
    antworten = []
    if "antwort" in sichtbar:
        antworten = list(
            im_bereich(antworten_eingegangen(), user=user)
            .select_related("aktionsraum")
            .order_by("antwort_am")[:10]
        )
    rueckfragen = []
    if "rueckfrage" in sichtbar:
        rueckfragen = list(
            mit_rueckfrage_datum(
                im_bereich(Antrag.objects.filter(status=Status.RUECKFRAGE), user=user)
            )
            .select_related("aktionsraum")
            .order_by("rueckfrage_am")[:10]
        )
    for antrag in rueckfragen:
        antrag.tage_wartend = (
            (heute - timezone.localdate(antrag.rueckfrage_am)).days if antrag.rueckfrage_am else 0
        )
    konferenzen = list(
        im_bereich(Projektkonferenz.objects.filter(datum__gte=heute), user=user)
        .select_related("aktionsraum")
        .annotate(anzahl=Count("tagesordnung"))
        .order_by("datum", "id")[:5]
    )
    hj = Haushaltsjahr.objects.filter(jahr=heute.year, eingerichtet=True).first()
    return {
        "zahlen": zahlen,
        "aufgaben": sichtbar,
        "antworten": antworten,
        "rueckfragen": rueckfragen,
        "konferenzen": konferenzen,
        "jahr": heute.year,
        "budget": budget_uebersicht(haushaltsjahr=hj, user=user) if hj else None,
    }
