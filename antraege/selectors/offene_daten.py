"""The programme's open data (issue 40, point 6): the funded projects and the yearly figures
per area, from the ledger, with no personal data: no names, addresses, organisations, e-mail
or bank details; per project only what the applicant was told is public (title, goal, dates
and place where its Antrag allows it, amount granted); payouts only as totals per area."""

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from ..models import Aktionsraumfonds, Antrag, Buchung
from .berichte import ZIEL_FELDER
from .hauptbuch import Geldstand, geld_ausdruecke

# Field name -> description, in the order of the columns (also the JSON's "felder").
PROJEKT_FELDER = {
    "haushaltsjahr": _("Haushaltsjahr der Bewilligung"),
    "aktionsraum": _("Name des Aktionsraums"),
    "aktionsraum_kennung": _("Kennung des Aktionsraums (wie in der Adresse seiner Seite)"),
    "finanzierung": _(
        "fonds (Aktionsraumfonds, entschieden von der Projektkonferenz) oder "
        "projektbudget (zentrales Projektbudget, entschieden vom Projektbüro)"
    ),
    "titel": _(
        "Titel des Projekts, wie beantragt; leer, wenn das Projekt ohne Titel veröffentlicht "
        "werden wollte"
    ),
    "ziele": _(
        "Ziele des Aktionsplans, durch | getrennt: nachbarschaft, eltern_kinder, beschaeftigung"
    ),
    "beginn": _(
        "Beginn (JJJJ-MM-TT); leer, wenn dem Antrag nicht zugesagt war, Termin und Ort "
        "zu veröffentlichen"
    ),
    "ende": _("Ende (JJJJ-MM-TT); leer wie beim Beginn"),
    "ort": _("Ort der Durchführung; leer wie beim Beginn"),
    "bewilligt_eur": _("bewilligter Betrag in Euro (Bewilligungen abzüglich Aufhebungen)"),
}
KENNZAHL_FELDER = {
    "haushaltsjahr": _("Haushaltsjahr"),
    "aktionsraum": _("Name des Aktionsraums"),
    "aktionsraum_kennung": _("Kennung des Aktionsraums"),
    "fonds_eur": _("Aktionsraumfonds des Jahres in Euro"),
    "fonds_bewilligt_eur": _("daraus bewilligt in Euro"),
    "fonds_ausgezahlt_eur": _("daraus ausgezahlt in Euro, abzüglich Rückzahlungen"),
    "fonds_verfuegbar_eur": _("im Fonds noch verfügbar in Euro (Fonds abzüglich Gebundenem)"),
    "projektbudget_bewilligt_eur": _(
        "aus dem zentralen Projektbudget für Projekte im Aktionsraum bewilligt in Euro"
    ),
    "projekte": _("Zahl der Projekte mit bewilligtem Geld"),
}


def _staende(**gruppen):
    """{(values of `gruppen`, in order): Geldstand} of the bookings of the set-up years, one
    query; `gruppen` names the expressions to group by."""
    zeilen = (
        Buchung.objects.filter(haushaltsjahr__eingerichtet=True)
        .order_by()
        .values(**gruppen)
        .annotate(**geld_ausdruecke())
    )
    ergebnis = {}
    for zeile in zeilen:
        schluessel = tuple(zeile.pop(g) for g in gruppen)
        ergebnis[schluessel] = Geldstand(**zeile)
    return ergebnis


def projekte() -> list[dict]:
    """Every project with money granted, newest year first, then by area and title."""
    staende = _staende(jahr=F("haushaltsjahr__jahr"), antrag_pk=F("antrag_id"))
    antraege = (
        Antrag.objects.select_related("aktionsraum")
        .only(
            *ZIEL_FELDER,
            "titel",
            "beginn",
            "ende",
            "durchfuehrungsort",
            "termin_ort_oeffentlich",
            "oeffentlich_vorstellen",
            "finanzierungsquelle",
            "aktionsraum__name",
            "aktionsraum__slug",
        )
        .in_bulk({pk for _jahr, pk in staende})
    )
    zeilen = []
    for (jahr, pk), stand in staende.items():
        if stand.bewilligt <= 0:
            continue
        antrag = antraege[pk]
        offen = antrag.benannt and antrag.termin_ort_oeffentlich
        zeilen.append(
            {
                "haushaltsjahr": jahr,
                "aktionsraum": antrag.aktionsraum.name,
                "aktionsraum_kennung": antrag.aktionsraum.slug,
                "finanzierung": antrag.finanzierungsquelle,
                "titel": antrag.titel if antrag.benannt else "",
                "ziele": "|".join(
                    f.removeprefix("ziel_") for f in ZIEL_FELDER if getattr(antrag, f)
                ),
                "beginn": antrag.beginn.isoformat() if offen and antrag.beginn else "",
                "ende": antrag.ende.isoformat() if offen and antrag.ende else "",
                "ort": antrag.durchfuehrungsort if offen else "",
                "bewilligt_eur": stand.bewilligt,
            }
        )
    zeilen.sort(key=lambda z: (-z["haushaltsjahr"], z["aktionsraum"], z["titel"]))
    return zeilen


def kennzahlen() -> list[dict]:
    """Per year and Aktionsraum with a fund: the fund, what it granted and paid, what is still
    free, and what the central budget granted there; the same figures as the area's page."""
    fonds = {
        (f.haushaltsjahr.jahr, f.aktionsraum_id): f
        for f in Aktionsraumfonds.objects.filter(haushaltsjahr__eingerichtet=True).select_related(
            "haushaltsjahr", "aktionsraum"
        )
    }
    staende = _staende(
        jahr=F("haushaltsjahr__jahr"),
        raum=F("antrag__aktionsraum_id"),
        zentral=ExpressionWrapper(Q(fonds__isnull=True), output_field=BooleanField()),
    )
    anzahl = {}
    je_antrag = _staende(
        jahr=F("haushaltsjahr__jahr"), raum=F("antrag__aktionsraum_id"), antrag_pk=F("antrag_id")
    )
    for (jahr, raum, _antrag), stand in je_antrag.items():
        if stand.bewilligt > 0:
            anzahl[(jahr, raum)] = anzahl.get((jahr, raum), 0) + 1
    zeilen = []
    for (jahr, raum_id), f in sorted(
        fonds.items(), key=lambda e: (-e[0][0], e[1].aktionsraum.name)
    ):
        aus_fonds = staende.get((jahr, raum_id, False), Geldstand())
        zentral = staende.get((jahr, raum_id, True), Geldstand())
        zeilen.append(
            {
                "haushaltsjahr": jahr,
                "aktionsraum": f.aktionsraum.name,
                "aktionsraum_kennung": f.aktionsraum.slug,
                "fonds_eur": f.betrag,
                "fonds_bewilligt_eur": aus_fonds.bewilligt,
                "fonds_ausgezahlt_eur": aus_fonds.netto_ausgezahlt,
                "fonds_verfuegbar_eur": f.betrag - aus_fonds.gebunden,
                "projektbudget_bewilligt_eur": zentral.bewilligt,
                "projekte": anzahl.get((jahr, raum_id), 0),
            }
        )
    return zeilen
