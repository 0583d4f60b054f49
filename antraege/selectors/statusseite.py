"""What the applicant's status page and a district page read: the stage in the applicant's
words, the steps, the history, the payout, the usual time to a decision, the coming
conferences."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld

from .. import ablauf
from ..models import (
    Finanzierungsquelle,
    Status,
    StatusAenderung,
)

# The applicant's steps on the status page; where each status stands on them is
# `ablauf.ZUSTAENDE`.
SCHRITTE = [
    _("Eingegangen"),
    _("Prüfung"),
    _("Entscheidung"),
    _("Auszahlung"),
    _("Verwendungsnachweis"),
]


def schritte(antrag) -> list[dict]:
    """The five steps with their state: erledigt, aktuell, offen or entfaellt."""
    zustand = ablauf.ZUSTAENDE[antrag.status]
    if zustand.beendet:
        bis = zustand.fortschritt
        return [
            {"name": name, "zustand": "erledigt" if i < bis else "entfaellt"}
            for i, name in enumerate(SCHRITTE)
        ]
    aktuell = zustand.fortschritt
    return [
        {
            "name": name,
            "zustand": "erledigt" if i < aktuell else "aktuell" if i == aktuell else "offen",
        }
        for i, name in enumerate(SCHRITTE)
    ]


def beratung(antrag, *, heute=None):
    """The coming Projektkonferenz whose agenda holds the Antrag, while it waits for it."""
    if antrag.status != Status.ENTSCHEIDUNGSREIF:
        return None
    heute = heute or timezone.localdate()
    return (
        antrag.projektkonferenzen.filter(datum__gte=heute)
        .exclude(beschluesse__antrag=antrag)
        .order_by("datum")
        .first()
    )


def stufe(antrag, *, konferenz=None) -> str:
    """The stage in the applicant's words (`ablauf.stufe`); while a Projektkonferenz is to
    decide it, that conference's date."""
    if konferenz is not None:
        return _("Wird in der Projektkonferenz am %(datum)s beraten") % {
            "datum": date_format(konferenz.datum, "DATE_FORMAT")
        }
    return ablauf.stufe(antrag.status)


@dataclass(frozen=True)
class VerlaufEintrag:
    titel: str
    zeitpunkt: object
    kommentar: str


def verlauf(antrag) -> list[VerlaufEintrag]:
    """The history as the applicant reads it: each step by its stage's name, and each notice
    on the way (a refund received, a reminder sent, a new link) as a "Mitteilung", with what
    was written to the applicant; staff's own notes are internal and not shown."""
    eintraege = []
    for zeile in antrag.verlauf.all():
        if zeile.von and zeile.von == zeile.nach:
            if zeile.kommentar:
                eintraege.append(
                    VerlaufEintrag(str(_("Mitteilung")), zeile.zeitpunkt, zeile.kommentar)
                )
            continue
        if zeile.durch_antragsteller and (zeile.von, zeile.nach) == (
            Status.RUECKFRAGE,
            Status.IN_PRUEFUNG,
        ):
            titel = _("Ihre Antwort auf die Rückfrage")
        else:
            titel = ablauf.stufe(zeile.nach)
        eintraege.append(VerlaufEintrag(str(titel), zeile.zeitpunkt, zeile.kommentar))
    return eintraege


# After a Rückforderung, once the money asked back has arrived.
_RUECKZAHLUNG_DA = _("Die Rückzahlung ist bei uns verbucht. Wir schließen den Vorgang in Kürze ab.")


def weiter(antrag, stand) -> str:
    """The applicant's next step ("Wie geht es weiter?"), from the status's row of the table;
    `stand` is the Antrag's ledger (`hauptbuch.antrag_geldstand`)."""
    if antrag.status == Status.RUECKFORDERUNG and stand.rueckzahlung_offen <= 0:
        return str(_RUECKZAHLUNG_DA)
    satz = str(ablauf.ZUSTAENDE[antrag.status].weiter)
    return satz % {
        "betrag": geld.euro(stand.netto_ausgezahlt),
        "rest": geld.euro(stand.noch_auszuzahlen),
    }


def entscheidungsdauer(*, heute=None, mindestens: int = 5) -> int | None:
    """Median days from receipt to decision (granted or refused) over the last twelve months,
    from the Anträge themselves; None with fewer than `mindestens` decisions (too few to say)."""
    from statistics import median

    heute = heute or timezone.localdate()
    seit = heute - timedelta(days=365)
    zeilen = (
        StatusAenderung.objects.filter(
            nach__in=[Status.BEWILLIGT, Status.ABGELEHNT], zeitpunkt__date__gte=seit
        )
        .exclude(antrag__eingereicht_am=None)
        .values_list("zeitpunkt", "antrag__eingereicht_am")[:2000]
    )
    tage = [(entschieden - eingang).days for entschieden, eingang in zeilen]
    if len(tage) < mindestens:
        return None
    return round(median(tage))


def naechste_konferenzen(*, aktionsraum, heute=None, anzahl: int = 3):
    """The Projektkonferenzen planned in an Aktionsraum from today on."""
    heute = heute or timezone.localdate()
    return list(aktionsraum.projektkonferenzen.filter(datum__gte=heute).order_by("datum")[:anzahl])


@dataclass(frozen=True)
class KonferenzFuerAntrag:
    """Which Projektkonferenz an Antrag to the fund coming in on a day goes to: the first one
    whose Antragsschluss has not passed (None: no such date is planned yet), and the one before
    it whose Antragsschluss was missed, if any; `termin`: the next meeting, whatever its last
    day (what residents may attend)."""

    konferenz: object | None
    verpasst: object | None
    termin: object | None = None


def konferenz_fuer_antrag(*, finanzierungsquelle, aktionsraum, eingereicht_am=None):
    """For an Antrag to the fund (None for the central budget, which the Projektbüro decides):
    the Projektkonferenz it goes to, by the day it came in (today if not yet sent)."""
    if finanzierungsquelle != Finanzierungsquelle.AKTIONSRAUMFONDS:
        return None
    tag = timezone.localdate(eingereicht_am) if eingereicht_am else None
    return konferenz_fuer_eingang(aktionsraum=aktionsraum, tag=tag)


def konferenz_fuer_eingang(*, aktionsraum, tag=None) -> KonferenzFuerAntrag:
    tag = tag or timezone.localdate()
    kommende = list(aktionsraum.projektkonferenzen.filter(datum__gte=tag).order_by("datum", "id"))
    # Without a last day, a conference takes Anträge until the day before it meets.
    konferenz = next(
        (k for k in kommende if (k.antragsschluss >= tag if k.antragsschluss else k.datum > tag)),
        None,
    )
    verpasst = next(
        (
            k
            for k in kommende
            if k.antragsschluss is not None
            and k.antragsschluss < tag
            and (konferenz is None or k.datum <= konferenz.datum)
        ),
        None,
    )
    return KonferenzFuerAntrag(
        konferenz=konferenz, verpasst=verpasst, termin=kommende[0] if kommende else None
    )
