"""Reads: who may see which Aktionsraum, public fund figures, budget overview, yearly report."""

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiere.models import Aktionsraum

from .models import ZERO, Aktionsraumfonds, Antrag, Auszahlung, Haushaltsjahr, Status

GRANTED = [
    Status.BEWILLIGT,
    Status.AUSGEZAHLT,
    Status.NACHWEIS_EINGEREICHT,
    Status.NACHWEIS_KORREKTUR,
    Status.ABGESCHLOSSEN,
    Status.RUECKFORDERUNG,
]


def sieht_alle_aktionsraeume(user) -> bool:
    """Projektbüro, read-only auditors and superusers see every area; Beauftragte their own."""
    return user.is_active and (user.is_superuser or user.has_perm("antraege.alle_aktionsraeume"))


def aktionsraeume_fuer(*, user):
    """The Aktionsräume whose Anträge, conferences and figures this staff member may see."""
    if sieht_alle_aktionsraeume(user):
        return Aktionsraum.objects.all()
    return (
        Aktionsraum.objects.filter(beauftragte__user=user)
        if user.is_active
        else Aktionsraum.objects.none()
    )


def darf_aktionsraum_bearbeiten(*, user, aktionsraum_id) -> bool:
    """Whether the user may act on Anträge of this area (the one scope rule for every write)."""
    return aktionsraeume_fuer(user=user).filter(pk=aktionsraum_id).exists()


def im_bereich(queryset, *, user, feld: str = "aktionsraum"):
    """Narrows a queryset of Anträge, conferences or funds to the user's Aktionsräume."""
    if sieht_alle_aktionsraeume(user):
        return queryset
    return queryset.filter(**{f"{feld}__in": aktionsraeume_fuer(user=user)})


# The path from a model to its Aktionsraum, for everything that is narrowed to an account's areas.
BEREICH_PFADE = {
    "antraege.antrag": "aktionsraum",
    "antraege.projektkonferenz": "aktionsraum",
    "antraege.aktionsraumfonds": "aktionsraum",
    "antraege.ausgehendemail": "antrag__aktionsraum",
    "antraege.beschluss": "antrag__aktionsraum",
    "antraege.auszahlung": "antrag__aktionsraum",
    "antraege.anlage": "antrag__aktionsraum",
    "antraege.teilnahme": "konferenz__aktionsraum",
}


def auswahl_im_bereich(model, *, user):
    """The choices of a form field pointing at `model`, narrowed like the lists; None if the
    model is not tied to an area (a budget year, a user)."""
    if model is Aktionsraum:
        return aktionsraeume_fuer(user=user)
    pfad = BEREICH_PFADE.get(model._meta.label_lower)
    if pfad is None:
        return None
    return im_bereich(model._default_manager.all(), user=user, feld=pfad)


# The applicant's personal data that not every role may see (masked everywhere else).
KONTAKTFELDER = ["strasse", "plz", "wohnort", "email", "telefon"]
BANKFELDER = ["kontoinhaber", "iban"]


def verborgene_felder(*, user) -> list[str]:
    """The Antrag fields this account may not see: Lesezugriff no contact data and no bank
    account, a Beauftragte no bank account."""
    verborgen = []
    if not user.has_perm("antraege.kontaktdaten_sehen"):
        verborgen += KONTAKTFELDER
    if not user.has_perm("antraege.iban_sehen"):
        verborgen += BANKFELDER
    return verborgen


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


def budget_uebersicht(*, haushaltsjahr, user=None) -> dict:
    """Per fund and for the central budget: budget, granted, paid, available (four queries).

    With a `user` who sees only some Aktionsräume, only their funds are listed.
    """
    fonds = (
        Aktionsraumfonds.objects.filter(haushaltsjahr=haushaltsjahr)
        .select_related("aktionsraum")
        .annotate(gebunden_summe=Sum("buchungen__betrag"))
        .order_by("aktionsraum__sort_order", "aktionsraum__name")
    )
    alle = user is None or sieht_alle_aktionsraeume(user)
    if not alle:
        fonds = im_bereich(fonds, user=user)
    bezahlt = dict(
        Auszahlung.objects.angeordnet()
        .filter(antrag__haushaltsjahr=haushaltsjahr, antrag__finanzierungsquelle="fonds")
        .values("antrag__aktionsraum")
        .annotate(s=Sum("betrag"))
        .values_list("antrag__aktionsraum", "s")
    )
    zeilen = [
        {
            "name": f.aktionsraum.name,
            "budget": f.betrag,
            "gebunden": f.gebunden_summe or ZERO,
            "ausgezahlt": bezahlt.get(f.aktionsraum_id, ZERO),
        }
        for f in fonds
    ]
    if alle:
        fonds_summe = haushaltsjahr.fonds.aggregate(s=Sum("betrag"))["s"] or ZERO
        zentral_gebunden = (
            haushaltsjahr.buchungen.filter(fonds__isnull=True).aggregate(s=Sum("betrag"))["s"]
            or ZERO
        )
        zentral_bezahlt = (
            Auszahlung.objects.angeordnet()
            .filter(
                antrag__haushaltsjahr=haushaltsjahr, antrag__finanzierungsquelle="projektbudget"
            )
            .aggregate(s=Sum("betrag"))["s"]
            or ZERO
        )
        zeilen.append(
            {
                "name": _("Zentrales Projektbudget"),
                "budget": haushaltsjahr.gesamtbudget - fonds_summe,
                "gebunden": zentral_gebunden,
                "ausgezahlt": zentral_bezahlt,
            }
        )
    for zeile in zeilen:
        zeile["verfuegbar"] = zeile["budget"] - zeile["gebunden"]
    summe = {
        key: sum((z[key] for z in zeilen), ZERO)
        for key in ("budget", "gebunden", "ausgezahlt", "verfuegbar")
    }
    return {"zeilen": zeilen, "summe": summe}


ZIEL_FELDER = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]


def jahresbericht(*, haushaltsjahr, user) -> list[dict]:
    """Per Aktionsraum and goal: granted Anträge (count), granted and paid amounts.

    An Antrag that serves several goals counts under each of them.
    """
    antraege = im_bereich(
        Antrag.objects.filter(haushaltsjahr=haushaltsjahr, status__in=GRANTED), user=user
    )
    zeilen = []
    for feld in ZIEL_FELDER:
        ziel = Antrag._meta.get_field(feld).verbose_name
        rows = (
            antraege.filter(**{feld: True})
            .values("aktionsraum__name", "aktionsraum__sort_order")
            .annotate(
                anzahl=Count("id", distinct=True),
                bewilligt=Sum("bewilligter_betrag"),
            )
            .order_by("aktionsraum__sort_order", "aktionsraum__name")
        )
        bezahlt = dict(
            Auszahlung.objects.angeordnet()
            .filter(antrag__in=antraege.filter(**{feld: True}))
            .values("antrag__aktionsraum__name")
            .annotate(s=Sum("betrag"))
            .values_list("antrag__aktionsraum__name", "s")
        )
        for row in rows:
            zeilen.append(
                {
                    "aktionsraum": row["aktionsraum__name"],
                    "ziel": ziel,
                    "anzahl": row["anzahl"],
                    "bewilligt": row["bewilligt"] or ZERO,
                    "ausgezahlt": bezahlt.get(row["aktionsraum__name"], ZERO),
                }
            )
    zeilen.sort(key=lambda z: (z["aktionsraum"], str(z["ziel"])))
    return zeilen


# The start page's work list: key -> (label, filter of the Anträge). The admin's
# "Arbeitsliste" filter uses the same keys, so every number links to exactly its rows.
def arbeitsliste_filter(schluessel: str, *, heute):
    """The Anträge behind one number of the start page (unscoped; callers narrow them)."""
    from .services.fristen import (
        nachweis_bald_faellig,
        nachweis_ueberfaellig,
        rueckfragen_unbeantwortet,
    )

    alle = Antrag.objects.all()
    filter_ = {
        "neu": lambda: alle.filter(status=Status.EINGEREICHT),
        "rueckfrage": lambda: alle.filter(status=Status.RUECKFRAGE),
        "rueckfrage_alt": lambda: rueckfragen_unbeantwortet(heute=heute),
        "ohne_tagesordnung": lambda: alle.filter(
            status=Status.ENTSCHEIDUNGSREIF,
            finanzierungsquelle="fonds",
            projektkonferenzen__isnull=True,
        ),
        "zentral_entscheiden": lambda: alle.filter(
            status=Status.ENTSCHEIDUNGSREIF, finanzierungsquelle="projektbudget"
        ),
        "auszahlung_offen": lambda: alle.filter(status=Status.BEWILLIGT),
        # One join: an Antrag with a payout that is confirmed but not yet ordered.
        "anordnung_offen": lambda: alle.filter(
            auszahlungen__isnull=False, auszahlungen__angeordnet_am__isnull=True
        ),
        "bankverbindung_offen": lambda: alle.filter(iban_pruefung_offen=True),
        "nachweis_pruefen": lambda: alle.filter(status=Status.NACHWEIS_EINGEREICHT),
        "nachweis_faellig": lambda: nachweis_bald_faellig(heute=heute),
        "nachweis_ueberfaellig": lambda: nachweis_ueberfaellig(heute=heute),
    }
    return filter_[schluessel]()


def arbeitsliste_titel():
    return [
        ("neu", _("Neue Anträge (noch nicht in Prüfung)")),
        ("rueckfrage", _("Offene Rückfragen")),
        ("rueckfrage_alt", _("Rückfragen seit 14 Tagen oder länger unbeantwortet")),
        ("ohne_tagesordnung", _("Entscheidungsreif (Fonds), noch auf keiner Tagesordnung")),
        ("zentral_entscheiden", _("Entscheidungsreif (zentrales Budget), Entscheidung offen")),
        ("auszahlung_offen", _("Bewilligt, noch nichts ausgezahlt")),
        ("anordnung_offen", _("Auszahlung festgestellt, wartet auf Anordnung (zweite Person)")),
        ("bankverbindung_offen", _("Neue Bankverbindung, wartet auf Bestätigung")),
        ("nachweis_pruefen", _("Verwendungsnachweis eingegangen, zu prüfen")),
        ("nachweis_faellig", _("Verwendungsnachweis in den nächsten 14 Tagen fällig")),
        ("nachweis_ueberfaellig", _("Verwendungsnachweis überfällig")),
    ]


def startseite(*, user) -> dict:
    """Numbers, open Rückfragen, coming conferences and fund figures for one staff member."""
    from .models import Projektkonferenz
    from .services.fristen import mit_rueckfrage_datum

    heute = timezone.localdate()
    zahlen = [
        {
            "schluessel": key,
            "titel": titel,
            "anzahl": im_bereich(arbeitsliste_filter(key, heute=heute), user=user)
            .values("pk")
            .distinct()
            .count(),
        }
        for key, titel in arbeitsliste_titel()
    ]
    rueckfragen = list(
        mit_rueckfrage_datum(im_bereich(Antrag.objects.filter(status=Status.RUECKFRAGE), user=user))
        .select_related("aktionsraum")
        .order_by("rueckfrage_am")[:10]
    )
    for antrag in rueckfragen:
        antrag.tage_wartend = (
            (heute - timezone.localdate(antrag.rueckfrage_am)).days if antrag.rueckfrage_am else 0
        )
    konferenzen = list(
        im_bereich(Projektkonferenz.objects.filter(datum__gte=heute), user=user)
        .select_related("aktionsraum")
        .annotate(anzahl=Count("tagesordnung"))
        .order_by("datum", "id")[:5]
    )
    hj = Haushaltsjahr.objects.filter(jahr=heute.year).first()
    return {
        "zahlen": zahlen,
        "rueckfragen": rueckfragen,
        "konferenzen": konferenzen,
        "jahr": heute.year,
        "budget": budget_uebersicht(haushaltsjahr=hj, user=user) if hj else None,
    }
