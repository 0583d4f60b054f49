"""Reads for the public pages, each a fixed number of queries however many areas there are."""

from django.db.models import Prefetch

from .models import Aktionsraum, Beauftragte, Kennzahlwert, Zustaendigkeit


def aktionsraeume_public():
    """Active areas with their contacts prefetched (two queries)."""
    return Aktionsraum.objects.active().prefetch_related(
        Prefetch("beauftragte", queryset=Beauftragte.objects.order_by("name"))
    )


def aktionsraeume_by_office():
    """Active areas grouped by office, in the order of the offices' choices."""
    areas = list(aktionsraeume_public())
    return [
        (label, [a for a in areas if a.zustaendigkeit == value])
        for value, label in Zustaendigkeit.choices
        if any(a.zustaendigkeit == value for a in areas)
    ]


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
