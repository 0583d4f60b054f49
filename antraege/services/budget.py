"""Budget years and their pots: the 226,000 EUR total, the Aktionsraumfonds and the bookings.

What a pot has committed is always the sum of its bookings (one source of truth); whoever books
against a pot locks it first (see `topf_sperren`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quartiere.models import Aktionsraum

from ..models import (
    ZERO,
    Aktionsraumfonds,
    Antrag,
    Buchung,
    Finanzierungsquelle,
    Haushaltsjahr,
)


@dataclass(frozen=True)
class Topfstand:
    """A pot's figures: budget, what grants have bound, and what is still available."""

    budget: Decimal
    gebunden: Decimal

    @property
    def verfuegbar(self):
        return self.budget - self.gebunden


def haushaltsjahr_fuer(*, jahr: int) -> Haushaltsjahr:
    """The budget year `jahr`, created with the default amounts and one fund per active area."""
    hj = Haushaltsjahr.objects.filter(jahr=jahr).first()
    if hj is None:
        try:
            with transaction.atomic():
                hj = Haushaltsjahr.objects.create(jahr=jahr)
                fonds_anlegen(haushaltsjahr=hj)
        except IntegrityError:
            # A parallel request created the year first; use that one.
            hj = Haushaltsjahr.objects.get(jahr=jahr)
    return hj


def fonds_anlegen(*, haushaltsjahr: Haushaltsjahr) -> None:
    """Creates the default fund for every active area that has none in this year yet."""
    for area in Aktionsraum.objects.active().exclude(fonds__haushaltsjahr=haushaltsjahr):
        fonds_fuer(haushaltsjahr=haushaltsjahr, aktionsraum=area)


def fonds_fuer(*, haushaltsjahr: Haushaltsjahr, aktionsraum: Aktionsraum) -> Aktionsraumfonds:
    """The area's fund in that year; an area added mid-year gets what the total still allows."""
    fonds = Aktionsraumfonds.objects.filter(
        haushaltsjahr=haushaltsjahr, aktionsraum=aktionsraum
    ).first()
    if fonds is not None:
        return fonds
    unverteilt = haushaltsjahr.gesamtbudget - fonds_summe(haushaltsjahr=haushaltsjahr)
    betrag = max(ZERO, min(haushaltsjahr.fonds_je_aktionsraum, unverteilt))
    fonds, _created = Aktionsraumfonds.objects.get_or_create(
        haushaltsjahr=haushaltsjahr, aktionsraum=aktionsraum, defaults={"betrag": betrag}
    )
    return fonds


def fonds_summe(*, haushaltsjahr: Haushaltsjahr) -> Decimal:
    return haushaltsjahr.fonds.aggregate(s=Sum("betrag"))["s"] or ZERO


def fonds_summe_pruefen(*, gesamtbudget: Decimal, fonds_betraege: list[Decimal]) -> None:
    """A year's funds may never add up to more than its total."""
    summe = sum(fonds_betraege, ZERO)
    if summe > gesamtbudget:
        raise ValidationError(
            _(
                "Die Aktionsraumfonds ergeben zusammen %(summe)s €, mehr als das "
                "Projektbudget von %(gesamt)s €. Bitte verringern Sie die Fonds oder erhöhen "
                "Sie das Projektbudget."
            )
            % {"summe": money(summe), "gesamt": money(gesamtbudget)}
        )


def fonds_stand(*, fonds: Aktionsraumfonds) -> Topfstand:
    gebunden = fonds.buchungen.aggregate(s=Sum("betrag"))["s"] or ZERO
    return Topfstand(budget=fonds.betrag, gebunden=gebunden)


def fonds_verfuegbar_aktuell(*, aktionsraum: Aktionsraum) -> Decimal:
    """What the area's fund still has this year (for the form's early check)."""
    hj = haushaltsjahr_fuer(jahr=timezone.localdate().year)
    return fonds_stand(fonds=fonds_fuer(haushaltsjahr=hj, aktionsraum=aktionsraum)).verfuegbar


def projektbudget_stand(*, haushaltsjahr: Haushaltsjahr) -> Topfstand:
    """The central budget: the year's total less all funds, less what central grants bound."""
    budget = haushaltsjahr.gesamtbudget - fonds_summe(haushaltsjahr=haushaltsjahr)
    gebunden = (
        haushaltsjahr.buchungen.filter(fonds__isnull=True).aggregate(s=Sum("betrag"))["s"] or ZERO
    )
    return Topfstand(budget=budget, gebunden=gebunden)


def topf_sperren(*, antrag: Antrag) -> tuple[Haushaltsjahr, Aktionsraumfonds | None, Topfstand]:
    """Locks the Antrag's pot and returns it with its figures, recomputed after the lock.

    Two grants at the same instant could both see enough money and together overspend; the
    rows are therefore locked in one fixed order (year, then fund) before anything is summed.
    Call inside `transaction.atomic()`.
    """
    hj = Haushaltsjahr.objects.select_for_update().get(pk=antrag.haushaltsjahr_id)
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        fonds = fonds_fuer(haushaltsjahr=hj, aktionsraum=antrag.aktionsraum)
        fonds = Aktionsraumfonds.objects.select_for_update().get(pk=fonds.pk)
        return hj, fonds, fonds_stand(fonds=fonds)
    return hj, None, projektbudget_stand(haushaltsjahr=hj)


def bewilligung_buchen(*, antrag: Antrag, betrag: Decimal, by) -> Buchung:
    """Books a grant against the Antrag's pot, refusing anything beyond what is left."""
    hj, fonds, stand = topf_sperren(antrag=antrag)
    if betrag > stand.verfuegbar:
        raise ValidationError(
            _(
                "Nicht genug Geld im Topf: noch %(frei)s € verfügbar, %(betrag)s € angefragt. "
                "Es wurde nichts gebucht."
            )
            % {"frei": money(max(stand.verfuegbar, ZERO)), "betrag": money(betrag)}
        )
    return Buchung.objects.create(
        haushaltsjahr=hj,
        fonds=fonds,
        antrag=antrag,
        art=Buchung.Art.BEWILLIGUNG,
        betrag=betrag,
        user=by,
    )


def geld_zurueckbuchen(*, antrag: Antrag, betrag: Decimal, art: str, by) -> Buchung | None:
    """Returns money to the pot the Antrag was granted from (Rückforderung or Storno).

    Freeing capacity needs no pot lock: it can only make more money available.
    """
    if betrag <= 0:
        return None
    grant = antrag.buchungen.filter(art=Buchung.Art.BEWILLIGUNG).first()
    if grant is None:
        return None
    return Buchung.objects.create(
        haushaltsjahr_id=grant.haushaltsjahr_id,
        fonds_id=grant.fonds_id,
        antrag=antrag,
        art=art,
        betrag=-betrag,
        user=by,
    )


def gebunden_fuer(*, antrag: Antrag) -> Decimal:
    """What the Antrag still binds in its pot (grant less everything given back)."""
    return antrag.buchungen.aggregate(s=Sum("betrag"))["s"] or ZERO


def money(value: Decimal) -> str:
    """Money in the active language's format, e.g. 5.000,00 in German."""
    return number_format(value, 2, force_grouping=True)
