"""Reads for public pages: a fund's figures and the granted projects of an Aktionsraum."""

from django.db.models import Sum
from django.utils import timezone

from .models import ZERO, Aktionsraumfonds, Antrag, Haushaltsjahr, Status

GRANTED = [
    Status.BEWILLIGT,
    Status.AUSGEZAHLT,
    Status.NACHWEIS_EINGEREICHT,
    Status.ABGESCHLOSSEN,
    Status.RUECKFORDERUNG,
]


def fonds_transparenz(*, aktionsraum) -> dict:
    """This year's fund (total, granted, available) and granted projects, no personal data."""
    jahr = timezone.localdate().year
    hj = Haushaltsjahr.objects.filter(jahr=jahr).first()
    fonds = (
        Aktionsraumfonds.objects.filter(haushaltsjahr=hj, aktionsraum=aktionsraum)
        .annotate(gebunden=Sum("buchungen__betrag"))
        .first()
        if hj
        else None
    )
    if fonds is None:
        budget = (hj or Haushaltsjahr()).fonds_je_aktionsraum
        gebunden = ZERO
    else:
        budget, gebunden = fonds.betrag, fonds.gebunden or ZERO
    projekte = (
        Antrag.objects.filter(aktionsraum=aktionsraum, haushaltsjahr=hj, status__in=GRANTED)
        .only(
            "titel",
            "bewilligter_betrag",
            "finanzierungsquelle",
            "ziel_nachbarschaft",
            "ziel_eltern_kinder",
            "ziel_beschaeftigung",
        )
        .order_by("titel")
        if hj
        else Antrag.objects.none()
    )
    return {
        "jahr": jahr,
        "budget": budget,
        "gebunden": gebunden,
        "verfuegbar": budget - gebunden,
        "projekte": list(projekte),
    }
