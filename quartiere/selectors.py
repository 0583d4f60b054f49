"""Reads for the public pages, each a fixed number of queries however many areas there are."""

from django.db.models import Prefetch

from .models import Aktionsraum, Beauftragte, Zustaendigkeit


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
