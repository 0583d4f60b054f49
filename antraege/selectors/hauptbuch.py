"""The ledger's figures: the named columns of any set of bookings, per Antrag, per pot."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import (
    MONEY,
    WIRKUNG,
    ZERO,
    Buchung,
)

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
