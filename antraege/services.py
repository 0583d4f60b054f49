"""Every business rule of the application process: budget years, pots, submit, withdraw.

Views, admin and management commands call these functions; nothing else changes an Antrag's
status or books money. Money is Decimal throughout.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

import filetype
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quartiere.models import Aktionsraum

from . import emails
from .models import (
    ZERO,
    Aktionsraumfonds,
    Anlage,
    Antrag,
    Buchung,
    Finanzierungsquelle,
    Haushaltsjahr,
    Kostenposition,
    Status,
    StatusAenderung,
    private_storage,
)

FONDS_HOECHSTBETRAG = Decimal("5000.00")
MAX_ANLAGEN = 5
MAX_ANLAGE_BYTES = 10 * 1024 * 1024
ERLAUBTE_DATEITYPEN = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}

# Which status may follow which. The applicant may only withdraw before a decision.
TRANSITIONS = {
    Status.EINGEREICHT: {Status.IN_PRUEFUNG, Status.ZURUECKGEZOGEN},
    Status.IN_PRUEFUNG: {Status.RUECKFRAGE, Status.ENTSCHEIDUNGSREIF, Status.ZURUECKGEZOGEN},
    Status.RUECKFRAGE: {Status.IN_PRUEFUNG, Status.ZURUECKGEZOGEN},
    Status.ENTSCHEIDUNGSREIF: {Status.BEWILLIGT, Status.ABGELEHNT, Status.ZURUECKGEZOGEN},
    Status.BEWILLIGT: {Status.AUSGEZAHLT},
    Status.AUSGEZAHLT: {Status.NACHWEIS_EINGEREICHT},
    Status.NACHWEIS_EINGEREICHT: {Status.ABGESCHLOSSEN, Status.RUECKFORDERUNG},
    Status.RUECKFORDERUNG: {Status.ABGESCHLOSSEN},
}
WITHDRAWABLE = {s for s, targets in TRANSITIONS.items() if Status.ZURUECKGEZOGEN in targets}


@dataclass(frozen=True)
class Topfstand:
    """A pot's figures: budget, what grants have bound, and what is still available."""

    budget: Decimal
    gebunden: Decimal

    @property
    def verfuegbar(self):
        return self.budget - self.gebunden


# --- budget years and pots -------------------------------------------------------------------


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
            % {"summe": _money(summe), "gesamt": _money(gesamtbudget)}
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


# --- checks shared by the form and the submission ---------------------------------------------


def betraege_pruefen(
    *,
    finanzierungsquelle: str,
    kosten: list[Decimal],
    eigenmittel: Decimal,
    eigenleistung: Decimal,
    drittmittel: Decimal,
    beantragter_betrag: Decimal,
    fonds_verfuegbar: Decimal | None = None,
) -> None:
    """Raises a ValidationError keyed by field when the money side of an Antrag is wrong."""
    errors = {}
    for name, value in [
        ("eigenmittel", eigenmittel),
        ("eigenleistung", eigenleistung),
        ("drittmittel", drittmittel),
    ]:
        if value < 0:
            errors[name] = _("Bitte geben Sie 0 oder einen positiven Betrag ein.")
    if not kosten:
        errors["__all__"] = _("Bitte tragen Sie mindestens eine Kostenposition ein.")
    elif any(k <= 0 for k in kosten):
        errors["__all__"] = _("Jede Kostenposition braucht einen Betrag über 0 €.")
    if beantragter_betrag <= 0:
        errors["beantragter_betrag"] = _("Der beantragte Betrag muss größer als 0 € sein.")
    elif not errors:
        erwartet = sum(kosten, ZERO) - eigenmittel - eigenleistung - drittmittel
        if beantragter_betrag != erwartet:
            errors["beantragter_betrag"] = _(
                "Der beantragte Betrag muss den Gesamtkosten (%(kosten)s €) abzüglich "
                "Eigenmitteln, Eigenleistung und anderer Förderung entsprechen, also "
                "%(erwartet)s €. Bitte prüfen Sie den Kostenplan und die Finanzierung."
            ) % {"kosten": _money(sum(kosten, ZERO)), "erwartet": _money(erwartet)}
        elif finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
            if beantragter_betrag > FONDS_HOECHSTBETRAG:
                errors["beantragter_betrag"] = _(
                    "Aus dem Aktionsraumfonds können höchstens %(max)s € beantragt werden. "
                    "Für größere Projekte wählen Sie bitte das zentrale Projektbudget."
                ) % {"max": _money(FONDS_HOECHSTBETRAG)}
            elif fonds_verfuegbar is not None and beantragter_betrag > fonds_verfuegbar:
                errors["beantragter_betrag"] = _(
                    "Im Aktionsraumfonds sind in diesem Jahr nur noch %(frei)s € verfügbar. "
                    "Bitte verringern Sie den Betrag oder wählen Sie das zentrale Projektbudget."
                ) % {"frei": _money(max(fonds_verfuegbar, ZERO))}
    if errors:
        raise ValidationError(errors)


def termine_pruefen(*, beginn, ende) -> None:
    if beginn and ende and ende < beginn:
        raise ValidationError(
            {"ende": _("Das Ende darf nicht vor dem Beginn liegen. Bitte prüfen Sie die Daten.")}
        )


def anlage_pruefen(datei) -> str:
    """Checks one upload by its content and size; returns its MIME type."""
    if datei.size > MAX_ANLAGE_BYTES:
        raise ValidationError(
            _("Die Datei „%(name)s“ ist %(size)s groß; erlaubt sind höchstens 10 MB je Datei.")
            % {"name": datei.name, "size": filesizeformat(datei.size)}
        )
    datei.seek(0)
    kind = filetype.guess(datei.read(8192))
    datei.seek(0)
    if kind is None or kind.mime not in ERLAUBTE_DATEITYPEN:
        raise ValidationError(
            _(
                "Die Datei „%(name)s“ ist keine PDF-, JPEG- oder PNG-Datei. Bitte laden Sie "
                "nur solche Dateien hoch."
            )
            % {"name": datei.name}
        )
    return kind.mime


def anlagen_pruefen(dateien) -> list[str]:
    if len(dateien) > MAX_ANLAGEN:
        raise ValidationError(
            _("Bitte laden Sie höchstens %(max)d Dateien hoch.") % {"max": MAX_ANLAGEN}
        )
    return [anlage_pruefen(d) for d in dateien]


# --- submit and withdraw ----------------------------------------------------------------------


def antrag_einreichen(*, daten: dict, kosten: list[tuple[str, Decimal]], dateien=()) -> Antrag:
    """Checks and stores a new Antrag with its Kostenplan and Anlagen in one transaction.

    The Aktenzeichen is the year's next number, drawn while the year's row is locked, so that
    parallel submissions get consecutive numbers without gaps. Mails are queued in the same
    transaction and sent after the commit.
    """
    termine_pruefen(beginn=daten["beginn"], ende=daten["ende"])
    mime_types = anlagen_pruefen(list(dateien))
    jahr = timezone.localdate().year
    hj = haushaltsjahr_fuer(jahr=jahr)
    gespeichert = []
    try:
        antrag = _antrag_anlegen(
            hj=hj,
            daten=daten,
            kosten=kosten,
            dateien=dateien,
            mime_types=mime_types,
            gespeichert=gespeichert,
        )
    except BaseException:
        # Nothing half-saved: files written before a failed commit are removed again.
        for name in gespeichert:
            private_storage().delete(name)
        raise
    return antrag


def _antrag_anlegen(*, hj, daten, kosten, dateien, mime_types, gespeichert) -> Antrag:
    jahr = hj.jahr
    with transaction.atomic():
        hj = Haushaltsjahr.objects.select_for_update().get(pk=hj.pk)
        fonds_frei = None
        if daten["finanzierungsquelle"] == Finanzierungsquelle.AKTIONSRAUMFONDS:
            fonds = fonds_fuer(haushaltsjahr=hj, aktionsraum=daten["aktionsraum"])
            fonds_frei = fonds_stand(fonds=fonds).verfuegbar
        betraege_pruefen(
            finanzierungsquelle=daten["finanzierungsquelle"],
            kosten=[betrag for _beschreibung, betrag in kosten],
            eigenmittel=daten["eigenmittel"],
            eigenleistung=daten["eigenleistung"],
            drittmittel=daten["drittmittel"],
            beantragter_betrag=daten["beantragter_betrag"],
            fonds_verfuegbar=fonds_frei,
        )
        nummer = (hj.antraege.aggregate(m=Max("laufende_nummer"))["m"] or 0) + 1
        antrag = Antrag(
            **daten,
            haushaltsjahr=hj,
            laufende_nummer=nummer,
            aktenzeichen=f"AP-{jahr}-{nummer:04d}",
            status_token=secrets.token_urlsafe(32),
            status=Status.EINGEREICHT,
            datenschutz_zugestimmt_am=timezone.now(),
        )
        antrag.full_clean()
        antrag.save()
        Kostenposition.objects.bulk_create(
            Kostenposition(antrag=antrag, beschreibung=b, betrag=betrag) for b, betrag in kosten
        )
        _anlagen_speichern(
            antrag=antrag, dateien=dateien, mime_types=mime_types, gespeichert=gespeichert
        )
        StatusAenderung.objects.create(
            antrag=antrag,
            von="",
            nach=Status.EINGEREICHT,
            durch_antragsteller=True,
            kommentar=_("Online eingereicht"),
        )
        emails.eingang_vormerken(antrag=antrag)
    return antrag


def antrag_zurueckziehen(*, antrag: Antrag, kommentar: str = "") -> Antrag:
    """The applicant withdraws an Antrag that has not been decided yet."""
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        if antrag.status not in WITHDRAWABLE:
            raise ValidationError(
                _(
                    "Über diesen Antrag ist bereits entschieden (Status: %(status)s). "
                    "Er kann nicht mehr zurückgezogen werden."
                )
                % {"status": antrag.get_status_display()}
            )
        von = antrag.status
        antrag.status = Status.ZURUECKGEZOGEN
        antrag.save(update_fields=["status", "geaendert_am"])
        StatusAenderung.objects.create(
            antrag=antrag,
            von=von,
            nach=Status.ZURUECKGEZOGEN,
            durch_antragsteller=True,
            kommentar=kommentar[:2000],
        )
        emails.status_vormerken(antrag=antrag)
    return antrag


# --- staff workflow ---------------------------------------------------------------------------

# Steps with money, or taken by the applicant, have their own service function.
SPECIAL = {Status.BEWILLIGT, Status.ZURUECKGEZOGEN, Status.AUSGEZAHLT}


def naechste_schritte(*, antrag: Antrag) -> list[str]:
    """The steps staff can take from the current status, in the table's order."""
    erlaubt = TRANSITIONS.get(antrag.status, set()) - {Status.ZURUECKGEZOGEN, Status.AUSGEZAHLT}
    return [s for s in Status.values if s in erlaubt]


def antrag_status_setzen(*, antrag: Antrag, nach: str, by, kommentar: str = "") -> Antrag:
    """Moves an Antrag along the workflow table; refuses every step the table does not allow."""
    if nach in SPECIAL:
        raise ValidationError(
            _("Dieser Schritt hat eine eigene Funktion (Bewilligen, Auszahlen, Zurückziehen).")
        )
    if nach == Status.ABGELEHNT and not kommentar.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        _check_transition(antrag, nach)
        return _transition(antrag=antrag, nach=nach, by=by, kommentar=kommentar)


def antrag_bewilligen(*, antrag: Antrag, betrag: Decimal, by, kommentar: str = "") -> Antrag:
    """Grants `betrag` and books it against the pot, never beyond what the pot has left.

    Two staff members granting at the same instant could both see enough money and together
    overspend; the pot rows are therefore locked (year first, then fund: one fixed order, so
    no deadlock) before the available amount is recomputed from the bookings.
    """
    if betrag is None or betrag <= 0:
        raise ValidationError(_("Der bewilligte Betrag muss größer als 0 € sein."))
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        _check_transition(antrag, Status.BEWILLIGT)
        if betrag > antrag.beantragter_betrag:
            raise ValidationError(
                _("Es können höchstens die beantragten %(betrag)s € bewilligt werden.")
                % {"betrag": _money(antrag.beantragter_betrag)}
            )
        if betrag < antrag.beantragter_betrag and not kommentar.strip():
            raise ValidationError(_("Bei einer Teilbewilligung ist eine Begründung nötig."))
        hj = Haushaltsjahr.objects.select_for_update().get(pk=antrag.haushaltsjahr_id)
        fonds = None
        if antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
            fonds = fonds_fuer(haushaltsjahr=hj, aktionsraum=antrag.aktionsraum)
            fonds = Aktionsraumfonds.objects.select_for_update().get(pk=fonds.pk)
            frei = fonds_stand(fonds=fonds).verfuegbar
        else:
            frei = projektbudget_stand(haushaltsjahr=hj).verfuegbar
        if betrag > frei:
            raise ValidationError(
                _(
                    "Nicht genug Geld im Topf: noch %(frei)s € verfügbar, %(betrag)s € angefragt. "
                    "Es wurde nichts gebucht."
                )
                % {"frei": _money(max(frei, ZERO)), "betrag": _money(betrag)}
            )
        Buchung.objects.create(
            haushaltsjahr=hj,
            fonds=fonds,
            antrag=antrag,
            art=Buchung.Art.BEWILLIGUNG,
            betrag=betrag,
            user=by,
        )
        antrag.bewilligter_betrag = betrag
        antrag.save(update_fields=["bewilligter_betrag", "geaendert_am"])
        return _transition(antrag=antrag, nach=Status.BEWILLIGT, by=by, kommentar=kommentar)


def _check_transition(antrag: Antrag, nach: str) -> None:
    if nach not in TRANSITIONS.get(antrag.status, set()):
        raise ValidationError(
            _("Von „%(von)s“ kann der Antrag nicht auf „%(nach)s“ gesetzt werden.")
            % {"von": antrag.get_status_display(), "nach": Status(nach).label}
        )


def _transition(*, antrag: Antrag, nach: str, by, kommentar: str) -> Antrag:
    von = antrag.status
    antrag.status = nach
    antrag.save(update_fields=["status", "geaendert_am"])
    StatusAenderung.objects.create(
        antrag=antrag, von=von, nach=nach, user=by, kommentar=kommentar[:2000]
    )
    emails.status_vormerken(antrag=antrag, kommentar=kommentar)
    return antrag


def _anlagen_speichern(*, antrag: Antrag, dateien, mime_types, gespeichert: list) -> None:
    """Stores the files under random names; `gespeichert` collects them for clean-up."""
    for datei, mime in zip(dateien, mime_types, strict=True):
        anlage = Anlage(
            antrag=antrag,
            dateiname=(datei.name or "Anlage")[:255],
            content_type=mime,
            groesse=datei.size,
        )
        # The applicant's file name never becomes a path on disk.
        anlage.datei.save(f"{secrets.token_hex(16)}.{ERLAUBTE_DATEITYPEN[mime]}", datei)
        gespeichert.append(anlage.datei.name)


def _money(value: Decimal) -> str:
    """Money in the active language's format, e.g. 5.000,00 in German."""
    return number_format(value, 2, force_grouping=True)
