"""Reads: who may see which Aktionsraum, the ledger's figures, budget overview, yearly report."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The scope rule lives with the areas; it is used through this module everywhere.
from quartiere.bereich import BEREICH_PFADE as BEREICH_PFADE
from quartiere.bereich import aktionsraeume_fuer as aktionsraeume_fuer
from quartiere.bereich import auswahl_im_bereich as auswahl_im_bereich
from quartiere.bereich import darf_aktionsraum_bearbeiten as darf_aktionsraum_bearbeiten
from quartiere.bereich import im_bereich as im_bereich
from quartiere.bereich import sieht_alle_aktionsraeume as sieht_alle_aktionsraeume
from quartiere.models import Aktionsraum

from .models import (
    MONEY,
    NACHWEIS_AUSSTEHEND,
    WIRKUNG,
    ZERO,
    Aktionsraumfonds,
    Antrag,
    Buchung,
    Haushaltsjahr,
    Status,
    StatusAenderung,
)

# The applicant's personal data that not every role may see (masked everywhere else).
KONTAKTFELDER = ["strasse", "plz", "wohnort", "email", "telefon"]
BANKFELDER = ["kontoinhaber", "iban"]


def verborgene_felder(*, user) -> list[str]:
    """The Antrag fields this account may not see: Lesezugriff no contact data and no bank
    account, a Beauftragte no bank account."""
    verborgen = []
    if not user.has_perm("antraege.kontaktdaten_sehen"):
        verborgen += KONTAKTFELDER
    if not user.has_perm("antraege.iban_sehen"):
        verborgen += BANKFELDER
    return verborgen


# The ledger's named columns: each is the sum of one kind of booking.
SPALTEN = {
    "bewilligungen": Buchung.Art.BEWILLIGUNG,
    "storniert": Buchung.Art.STORNO,
    "auszahlungen": Buchung.Art.AUSZAHLUNG,
    "zurueckgefordert": Buchung.Art.RUECKFORDERUNG,
    "zurueckerhalten": Buchung.Art.RUECKZAHLUNG,
    "niedergeschlagen": Buchung.Art.NIEDERSCHLAGUNG,
}


@dataclass(frozen=True)
class Geldstand:
    """The figures of any set of bookings, named the same on every page, export and report.

    bewilligt: grants less cancelled grants and unpaid rests given back (Storno);
    auszahlungen ("Ausgezahlt"): every payout ordered; zurueckerhalten ("Zurückerhalten"):
    refunds received; netto_ausgezahlt ("Netto ausgezahlt"): the one less the other; gebunden:
    what the pot still owes to or has spent on these Anträge (bewilligt less refunds received).
    Pages, letters, exports and reports show these as separate rows, never one for another.
    """

    bewilligungen: Decimal = ZERO
    storniert: Decimal = ZERO
    auszahlungen: Decimal = ZERO
    zurueckgefordert: Decimal = ZERO
    zurueckerhalten: Decimal = ZERO
    niedergeschlagen: Decimal = ZERO

    @property
    def bewilligt(self) -> Decimal:
        return self.bewilligungen - self.storniert

    @property
    def netto_ausgezahlt(self) -> Decimal:
        return self.auszahlungen - self.zurueckerhalten

    @property
    def gebunden(self) -> Decimal:
        """What the pot has bound, by each kind's effect (models.WIRKUNG): bewilligt less
        refunds received."""
        return sum((WIRKUNG[art] * getattr(self, k) for k, art in SPALTEN.items()), ZERO)

    @property
    def rueckzahlung_offen(self) -> Decimal:
        return self.zurueckgefordert - self.zurueckerhalten - self.niedergeschlagen

    @property
    def noch_auszuzahlen(self) -> Decimal:
        """Granted and neither paid out nor given back yet."""
        return self.bewilligt - self.auszahlungen

    def __add__(self, other: "Geldstand") -> "Geldstand":
        return Geldstand(**{k: getattr(self, k) + getattr(other, k) for k in SPALTEN})


def nicht_verbraucht(*, ausgezahlt: Decimal, verwendet: Decimal) -> Decimal:
    """The unspent difference: what was paid out (net) and the proof does not cover. The one
    place it is computed: the applicant's check page, the proof's history row, the suggested
    Rückforderung and the refusal to close without one."""
    return max(ZERO, ausgezahlt - verwendet)


def rueckzahlung_angaben(*, antrag, betrag=None, heute=None) -> dict:
    """What the applicant needs to pay a Rückforderung back, the same in the letter and on the
    status page: amount, the city's account, the reference and the due date (the day the
    Rückforderung was booked plus RUECKZAHLUNG_FRIST_TAGE; for a letter not sent yet, today)."""
    from django.conf import settings

    forderung = (
        antrag.buchungen.filter(art=Buchung.Art.RUECKFORDERUNG).order_by("-zeitpunkt").first()
        if antrag.pk
        else None
    )
    ab = timezone.localdate(forderung.zeitpunkt) if forderung else heute or timezone.localdate()
    if betrag is None:
        betrag = geldstand(antrag.buchungen.all()).rueckzahlung_offen
    return {
        "rueckforderung": betrag,
        "zahlen_bis": ab + timedelta(days=settings.RUECKZAHLUNG_FRIST_TAGE),
        "konto_inhaber": settings.RUECKZAHLUNG_KONTOINHABER,
        "konto_iban": settings.RUECKZAHLUNG_IBAN,
        "konto_bank": settings.RUECKZAHLUNG_BANK,
        "verwendungszweck": f"{antrag.aktenzeichen} Rückforderung",
    }


def geld_ausdruecke() -> dict:
    """Aggregates of a queryset of bookings for the ledger's columns."""
    return {
        spalte: Coalesce(
            Sum("betrag", filter=Q(art=art)),
            Value(ZERO),
            output_field=DecimalField(**MONEY),
        )
        for spalte, art in SPALTEN.items()
    }


def geldstand(buchungen) -> Geldstand:
    """The figures of a queryset of bookings (one query)."""
    return Geldstand(**buchungen.order_by().aggregate(**geld_ausdruecke()))


def geldstaende(buchungen, *, nach: str) -> dict:
    """The figures of a queryset of bookings grouped by one field (one query)."""
    zeilen = buchungen.order_by().values(nach).annotate(**geld_ausdruecke())
    return {z.pop(nach): Geldstand(**z) for z in zeilen}


def mit_geldstand(antraege):
    """Anträge annotated with their ledger columns (subqueries: safe whatever the filters
    joined); read them with `geldstand_von`."""
    return antraege.annotate(
        **{
            f"geld_{spalte}": Coalesce(
                Subquery(
                    Buchung.objects.filter(antrag=OuterRef("pk"), art=art)
                    .order_by()
                    .values("antrag")
                    .annotate(s=Sum("betrag"))
                    .values("s")
                ),
                Value(ZERO),
                output_field=DecimalField(**MONEY),
            )
            for spalte, art in SPALTEN.items()
        }
    )


def antrag_geldstand(antrag) -> Geldstand:
    """One Antrag's figures from its bookings (one query)."""
    return geldstand(antrag.buchungen.all())


def geldstand_von(antrag) -> Geldstand:
    """The figures of an Antrag annotated by `mit_geldstand`."""
    return Geldstand(**{spalte: getattr(antrag, f"geld_{spalte}") for spalte in SPALTEN})


def zentrale_buchungen(*, haushaltsjahr):
    """The bookings of the year's central project budget (a fund's are `fonds.buchungen`)."""
    return Buchung.objects.filter(haushaltsjahr=haushaltsjahr, fonds__isnull=True)


def fonds_transparenz(*, aktionsraum) -> dict:
    """This year's fund and the area's projects from the ledger, without personal data.

    Fund projects are listed under the fund, central-budget projects in their own list; each
    row has what was granted and what is still bound, and the totals are the sums of the rows.
    """
    jahr = timezone.localdate().year
    hj = Haushaltsjahr.objects.filter(jahr=jahr, eingerichtet=True).first()
    if hj is None:
        return {"jahr": jahr, "eingerichtet": False}
    fonds = Aktionsraumfonds.objects.filter(haushaltsjahr=hj, aktionsraum=aktionsraum).first()
    buchungen = Buchung.objects.filter(haushaltsjahr=hj, antrag__aktionsraum=aktionsraum)
    fonds_staende = geldstaende(buchungen.filter(fonds__isnull=False), nach="antrag")
    zentral_staende = geldstaende(buchungen.filter(fonds__isnull=True), nach="antrag")
    antraege = Antrag.objects.only(*ZIEL_FELDER, "titel").in_bulk(
        [*fonds_staende, *zentral_staende]
    )

    def liste(staende):
        zeilen = [
            {"antrag": antraege[pk], "stand": stand}
            for pk, stand in staende.items()
            if stand.bewilligt > 0
        ]
        zeilen.sort(key=lambda z: (z["antrag"].titel, z["antrag"].pk))
        return zeilen, sum((z["stand"] for z in zeilen), Geldstand())

    fonds_projekte, fonds_summe = liste(fonds_staende)
    zentral_projekte, zentral_summe = liste(zentral_staende)
    budget = fonds.betrag if fonds else ZERO
    # The fund's figures are the sum of its rows; a booking of a fund Antrag with nothing
    # granted any more (cancelled) has bewilligt 0 and binds nothing, so nothing is left out.
    return {
        "jahr": jahr,
        "eingerichtet": True,
        "hat_fonds": fonds is not None,
        "budget": budget,
        "stand": fonds_summe,
        "verfuegbar": budget - fonds_summe.gebunden,
        "projekte": fonds_projekte,
        "zentral_projekte": zentral_projekte,
        "zentral_stand": zentral_summe,
    }


# The budget overview's columns, in this order on the page and in both downloads.
UEBERSICHT_SPALTEN = [
    ("budget", _("Budget")),
    ("bewilligt", _("Bewilligt")),
    ("auszahlungen", _("Ausgezahlt")),
    ("zurueckgefordert", _("Zurückgefordert")),
    ("zurueckerhalten", _("Zurückerhalten")),
    ("netto_ausgezahlt", _("Netto ausgezahlt")),
    ("gebunden", _("Gebunden")),
    ("verfuegbar", _("Verfügbar")),
]


def _zeile(name, budget, stand: Geldstand) -> dict:
    return {
        "name": name,
        "budget": budget,
        "bewilligt": stand.bewilligt,
        "auszahlungen": stand.auszahlungen,
        "zurueckgefordert": stand.zurueckgefordert,
        "zurueckerhalten": stand.zurueckerhalten,
        "netto_ausgezahlt": stand.netto_ausgezahlt,
        "gebunden": stand.gebunden,
        "verfuegbar": budget - stand.gebunden,
    }


def budget_uebersicht(*, haushaltsjahr, user=None) -> dict:
    """Per fund and for the central budget the ledger's columns and the budget (3 queries).

    With a `user` who sees only some Aktionsräume, only their funds are listed.
    """
    fonds = (
        Aktionsraumfonds.objects.filter(haushaltsjahr=haushaltsjahr)
        .select_related("aktionsraum")
        .order_by("aktionsraum__sort_order", "aktionsraum__name")
    )
    alle = user is None or sieht_alle_aktionsraeume(user)
    if not alle:
        fonds = im_bereich(fonds, user=user)
    fonds = list(fonds)
    staende = geldstaende(Buchung.objects.filter(haushaltsjahr=haushaltsjahr), nach="fonds")
    zeilen = [_zeile(f.aktionsraum.name, f.betrag, staende.get(f.pk, Geldstand())) for f in fonds]
    if alle:
        fonds_summe = haushaltsjahr.fonds.aggregate(s=Sum("betrag"))["s"] or ZERO
        zeilen.append(
            _zeile(
                _("Zentrales Projektbudget"),
                haushaltsjahr.gesamtbudget - fonds_summe,
                staende.get(None, Geldstand()),
            )
        )
    spalten = [key for key, _label in UEBERSICHT_SPALTEN]
    summe = {key: sum((z[key] for z in zeilen), ZERO) for key in spalten}
    return {"zeilen": zeilen, "summe": summe, "spalten": UEBERSICHT_SPALTEN}


ZIEL_FELDER = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]

# The yearly report's columns: counts, participants and the ledger's money columns.
BERICHT_SPALTEN = [
    ("eingegangen", _("Anträge eingegangen")),
    ("bewilligt_anzahl", _("Anträge bewilligt")),
    ("abgelehnt", _("Anträge abgelehnt")),
    ("zurueckgezogen", _("Anträge zurückgezogen")),
    ("teilnehmende", _("Erwartete Teilnehmende (bewilligte Anträge)")),
    ("bewilligt", _("Bewilligt")),
    ("auszahlungen", _("Ausgezahlt")),
    ("zurueckgefordert", _("Zurückgefordert")),
    ("zurueckerhalten", _("Zurückerhalten")),
    ("netto_ausgezahlt", _("Netto ausgezahlt")),
    ("gebunden", _("Gebunden")),
]
BERICHT_GELD = [
    "bewilligt",
    "auszahlungen",
    "zurueckgefordert",
    "zurueckerhalten",
    "netto_ausgezahlt",
    "gebunden",
]


def jahresbericht(*, haushaltsjahr, user) -> dict:
    """Per Aktionsraum and goal, with a total per Aktionsraum and one for all of them.

    Anträge received, rejected and withdrawn count in the year they were submitted in; grants
    and money in the budget year the grant was booked in. An Antrag that serves several goals
    counts under each of them, but once in the totals.
    """
    eingegangen = im_bereich(Antrag.objects.filter(haushaltsjahr=haushaltsjahr), user=user)
    buchungen = im_bereich(
        Buchung.objects.filter(haushaltsjahr=haushaltsjahr), user=user, feld="antrag__aktionsraum"
    )
    bewilligt = Antrag.objects.filter(
        pk__in=buchungen.filter(art=Buchung.Art.BEWILLIGUNG).values("antrag")
    )
    namen = dict(Aktionsraum.objects.order_by("sort_order", "name").values_list("pk", "name"))
    reihenfolge = {pk: i for i, pk in enumerate(namen)}

    def gruppen(bedingung: dict) -> dict:
        """Per Aktionsraum id: the report's figures for Anträge matching `bedingung`."""
        zahlen = {}
        zaehlung = (
            eingegangen.filter(**bedingung)
            .order_by()
            .values("aktionsraum")
            .annotate(
                eingegangen=Count("id"),
                abgelehnt=Count("id", filter=Q(status=Status.ABGELEHNT)),
                zurueckgezogen=Count("id", filter=Q(status=Status.ZURUECKGEZOGEN)),
            )
        )
        for z in zaehlung:
            zahlen.setdefault(z.pop("aktionsraum"), {}).update(z)
        for z in (
            bewilligt.filter(**bedingung)
            .order_by()
            .values("aktionsraum")
            .annotate(bewilligt_anzahl=Count("id"), teilnehmende=Sum("teilnehmende"))
        ):
            zahlen.setdefault(z.pop("aktionsraum"), {}).update(z)
        geld = geldstaende(
            buchungen.filter(**{f"antrag__{k}": v for k, v in bedingung.items()}),
            nach="antrag__aktionsraum",
        )
        for pk, stand in geld.items():
            zahlen.setdefault(pk, {}).update({k: getattr(stand, k) for k in BERICHT_GELD})
        return zahlen

    def zeile(aktionsraum, ziel, werte):
        return {
            "aktionsraum": aktionsraum,
            "ziel": ziel,
            **{k: werte.get(k, ZERO if k in BERICHT_GELD else 0) for k, _l in BERICHT_SPALTEN},
        }

    je_ziel = {feld: gruppen({feld: True}) for feld in ZIEL_FELDER}
    gesamt = gruppen({})
    zeilen = []
    for pk in sorted(gesamt, key=reihenfolge.__getitem__):
        for feld in ZIEL_FELDER:
            if pk in je_ziel[feld]:
                ziel = Antrag._meta.get_field(feld).verbose_name
                zeilen.append(zeile(namen[pk], ziel, je_ziel[feld][pk]))
        zeilen.append({**zeile(namen[pk], _("alle Ziele"), gesamt[pk]), "summe": True})
    summe = zeile(
        _("Alle Aktionsräume"),
        _("alle Ziele"),
        {
            k: sum((g.get(k, 0) for g in gesamt.values()), ZERO if k in BERICHT_GELD else 0)
            for k, _l in BERICHT_SPALTEN
        },
    )
    return {"zeilen": zeilen, "summe": summe, "spalten": BERICHT_SPALTEN}


# Deadlines of the work list and the reminders (services.fristen sends them).
VORLAUF = timedelta(days=14)
RUECKFRAGE_WARTET = timedelta(days=14)


def nachweis_bald_faellig(*, heute: date):
    """Anträge whose proof is due within the next 14 days and not yet handed in."""
    return Antrag.objects.filter(
        status__in=NACHWEIS_AUSSTEHEND,
        nachweis_faellig_am__gte=heute,
        nachweis_faellig_am__lte=heute + VORLAUF,
    )


def nachweis_ueberfaellig(*, heute: date):
    """Anträge whose proof was due before today and is not handed in."""
    return Antrag.objects.filter(status__in=NACHWEIS_AUSSTEHEND, nachweis_faellig_am__lt=heute)


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
    from .models import Projektkonferenz
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


# The applicant's steps on the status page, and where each status stands on them.
SCHRITTE = [
    _("Eingegangen"),
    _("Prüfung"),
    _("Entscheidung"),
    _("Auszahlung"),
    _("Verwendungsnachweis"),
]
_AKTUELLER_SCHRITT = {
    Status.EINGEREICHT: 1,
    Status.IN_PRUEFUNG: 1,
    Status.RUECKFRAGE: 1,
    Status.ENTSCHEIDUNGSREIF: 2,
    Status.BEWILLIGT: 3,
    Status.TEILWEISE_AUSGEZAHLT: 3,
    Status.AUSGEZAHLT: 4,
    Status.NACHWEIS_KORREKTUR: 4,
    Status.NACHWEIS_EINGEREICHT: 4,
    Status.RUECKFORDERUNG: 4,
    Status.ABGESCHLOSSEN: 5,  # all done
}
# Ended early: the steps up to here are done, the rest are not needed any more.
_BEENDET_NACH = {Status.ABGELEHNT: 3, Status.AUFGEHOBEN: 3, Status.ZURUECKGEZOGEN: 1}


def schritte(antrag) -> list[dict]:
    """The five steps with their state: erledigt, aktuell, offen or entfaellt."""
    if antrag.status in _BEENDET_NACH:
        bis = _BEENDET_NACH[antrag.status]
        return [
            {"name": name, "zustand": "erledigt" if i < bis else "entfaellt"}
            for i, name in enumerate(SCHRITTE)
        ]
    aktuell = _AKTUELLER_SCHRITT.get(antrag.status, 1)
    return [
        {
            "name": name,
            "zustand": "erledigt" if i < aktuell else "aktuell" if i == aktuell else "offen",
        }
        for i, name in enumerate(SCHRITTE)
    ]


def entscheidungsdauer(*, heute=None, mindestens: int = 5) -> int | None:
    """Median days from receipt to decision (granted or refused) over the last twelve months,
    from the Anträge themselves; None with fewer than `mindestens` decisions (too few to say)."""
    from statistics import median

    heute = heute or timezone.localdate()
    seit = heute - timedelta(days=365)
    zeilen = (
        StatusAenderung.objects.filter(
            nach__in=[Status.BEWILLIGT, Status.ABGELEHNT], zeitpunkt__date__gte=seit
        )
        .exclude(antrag__eingereicht_am=None)
        .values_list("zeitpunkt", "antrag__eingereicht_am")[:2000]
    )
    tage = [(entschieden - eingang).days for entschieden, eingang in zeilen]
    if len(tage) < mindestens:
        return None
    return round(median(tage))


def naechste_konferenzen(*, aktionsraum, heute=None, anzahl: int = 3):
    """The Projektkonferenzen planned in an Aktionsraum from today on."""
    heute = heute or timezone.localdate()
    return list(aktionsraum.projektkonferenzen.filter(datum__gte=heute).order_by("datum")[:anzahl])
