"""Reads for public pages: a fund's figures and the granted projects of an Aktionsraum."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

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


def budget_uebersicht(*, haushaltsjahr) -> dict:
    """Per fund and for the central budget: budget, granted, available (three queries)."""
    fonds = (
        Aktionsraumfonds.objects.filter(haushaltsjahr=haushaltsjahr)
        .select_related("aktionsraum")
        .annotate(gebunden_summe=Sum("buchungen__betrag"))
        .order_by("aktionsraum__sort_order", "aktionsraum__name")
    )
    zeilen = [
        {"name": f.aktionsraum.name, "budget": f.betrag, "gebunden": f.gebunden_summe or ZERO}
        for f in fonds
    ]
    fonds_summe = sum((z["budget"] for z in zeilen), ZERO)
    zentral_gebunden = (
        haushaltsjahr.buchungen.filter(fonds__isnull=True).aggregate(s=Sum("betrag"))["s"] or ZERO
    )
    zeilen.append(
        {
            "name": _("Zentrales Projektbudget"),
            "budget": haushaltsjahr.gesamtbudget - fonds_summe,
            "gebunden": zentral_gebunden,
        }
    )
    for zeile in zeilen:
        zeile["verfuegbar"] = zeile["budget"] - zeile["gebunden"]
    summe = {
        key: sum((z[key] for z in zeilen), ZERO) for key in ("budget", "gebunden", "verfuegbar")
    }
    return {"zeilen": zeilen, "summe": summe}
