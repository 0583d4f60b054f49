"""Budget years and their pots: the 226,000 EUR total, the Aktionsraumfonds and the bookings.

What a pot has bound is always read from its bookings (one source of truth, see
`selectors.hauptbuch.geldstand`); whoever books against a pot locks it first (see
`topf_sperren`). A year is set up by staff with its amounts before anything can be granted in it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aktionsplan.kern import geld
from quartiere.models import Aktionsraum

from ..models import (
    ZERO,
    Aktionsraumfonds,
    Antrag,
    Buchung,
    Finanzierungsquelle,
    Haushaltsjahr,
)
from ..selectors.hauptbuch import geldstand, zentrale_buchungen


@dataclass(frozen=True)
class Topfstand:
    """A pot's figures: budget, what grants have bound, and what is still available."""

    budget: Decimal
    gebunden: Decimal

    @property
    def verfuegbar(self):
        return self.budget - self.gebunden


def haushaltsjahr_fuer(*, jahr: int) -> Haushaltsjahr:
    """The budget year `jahr` for numbering Anträge; made if missing, but not set up: nothing
    can be granted in it until staff have entered its amounts (`haushaltsjahr_einrichten`)."""
    hj = Haushaltsjahr.objects.filter(jahr=jahr).first()
    if hj is None:
        try:
            with transaction.atomic():
                hj = Haushaltsjahr.objects.create(jahr=jahr, eingerichtet=False)
        except IntegrityError:
            # A parallel request created the year first; use that one.
            hj = Haushaltsjahr.objects.get(jahr=jahr)
    return hj


# The programme's yearly amounts (the Projektbüro's page): 226,000 EUR in all, which
# includes 5,000 EUR for each area's Aktionsraumfonds.
PROGRAMM_GESAMTBUDGET = Decimal("226000.00")
PROGRAMM_FONDS_JE_AKTIONSRAUM = Decimal("5000.00")


def haushaltsjahr_mit_programmbetraegen(*, jahr: int, nur_erstes: bool = True):
    """Sets up `jahr` with the programme's amounts, so that a new portal can grant at once.

    With `nur_erstes` only on a fresh install (no year set up yet): after that, each year is
    the Projektbüro's to set up with its own amounts. Returns the year, or None if nothing
    was done; a year already set up keeps its amounts."""
    with transaction.atomic():
        if nur_erstes and Haushaltsjahr.objects.filter(eingerichtet=True).exists():
            return None
        hj = haushaltsjahr_fuer(jahr=jahr)
        hj = Haushaltsjahr.objects.select_for_update().get(pk=hj.pk)
        if hj.eingerichtet:
            return None
        hj.gesamtbudget = PROGRAMM_GESAMTBUDGET
        hj.fonds_je_aktionsraum = PROGRAMM_FONDS_JE_AKTIONSRAUM
        hj.eingerichtet = True
        hj.save()
        haushaltsjahr_einrichten(haushaltsjahr=hj)
        return hj


def haushaltsjahr_einrichten(*, haushaltsjahr: Haushaltsjahr) -> None:
    """Staff have confirmed the year's amounts: every active area gets its fund."""
    if haushaltsjahr.eingerichtet:
        fonds_anlegen(haushaltsjahr=haushaltsjahr)


def haushaltsjahr_sperren(*, haushaltsjahr: Haushaltsjahr) -> None:
    """Locks a budget year before its amounts or funds are checked and changed, in the order
    every grant locks (the year first, see `topf_sperren`): a grant and an edit that lowers
    a pot never both decide on the old figures. Inside `transaction.atomic()` (the admin's
    change view is one transaction, from the form's checks to the inline funds' save)."""
    if haushaltsjahr.pk is not None:
        Haushaltsjahr.objects.select_for_update().only("pk").get(pk=haushaltsjahr.pk)


def haushaltsjahr_aenderung_pruefen(*, haushaltsjahr: Haushaltsjahr) -> None:
    """A year's number never changes once Anträge carry it; a set-up year with bookings
    stays set up; its total never drops below what its pots have bound."""
    if haushaltsjahr.pk is None:
        return
    vorher = Haushaltsjahr.objects.get(pk=haushaltsjahr.pk)
    if vorher.jahr != haushaltsjahr.jahr and vorher.antraege.exists():
        raise ValidationError(
            {"jahr": _("Das Jahr kann nicht geändert werden: es gibt schon Anträge dazu.")}
        )
    gebunden = geldstand(Buchung.objects.filter(haushaltsjahr=vorher)).gebunden
    if vorher.eingerichtet and not haushaltsjahr.eingerichtet and vorher.buchungen.exists():
        raise ValidationError(
            {"eingerichtet": _("In diesem Jahr wurde schon gebucht; es bleibt eingerichtet.")}
        )
    if haushaltsjahr.gesamtbudget is not None and haushaltsjahr.gesamtbudget < gebunden:
        raise ValidationError(
            {
                "gesamtbudget": _(
                    "Das Projektbudget kann nicht unter die schon gebundenen %(gebunden)s € sinken."
                )
                % {"gebunden": geld.betrag(gebunden)}
            }
        )


def fonds_aenderung_pruefen(*, fonds: Aktionsraumfonds) -> None:
    """Once a fund has bookings its area is fixed and its amount never drops below what it
    has bound (a swap would move granted money to another area); a new one only for an area
    of that year's programme."""
    if fonds.pk is None:
        if fonds.aktionsraum_id and fonds.haushaltsjahr_id:
            gebiet_pruefen(aktionsraum=fonds.aktionsraum, jahr=fonds.haushaltsjahr.jahr)
        return
    vorher = Aktionsraumfonds.objects.get(pk=fonds.pk)
    if vorher.aktionsraum_id != fonds.aktionsraum_id and vorher.buchungen.exists():
        raise ValidationError(
            {
                "aktionsraum": _(
                    "Aus diesem Fonds wurde schon bewilligt; sein Aktionsraum kann nicht mehr "
                    "geändert werden."
                )
            }
        )
    gebunden = geldstand(vorher.buchungen.all()).gebunden
    if fonds.betrag is not None and fonds.betrag < gebunden:
        raise ValidationError(
            {
                "betrag": _(
                    "Der Fonds kann nicht unter die schon gebundenen %(gebunden)s € sinken."
                )
                % {"gebunden": geld.betrag(gebunden)}
            }
        )


def fonds_anlegen(*, haushaltsjahr: Haushaltsjahr) -> None:
    """Creates the default fund for every area of this year's programme that has none yet (a
    retired area gets none)."""
    for area in Aktionsraum.objects.im_jahr(haushaltsjahr.jahr).exclude(
        fonds__haushaltsjahr=haushaltsjahr
    ):
        fonds_fuer(haushaltsjahr=haushaltsjahr, aktionsraum=area)


def fonds_fuer(*, haushaltsjahr: Haushaltsjahr, aktionsraum: Aktionsraum) -> Aktionsraumfonds:
    """The area's fund in that year; an area added mid-year gets what the total still allows."""
    fonds = Aktionsraumfonds.objects.filter(
        haushaltsjahr=haushaltsjahr, aktionsraum=aktionsraum
    ).first()
    if fonds is not None:
        return fonds
    gebiet_pruefen(aktionsraum=aktionsraum, jahr=haushaltsjahr.jahr)
    unverteilt = haushaltsjahr.gesamtbudget - fonds_summe(haushaltsjahr=haushaltsjahr)
    betrag = max(ZERO, min(haushaltsjahr.fonds_je_aktionsraum, unverteilt))
    fonds, _created = Aktionsraumfonds.objects.get_or_create(
        haushaltsjahr=haushaltsjahr, aktionsraum=aktionsraum, defaults={"betrag": betrag}
    )
    return fonds


def gebiet_pruefen(*, aktionsraum: Aktionsraum, jahr: int) -> None:
    """An area is part of the programme in `jahr`: a retired one gets no fund and no new
    Antrag, whichever path asks."""
    if not aktionsraum.im_jahr(jahr):
        raise ValidationError(
            {
                "aktionsraum": _(
                    "%(raum)s gehört seit %(jahr)d nicht mehr zum Aktionsplan: Dafür gibt es "
                    "keinen Aktionsraumfonds und keine neuen Anträge mehr."
                )
                % {"raum": aktionsraum.name, "jahr": (aktionsraum.bis_jahr or jahr - 1) + 1}
            }
        )


def ausscheiden_pruefen(aktionsraum: Aktionsraum) -> None:
    """An area's last Haushaltsjahr may not lie before a year in which it still has a fund or
    Anträge (its money and cases stay where they are; retire it after that year)."""
    if not aktionsraum.bis_jahr or aktionsraum.pk is None:
        return
    from ..models import Antrag

    spaeter = {
        *Aktionsraumfonds.objects.filter(
            aktionsraum=aktionsraum, haushaltsjahr__jahr__gt=aktionsraum.bis_jahr
        ).values_list("haushaltsjahr__jahr", flat=True),
        *Antrag.objects.filter(
            aktionsraum=aktionsraum, haushaltsjahr__jahr__gt=aktionsraum.bis_jahr
        ).values_list("haushaltsjahr__jahr", flat=True),
    }
    if spaeter:
        raise ValidationError(
            {
                "bis_jahr": _(
                    "%(raum)s hat für %(jahre)s schon einen Aktionsraumfonds oder Anträge: Das "
                    "letzte Haushaltsjahr kann frühestens %(jahr)d sein."
                )
                % {
                    "raum": aktionsraum.name,
                    "jahre": ", ".join(str(j) for j in sorted(spaeter)),
                    "jahr": max(spaeter),
                }
            }
        )


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
            % {"summe": geld.betrag(summe), "gesamt": geld.betrag(gesamtbudget)}
        )


def fonds_stand(*, fonds: Aktionsraumfonds) -> Topfstand:
    gebunden = geldstand(fonds.buchungen.all()).gebunden
    return Topfstand(budget=fonds.betrag, gebunden=gebunden)


def fonds_verfuegbar_aktuell(
    *, aktionsraum: Aktionsraum, jahr: int | None = None
) -> Decimal | None:
    """What the area's fund still has in `jahr` (default this year; a correction reads its
    Antrag's year) for the form's early check; None while the year is not set up (the grant
    checks the pot then), and for an area not in that year's programme (the service refuses
    it with its message)."""
    jahr = jahr or timezone.localdate().year
    hj = Haushaltsjahr.objects.filter(jahr=jahr, eingerichtet=True).first()
    if hj is None or not aktionsraum.im_jahr(jahr):
        return None
    return fonds_stand(fonds=fonds_fuer(haushaltsjahr=hj, aktionsraum=aktionsraum)).verfuegbar


def projektbudget_stand(*, haushaltsjahr: Haushaltsjahr) -> Topfstand:
    """The central budget: the year's total less all funds, less what central grants bound."""
    budget = haushaltsjahr.gesamtbudget - fonds_summe(haushaltsjahr=haushaltsjahr)
    gebunden = geldstand(zentrale_buchungen(haushaltsjahr=haushaltsjahr)).gebunden
    return Topfstand(budget=budget, gebunden=gebunden)


def topf_sperren(
    *, antrag: Antrag, haushaltsjahr: Haushaltsjahr | None = None
) -> tuple[Haushaltsjahr, Aktionsraumfonds | None, Topfstand]:
    """Locks the pot of the Antrag in `haushaltsjahr` (default: the Antrag's own year) and
    returns it with its figures, recomputed after the lock.

    Two grants at the same instant could both see enough money and together overspend; the
    rows are therefore locked in one fixed order (year, then fund) before anything is summed.
    Call inside `transaction.atomic()`.
    """
    hj = Haushaltsjahr.objects.select_for_update().get(
        pk=haushaltsjahr.pk if haushaltsjahr else antrag.haushaltsjahr_id
    )
    if not hj.eingerichtet:
        raise ValidationError(
            _(
                "Für das Haushaltsjahr %(jahr)s ist noch kein Budget eingerichtet. Bitte tragen "
                "Sie zuerst unter „Haushaltsjahre“ seine Beträge ein und bestätigen Sie sie. Es "
                "wurde nichts gebucht."
            )
            % {"jahr": hj.jahr}
        )
    if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
        fonds = fonds_fuer(haushaltsjahr=hj, aktionsraum=antrag.aktionsraum)
        fonds = Aktionsraumfonds.objects.select_for_update().get(pk=fonds.pk)
        return hj, fonds, fonds_stand(fonds=fonds)
    return hj, None, projektbudget_stand(haushaltsjahr=hj)


def bewilligung_buchen(
    *, antrag: Antrag, betrag: Decimal, by, haushaltsjahr: Haushaltsjahr | None = None
) -> Buchung:
    """Books a grant against the Antrag's pot, refusing anything beyond what is left."""
    hj, fonds, stand = topf_sperren(antrag=antrag, haushaltsjahr=haushaltsjahr)
    if betrag > stand.verfuegbar:
        raise ValidationError(
            {
                "betrag": _(
                    "Nicht genug Geld im Topf: noch %(frei)s € verfügbar, %(betrag)s € "
                    "angefragt. Es wurde nichts gebucht."
                )
                % {"frei": geld.betrag(max(stand.verfuegbar, ZERO)), "betrag": geld.betrag(betrag)}
            }
        )
    return Buchung.objects.create(
        haushaltsjahr=hj,
        fonds=fonds,
        antrag=antrag,
        art=Buchung.Art.BEWILLIGUNG,
        betrag=betrag,
        user=by,
    )


def nachbuchen(
    *,
    antrag: Antrag,
    art: str,
    betrag: Decimal,
    by,
    datum=None,
    referenz: str = "",
    kommentar: str = "",
) -> Buchung | None:
    """Books a payout, Storno, Rückforderung, refund or write-off in the pot and year the
    Antrag was granted from (the Antrag's row is locked by the caller).

    None of these needs a pot lock: none of them binds more money (see `models.WIRKUNG`).
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
        betrag=betrag,
        datum=datum,
        referenz=referenz,
        kommentar=kommentar[:2000],
        user=by,
    )
