"""The Projektkonferenz: its agenda and its Beschlüsse, the only way fund money is granted."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import ablauf
from ..models import Antrag, Beschluss, Finanzierungsquelle, Projektkonferenz, Rolle, Status
from .workflow import (
    antrag_sperren,
    betrag_pruefen,
    bewilligung_erteilen,
    recht_pruefen,
    schritt_ausfuehren,
    uebergang_pruefen,
)


def tagesordnung_pruefen(*, aktionsraum, antraege) -> None:
    """Only fund Anträge of the conference's own Aktionsraum belong on its agenda."""
    fremd = [
        a.aktenzeichen
        for a in antraege
        if a.aktionsraum_id != aktionsraum.pk
        or a.finanzierungsquelle != Finanzierungsquelle.AKTIONSRAUMFONDS
    ]
    if fremd:
        raise ValidationError(
            _(
                "Auf die Tagesordnung gehören nur Anträge an den Aktionsraumfonds von "
                "%(raum)s. Nicht passend: %(liste)s."
            )
            % {"raum": aktionsraum.name, "liste": ", ".join(fremd)}
        )


# How far back a Beauftragte may record a conference; the Projektbüro may go further.
NACHTRAG_TAGE = 30


def konferenz_datum_pruefen(*, datum, user, begruendung: str = "", heute=None) -> None:
    """A conference more than 30 days ago is entered only by the Projektbüro, with a reason
    (so that no decision is dated back into a closed period unnoticed)."""
    heute = heute or timezone.localdate()
    if datum is None or (heute - datum).days <= NACHTRAG_TAGE:
        return
    if not user.has_perm("antraege.alle_aktionsraeume") or not user.has_perm(
        "antraege.change_projektkonferenz"
    ):
        raise ValidationError(
            {
                "datum": _(
                    "Eine Projektkonferenz, die mehr als %(tage)d Tage zurückliegt, kann nur das "
                    "Projektbüro nachtragen. Bitte wenden Sie sich an das Projektbüro."
                )
                % {"tage": NACHTRAG_TAGE}
            }
        )
    if not begruendung.strip():
        raise ValidationError(
            {
                "nachtrag_begruendung": _(
                    "Die Konferenz liegt mehr als %(tage)d Tage zurück: bitte begründen Sie den "
                    "Nachtrag."
                )
                % {"tage": NACHTRAG_TAGE}
            }
        )


def beschluss_fassen(
    *,
    konferenz: Projektkonferenz,
    antrag: Antrag,
    ergebnis: str,
    by,
    betrag: Decimal | None = None,
    begruendung: str = "",
) -> Beschluss:
    """Records the conference's decision on one agenda item; a grant books the fund money. The
    account may record Beschlüsse (the table's right) for this area, the Antrag is on the agenda,
    the Bezirksbürgermeister/in (or deputy) took part and the conference has taken place."""
    if ergebnis not in Beschluss.Ergebnis.values:
        raise ValidationError(_("Bitte wählen Sie bewilligt, abgelehnt oder vertagt."))
    if ergebnis == Beschluss.Ergebnis.ABGELEHNT and not begruendung.strip():
        raise ValidationError({"begruendung": _("Bitte begründen Sie die Ablehnung.")})
    konferenz_pruefen(konferenz)
    kommentar = _beschluss_kommentar(konferenz, begruendung)
    bewilligt = ergebnis == Beschluss.Ergebnis.BEWILLIGT

    def arbeit(gesperrt):
        bewilligung_erteilen(antrag=gesperrt, betrag=betrag, by=by, kommentar=kommentar)

    def pruefen(gesperrt):
        tagesordnungspunkt_pruefen(konferenz=konferenz, antrag=gesperrt)
        if bewilligt:
            betrag_pruefen(betrag)
            # The letter's comment always names the conference; the reason is the Beschluss's.
            if betrag < gesperrt.beantragter_betrag and not begruendung.strip():
                raise ValidationError(
                    {"begruendung": _("Bei einer Teilbewilligung ist eine Begründung nötig.")}
                )

    with transaction.atomic():
        if ergebnis == Beschluss.Ergebnis.VERTAGT:
            antrag = _vertagen(konferenz=konferenz, antrag=antrag, by=by)
        else:
            antrag = schritt_ausfuehren(
                antrag=antrag,
                nach=Status.BEWILLIGT if bewilligt else Status.ABGELEHNT,
                by=by,
                kommentar=kommentar,
                wer=ablauf.KONFERENZ,
                pruefen=pruefen,
                arbeit=arbeit if bewilligt else None,
            )
        return Beschluss.objects.create(
            konferenz=konferenz,
            antrag=antrag,
            ergebnis=ergebnis,
            betrag=betrag if bewilligt else None,
            begruendung=begruendung.strip(),
            user=by,
        )


@dataclass(frozen=True)
class Eintrag:
    """One row of the meeting's Beschlüsse: the Antrag of the agenda and what was decided."""

    antrag: Antrag
    ergebnis: str
    betrag: Decimal | None = None
    begruendung: str = ""


class ZeilenAbgelehnt(Exception):
    """Rows of `beschluesse_fassen` that were refused: {Antrag pk: ValidationError}. Nothing
    of the save was booked."""

    def __init__(self, fehler: dict):
        super().__init__(fehler)
        self.fehler = fehler


def beschluesse_fassen(*, konferenz: Projektkonferenz, eintraege, by) -> list[Beschluss]:
    """The Beschlüsse of one meeting in one transaction: every row through `beschluss_fassen`
    (its rules, its locks, its bookings and letters), and if any row is refused, none is
    booked and every refused row is named (`ZeilenAbgelehnt`)."""
    fehler = {}
    beschluesse = []
    with transaction.atomic():
        for eintrag in eintraege:
            try:
                with transaction.atomic():
                    beschluesse.append(
                        beschluss_fassen(
                            konferenz=konferenz,
                            antrag=eintrag.antrag,
                            ergebnis=eintrag.ergebnis,
                            betrag=eintrag.betrag,
                            begruendung=eintrag.begruendung,
                            by=by,
                        )
                    )
            except ValidationError as exc:
                fehler[eintrag.antrag.pk] = exc
        if fehler:
            raise ZeilenAbgelehnt(fehler)
    return beschluesse


def _beschluss_kommentar(konferenz: Projektkonferenz, begruendung: str) -> str:
    return _("Beschluss der Projektkonferenz vom %(datum)s. %(grund)s") % {
        "datum": konferenz.datum.strftime("%d.%m.%Y"),
        "grund": begruendung.strip(),
    }


def _vertagen(*, konferenz: Projektkonferenz, antrag: Antrag, by) -> Antrag:
    """Nothing changes but the record; the item must still be open for a decision."""
    recht_pruefen(by, ablauf.recht(Status.BEWILLIGT, ablauf.KONFERENZ))
    antrag = antrag_sperren(antrag=antrag, by=by)
    tagesordnungspunkt_pruefen(konferenz=konferenz, antrag=antrag)
    uebergang_pruefen(antrag, Status.BEWILLIGT)
    return antrag


def konferenz_pruefen(konferenz: Projektkonferenz) -> None:
    """A conference decides once it has taken place, with the Bezirksbürgermeister/in."""
    if konferenz.datum > timezone.localdate():
        raise ValidationError(
            _("Beschlüsse werden erst ab dem Tag der Konferenz (%(datum)s) eingetragen.")
            % {"datum": konferenz.datum.strftime("%d.%m.%Y")}
        )
    if not konferenz.teilnahmen.filter(rolle=Rolle.BEZIRKSBUERGERMEISTER).exists():
        raise ValidationError(
            _(
                "Über den Aktionsraumfonds entscheidet die Projektkonferenz unter Beteiligung "
                "der Bezirksbürgermeisterin oder des Bezirksbürgermeisters. Bitte tragen Sie "
                "sie oder ihn (oder die Vertretung) bei den Teilnehmenden ein."
            )
        )


def tagesordnungspunkt_pruefen(*, konferenz: Projektkonferenz, antrag: Antrag) -> None:
    """The (locked) Antrag is a fund Antrag on this conference's agenda, not yet decided."""
    if not konferenz.tagesordnung.filter(pk=antrag.pk).exists():
        raise ValidationError(
            _("Der Antrag %(az)s steht nicht auf der Tagesordnung dieser Konferenz.")
            % {"az": antrag.aktenzeichen}
        )
    tagesordnung_pruefen(aktionsraum=konferenz.aktionsraum, antraege=[antrag])
    if Beschluss.objects.filter(konferenz=konferenz, antrag=antrag).exists():
        raise ValidationError(
            _("Zu %(az)s hat diese Konferenz schon einen Beschluss gefasst.")
            % {"az": antrag.aktenzeichen}
        )
