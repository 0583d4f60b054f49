"""Deadlines (proof due, Rückfrage unanswered) and the staff start page's work list."""

from datetime import date, timedelta

from django.db.models import Count, OuterRef, Subquery
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


# The start page's work list: key -> (label, filter of the Anträge). The admin's
# "Arbeitsliste" filter uses the same keys, so every number links to exactly its rows.
def arbeitsliste_filter(schluessel: str, *, heute):
    """The Anträge behind one number of the start page (unscoped; callers narrow them)."""
    alle = Antrag.objects.all()
    filter_ = {
        "neu": lambda: alle.filter(status=Status.EINGEREICHT),
        "rueckfrage": lambda: alle.filter(status=Status.RUECKFRAGE),
        "rueckfrage_alt": lambda: rueckfragen_unbeantwortet(heute=heute),
        "ohne_tagesordnung": lambda: alle.filter(
            status=Status.ENTSCHEIDUNGSREIF,
            finanzierungsquelle="fonds",
            projektkonferenzen__isnull=True,
        ),
        "zentral_entscheiden": lambda: alle.filter(
            status=Status.ENTSCHEIDUNGSREIF, finanzierungsquelle="projektbudget"
        ),
        "auszahlung_offen": lambda: alle.filter(status=Status.BEWILLIGT),
        # One join: an Antrag with a payout that is confirmed but not yet ordered.
        "anordnung_offen": lambda: alle.filter(
            auszahlungen__isnull=False, auszahlungen__angeordnet_am__isnull=True
        ),
        "bankverbindung_offen": lambda: alle.filter(iban_pruefung_offen=True),
        "nachweis_pruefen": lambda: alle.filter(status=Status.NACHWEIS_EINGEREICHT),
        "nachweis_faellig": lambda: nachweis_bald_faellig(heute=heute),
        "nachweis_ueberfaellig": lambda: nachweis_ueberfaellig(heute=heute),
    }
    return filter_[schluessel]()


def arbeitsliste_titel():
    return [
        ("neu", _("Neue Anträge (noch nicht in Prüfung)")),
        ("rueckfrage", _("Offene Rückfragen")),
        ("rueckfrage_alt", _("Rückfragen seit 14 Tagen oder länger unbeantwortet")),
        ("ohne_tagesordnung", _("Entscheidungsreif (Fonds), noch auf keiner Tagesordnung")),
        ("zentral_entscheiden", _("Entscheidungsreif (zentrales Budget), Entscheidung offen")),
        ("auszahlung_offen", _("Bewilligt, noch nichts ausgezahlt")),
        ("anordnung_offen", _("Auszahlung festgestellt, wartet auf Anordnung (zweite Person)")),
        ("bankverbindung_offen", _("Neue Bankverbindung, wartet auf Bestätigung")),
        ("nachweis_pruefen", _("Verwendungsnachweis eingegangen, zu prüfen")),
        ("nachweis_faellig", _("Verwendungsnachweis in den nächsten 14 Tagen fällig")),
        ("nachweis_ueberfaellig", _("Verwendungsnachweis überfällig")),
    ]


def startseite(*, user) -> dict:
    """Numbers, open Rückfragen, coming conferences and fund figures for one staff member."""

    heute = timezone.localdate()
    zahlen = [
        {
            "schluessel": key,
            "titel": titel,
            "anzahl": im_bereich(arbeitsliste_filter(key, heute=heute), user=user)
            .values("pk")
            .distinct()
            .count(),
        }
        for key, titel in arbeitsliste_titel()
    ]
    rueckfragen = list(
        mit_rueckfrage_datum(im_bereich(Antrag.objects.filter(status=Status.RUECKFRAGE), user=user))
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
        "rueckfragen": rueckfragen,
        "konferenzen": konferenzen,
        "jahr": heute.year,
        "budget": budget_uebersicht(haushaltsjahr=hj, user=user) if hj else None,
    }
