"""Reads for the public pages, each a fixed number of queries however many areas there are."""

from django.db.models import Prefetch
from django.utils import timezone

from .models import Aktionsraum, Beauftragte, Gebietsart, Kennzahlwert, Zustaendigkeit


def aktionsraeume_public():
    """Active areas with their contacts prefetched (two queries)."""
    return (
        Aktionsraum.objects.active()
        .select_related("nachfolger")
        .prefetch_related(Prefetch("beauftragte", queryset=Beauftragte.objects.order_by("name")))
    )


def nach_amt(areas):
    """Areas grouped by office, in the order of the offices' choices."""
    return [
        (label, [a for a in areas if a.zustaendigkeit == value])
        for value, label in Zustaendigkeit.choices
        if any(a.zustaendigkeit == value for a in areas)
    ]


def gebiete(areas=None) -> dict:
    """The public list's groups: this year's Aktionsräume and Aktionsquartiere, and the areas
    that have left the programme (their pages stay, marked "bis <Jahr>")."""
    jahr = timezone.localdate().year
    areas = list(aktionsraeume_public()) if areas is None else areas
    aktuell = [a for a in areas if a.im_jahr(jahr)]
    return {
        "aktionsraeume": [a for a in aktuell if a.art == Gebietsart.AKTIONSRAUM],
        "aktionsquartiere": [a for a in aktuell if a.art == Gebietsart.AKTIONSQUARTIER],
        "ehemalige": [a for a in areas if not a.im_jahr(jahr)],
    }


def kennzahlen_neueste(*, aktionsraum) -> list[Kennzahlwert]:
    """The latest year of each key figure for the area, with its source (one query)."""
    neueste = {}
    for wert in (
        Kennzahlwert.objects.filter(aktionsraum=aktionsraum)
        .select_related("kennzahl")
        .order_by("kennzahl__name", "-kennzahl__jahr")
    ):
        neueste.setdefault(wert.kennzahl.name, wert)
    return list(neueste.values())
