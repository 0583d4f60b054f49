"""What the applicant's status page and a district page read: the steps, the usual time to
a decision, the coming conferences."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Status,
    StatusAenderung,
)

# The applicant's steps on the status page, and where each status stands on them.
SCHRITTE = [
    _("Eingegangen"),
    _("Prüfung"),
    _("Entscheidung"),
    _("Auszahlung"),
    _("Verwendungsnachweis"),
]
_AKTUELLER_SCHRITT = {
    Status.EINGEREICHT: 1,
    Status.IN_PRUEFUNG: 1,
    Status.RUECKFRAGE: 1,
    Status.ENTSCHEIDUNGSREIF: 2,
    Status.BEWILLIGT: 3,
    Status.TEILWEISE_AUSGEZAHLT: 3,
    Status.AUSGEZAHLT: 4,
    Status.NACHWEIS_KORREKTUR: 4,
    Status.NACHWEIS_EINGEREICHT: 4,
    Status.RUECKFORDERUNG: 4,
    Status.ABGESCHLOSSEN: 5,  # all done
}
# Ended early: the steps up to here are done, the rest are not needed any more.
_BEENDET_NACH = {Status.ABGELEHNT: 3, Status.AUFGEHOBEN: 3, Status.ZURUECKGEZOGEN: 1}


def schritte(antrag) -> list[dict]:
    """The five steps with their state: erledigt, aktuell, offen or entfaellt."""
    if antrag.status in _BEENDET_NACH:
        bis = _BEENDET_NACH[antrag.status]
        return [
            {"name": name, "zustand": "erledigt" if i < bis else "entfaellt"}
            for i, name in enumerate(SCHRITTE)
        ]
    aktuell = _AKTUELLER_SCHRITT.get(antrag.status, 1)
    return [
        {
            "name": name,
            "zustand": "erledigt" if i < aktuell else "aktuell" if i == aktuell else "offen",
        }
        for i, name in enumerate(SCHRITTE)
    ]


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
