"""Reports from the ledger: a district's fund on its public page, the budget overview and
the yearly report."""

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiere.bereich import im_bereich, sieht_alle_aktionsraeume
from quartiere.models import Aktionsraum

from ..models import (
    ZERO,
    Aktionsraumfonds,
    Antrag,
    Buchung,
    Haushaltsjahr,
    Status,
)
from .hauptbuch import Geldstand, geldstaende

ZIEL_FELDER = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]


def fonds_transparenz(*, aktionsraum) -> dict:
    """This year's fund and the area's projects from the ledger, without personal data; for
    an area that has left the programme, those of its last year.

    Fund projects are listed under the fund, central-budget projects in their own list, the
    newest project first; each row has what was granted and what is still bound, and the totals
    are the sums of the rows. When and where a project takes place is named only where its
    Antrag allows it (`termin_ort_oeffentlich`).
    """
    jahr = aktionsraum.bis_jahr if aktionsraum.ehemalig else timezone.localdate().year
    hj = Haushaltsjahr.objects.filter(jahr=jahr, eingerichtet=True).first()
    if hj is None:
        return {"jahr": jahr, "eingerichtet": False}
    fonds = Aktionsraumfonds.objects.filter(haushaltsjahr=hj, aktionsraum=aktionsraum).first()
    buchungen = Buchung.objects.filter(haushaltsjahr=hj, antrag__aktionsraum=aktionsraum)
    fonds_staende = geldstaende(buchungen.filter(fonds__isnull=False), nach="antrag")
    zentral_staende = geldstaende(buchungen.filter(fonds__isnull=True), nach="antrag")
    antraege = Antrag.objects.only(
        *ZIEL_FELDER,
        *["titel", "aktenzeichen", "beginn", "ende", "durchfuehrungsort"],
        *["termin_ort_oeffentlich", "oeffentlich_vorstellen"],
    ).in_bulk([*fonds_staende, *zentral_staende])

    def liste(staende):
        zeilen = [
            {"antrag": antraege[pk], "stand": stand}
            for pk, stand in staende.items()
            if stand.bewilligt > 0
        ]
        zeilen.sort(key=lambda z: (z["antrag"].beginn, z["antrag"].pk), reverse=True)
        return zeilen, sum((z["stand"] for z in zeilen), Geldstand())

    fonds_projekte, fonds_summe = liste(fonds_staende)
    zentral_projekte, zentral_summe = liste(zentral_staende)
    budget = fonds.betrag if fonds else ZERO
    # The fund's figures are the sum of its rows; a booking of a fund Antrag with nothing
    # granted any more (cancelled) has bewilligt 0 and binds nothing, so nothing is left out.
    return {
        "jahr": jahr,
        "eingerichtet": True,
        # A past year of an area that has left: what was granted, nothing "still available".
        "abgeschlossen": aktionsraum.ehemalig,
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
# The page's header names the counts under "Anträge" and the money under "Geld": shorter
# labels for its second row (the downloads keep the full ones above).
BERICHT_KURZ = {
    "eingegangen": _("eingegangen"),
    "bewilligt_anzahl": _("bewilligt"),
    "abgelehnt": _("abgelehnt"),
    "zurueckgezogen": _("zurückgezogen"),
}
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
    namen = dict(Aktionsraum.objects.order_by("sort_order", "name").values_list("pk", "name"))
    reihenfolge = {pk: i for i, pk in enumerate(namen)}
    je_ziel = {feld: _bericht_gruppen(eingegangen, buchungen, {feld: True}) for feld in ZIEL_FELDER}
    gesamt = _bericht_gruppen(eingegangen, buchungen, {})
    zeilen = []
    for pk in sorted(gesamt, key=reihenfolge.__getitem__):
        for feld in ZIEL_FELDER:
            if pk in je_ziel[feld]:
                ziel = Antrag._meta.get_field(feld).verbose_name
                zeilen.append(_bericht_zeile(namen[pk], ziel, je_ziel[feld][pk]))
        zeilen.append({**_bericht_zeile(namen[pk], _("alle Ziele"), gesamt[pk]), "summe": True})
    summe = _bericht_zeile(
        _("Alle Aktionsräume"),
        _("alle Ziele"),
        {
            k: sum((g.get(k, 0) for g in gesamt.values()), ZERO if k in BERICHT_GELD else 0)
            for k, _l in BERICHT_SPALTEN
        },
    )
    return {"zeilen": zeilen, "summe": summe, "spalten": BERICHT_SPALTEN}


def _bericht_gruppen(eingegangen, buchungen, bedingung: dict) -> dict:
    """Per Aktionsraum id: the report's figures for Anträge matching `bedingung`."""
    bewilligt = Antrag.objects.filter(
        pk__in=buchungen.filter(art=Buchung.Art.BEWILLIGUNG).values("antrag")
    )
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


def _bericht_zeile(aktionsraum, ziel, werte) -> dict:
    return {
        "aktionsraum": aktionsraum,
        "ziel": ziel,
        **{k: werte.get(k, ZERO if k in BERICHT_GELD else 0) for k, _l in BERICHT_SPALTEN},
    }
