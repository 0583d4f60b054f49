"""Funded projects for residents (issue 40, point 5): a public page per project whose applicant
agreed in the form, the programme's list with filters and its Atom feed, and for the others an
anonymous row of area, goal and amount. Nothing here names a person or an address; the amount
is the ledger's "bewilligt" (grants less Storno), as everywhere."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ..models import Antrag, Buchung
from .berichte import ZIEL_FELDER
from .hauptbuch import geldstaende

ZIEL_KURZ = {f.removeprefix("ziel_"): f for f in ZIEL_FELDER}


@dataclass(frozen=True)
class Projekt:
    antrag: Antrag
    jahr: int
    bewilligt: Decimal

    @property
    def profil(self) -> bool:
        return self.antrag.oeffentlich_vorstellen is True


def _gefoerdert(filter_q: Q) -> list[Projekt]:
    """Every project with money granted (after Storno), newest first: by the year of its
    grant, then its start, then its number."""
    staende = geldstaende(Buchung.objects.filter(filter_q), nach="antrag")
    antraege = (
        Antrag.objects.filter(pk__in=[pk for pk, s in staende.items() if s.bewilligt > 0])
        .select_related("aktionsraum", "haushaltsjahr")
        .defer("iban", "kontoinhaber", "email", "telefon", "strasse", "plz", "wohnort")
    )
    projekte = [
        Projekt(antrag=a, jahr=a.haushaltsjahr.jahr, bewilligt=staende[a.pk].bewilligt)
        for a in antraege
    ]
    projekte.sort(key=lambda p: (p.jahr, p.antrag.beginn, p.antrag.pk), reverse=True)
    return projekte


def liste(*, aktionsraum=None, jahr: int | None = None, ziel: str = "") -> list[Projekt]:
    """The programme's list, filtered by area, year and goal (already narrowed to known
    values by the view): profiles and anonymous rows alike, newest first."""
    q = Q(haushaltsjahr__eingerichtet=True)
    if aktionsraum is not None:
        q &= Q(antrag__aktionsraum=aktionsraum)
    if jahr is not None:
        q &= Q(haushaltsjahr__jahr=jahr)
    if ziel in ZIEL_KURZ:
        q &= Q(**{f"antrag__{ZIEL_KURZ[ziel]}": True})
    return _gefoerdert(q)


def profile(limit: int = 50) -> list[Projekt]:
    """The newest public project pages (for the Atom feed)."""
    q = Q(haushaltsjahr__eingerichtet=True, antrag__oeffentlich_vorstellen=True)
    return _gefoerdert(q)[:limit]


def profil(aktenzeichen: str) -> Projekt | None:
    """One public project page: granted money and the applicant's consent, else None (as if
    there were no such project)."""
    q = Q(
        haushaltsjahr__eingerichtet=True,
        antrag__aktenzeichen=aktenzeichen,
        antrag__oeffentlich_vorstellen=True,
    )
    treffer = _gefoerdert(q)
    return treffer[0] if treffer else None


def jahre() -> list[int]:
    """The years with granted money, newest first (the list's year filter)."""
    return sorted(
        set(
            Buchung.objects.filter(haushaltsjahr__eingerichtet=True).values_list(
                "haushaltsjahr__jahr", flat=True
            )
        ),
        reverse=True,
    )
