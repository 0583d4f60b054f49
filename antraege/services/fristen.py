"""Deadlines and reminders: the Verwendungsnachweis due date and the Beauftragte's weekly list.

Run daily by `manage.py erinnerungen_senden`. Each occasion has a key (`Erinnerung.schluessel`,
unique in the database), so a reminder goes out at most once however often the command runs,
and a missed day is caught up on the next run.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from antraege.selectors import fristen, hauptbuch
from quartiere.models import Beauftragte

from .. import emails
from ..models import Antrag, Erinnerung, StatusAenderung

# The deadline queries are reads (selectors); the reminders they drive are sent from here.


def erinnerungen_senden(*, heute: date | None = None) -> dict[str, int]:
    """Sends every reminder that is due today and was not sent before. Returns counts."""
    # The history rows are for staff: in the office's language, whoever runs the command.
    with translation.override(settings.LANGUAGE_CODE):
        return _erinnerungen_senden(heute=heute or timezone.localdate())


def _erinnerungen_senden(*, heute: date) -> dict[str, int]:
    gesendet = {anlass: 0 for anlass in Erinnerung.Anlass.values}
    for antrag in fristen.nachweis_bald_faellig(heute=heute):
        gesendet[Erinnerung.Anlass.NACHWEIS_BALD] += _nachweis_erinnern(
            antrag=antrag, ueberfaellig=False
        )
    for antrag in fristen.nachweis_ueberfaellig(heute=heute):
        gesendet[Erinnerung.Anlass.NACHWEIS_UEBERFAELLIG] += _nachweis_erinnern(
            antrag=antrag, ueberfaellig=True
        )
    woche = "{}-W{:02d}".format(*heute.isocalendar()[:2])
    for person in Beauftragte.objects.exclude(email="").prefetch_related("aktionsraeume"):
        gesendet[Erinnerung.Anlass.WOCHENLISTE] += _wochenliste(
            person=person, heute=heute, woche=woche
        )
    return gesendet


def _nachweis_erinnern(*, antrag: Antrag, ueberfaellig: bool) -> int:
    anlass = (
        Erinnerung.Anlass.NACHWEIS_UEBERFAELLIG if ueberfaellig else Erinnerung.Anlass.NACHWEIS_BALD
    )
    schluessel = f"{anlass}:{antrag.pk}:{antrag.nachweis_faellig_am.isoformat()}"
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        if not _einmal(schluessel=schluessel, anlass=anlass, antrag=antrag):
            return 0
        emails.nachweis_erinnerung_vormerken(antrag=antrag, ueberfaellig=ueberfaellig)
        text = (
            _("Erinnerung gesendet: Verwendungsnachweis seit %(datum)s überfällig.")
            if ueberfaellig
            else _("Erinnerung gesendet: Verwendungsnachweis fällig am %(datum)s.")
        )
        _verlauf(antrag, text % {"datum": antrag.nachweis_faellig_am.strftime("%d.%m.%Y")})
    return 1


def _wochenliste(*, person, heute: date, woche: str) -> int:
    raeume = list(person.aktionsraeume.all())
    if not raeume:
        return 0
    ueberfaellig = list(
        hauptbuch.mit_geldstand(fristen.nachweis_ueberfaellig(heute=heute))
        .filter(aktionsraum__in=raeume)
        .select_related("aktionsraum")
        .order_by("nachweis_faellig_am", "aktenzeichen")
    )
    for antrag in ueberfaellig:
        antrag.stand = hauptbuch.geldstand_von(antrag)
    rueckfragen = list(
        fristen.rueckfragen_unbeantwortet(heute=heute)
        .filter(aktionsraum__in=raeume)
        .select_related("aktionsraum")
        .order_by("rueckfrage_am", "aktenzeichen")
    )
    if not ueberfaellig and not rueckfragen:
        return 0
    schluessel = f"{Erinnerung.Anlass.WOCHENLISTE}:{person.pk}:{woche}"
    with transaction.atomic():
        if not _einmal(schluessel=schluessel, anlass=Erinnerung.Anlass.WOCHENLISTE, antrag=None):
            return 0
        emails.wochenliste_vormerken(
            person=person, ueberfaellig=ueberfaellig, rueckfragen=rueckfragen
        )
        for antrag in [*ueberfaellig, *rueckfragen]:
            _verlauf(
                antrag,
                _("In der Wochenliste an %(name)s genannt (%(woche)s).")
                % {"name": person.name, "woche": woche},
            )
    return 1


def _einmal(*, schluessel: str, anlass: str, antrag) -> bool:
    """Records the occasion; False if it was recorded before (by this or a parallel run)."""
    try:
        with transaction.atomic():
            Erinnerung.objects.create(schluessel=schluessel, anlass=anlass, antrag=antrag)
    except IntegrityError:
        return False
    return True


def _verlauf(antrag: Antrag, kommentar: str) -> None:
    # A history row without a change of status, like a further payout instalment.
    StatusAenderung.objects.create(
        antrag=antrag, von=antrag.status, nach=antrag.status, user=None, kommentar=kommentar
    )
