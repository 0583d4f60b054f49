"""Money leaves only with four eyes (Vier-Augen-Prinzip): payouts, bank accounts, contacts.

A payout is confirmed as sachlich und rechnerisch richtig by one account and ordered by
another one with the `auszahlen` permission; only an ordered payout counts as paid. A changed
bank account blocks every payout until a second Projektbüro account confirms it. A changed
e-mail address is told to the old one and gets a new status link.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aktionsplan.kern import geld

from .. import ablauf, emails
from ..models import Antrag, Auszahlung, Buchung, Status
from . import vier_augen
from .budget import nachbuchen
from .workflow import (
    antrag_sperren,
    ledger,
    link_erneuern,
    recht_pruefen,
    status_schreiben,
    verlauf_notieren,
)

# Paid in full ("ausgezahlt") leaves nothing to pay; a partial payout leaves the rest open.


def auszahlung_feststellen(
    *, antrag: Antrag, betrag: Decimal, datum: date, referenz: str, by
) -> Auszahlung:
    """Step one: a payout is confirmed as correct; nothing is paid until a second person
    orders it. Confirmed and ordered payouts together never exceed the grant."""
    recht_pruefen(by, "antraege.auszahlung_feststellen")
    if betrag is None or betrag <= 0:
        raise ValidationError({"betrag": _("Der Auszahlungsbetrag muss größer als 0 € sein.")})
    if not referenz.strip():
        raise ValidationError(
            {"referenz": _("Bitte geben Sie eine Buchungsreferenz an (z. B. Kassenzeichen).")}
        )
    if datum is None:
        raise ValidationError({"datum": _("Bitte geben Sie das Datum der Auszahlung an.")})
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        _auszahlbar_pruefen(antrag)
        _datum_pruefen(antrag, datum)
        stand = ledger(antrag)
        offen = stand.noch_auszuzahlen - antrag.vorgemerkt
        if betrag > offen:
            raise ValidationError(
                {
                    "betrag": _(
                        "Es können höchstens noch %(offen)s € ausgezahlt werden (bewilligt "
                        "%(bewilligt)s €, davon ausgezahlt oder zur Anordnung vorgemerkt "
                        "%(gebunden)s €). Es wurde nichts gebucht."
                    )
                    % {
                        "offen": geld.betrag(offen),
                        "bewilligt": geld.betrag(stand.bewilligt),
                        "gebunden": geld.betrag(stand.bewilligt - offen),
                    }
                }
            )
        auszahlung = Auszahlung.objects.create(
            antrag=antrag,
            betrag=betrag,
            datum=datum,
            referenz=referenz.strip()[:100],
            festgestellt_von=by,
        )
        vier_augen.beteiligen(
            antrag=antrag,
            gegenstand=vier_augen.Gegenstand.AUSZAHLUNG,
            objekt_id=auszahlung.pk,
            by=by,
            anlass=_("hat die Auszahlung festgestellt"),
        )
        _intern(
            antrag,
            by,
            _(
                "Auszahlung von %(betrag)s € am %(datum)s sachlich und rechnerisch richtig "
                "festgestellt; sie wartet auf die Anordnung durch eine zweite Person."
            )
            % {"betrag": geld.betrag(betrag), "datum": datum.strftime("%d.%m.%Y")},
        )
        return auszahlung


def auszahlung_anordnen(*, auszahlung: Auszahlung, by) -> Auszahlung:
    """Step two: a second person with the `auszahlen` permission orders the payout."""
    recht_pruefen(by, ablauf.recht(Status.AUSGEZAHLT, ablauf.AUSZAHLUNG))
    with transaction.atomic():
        antrag = antrag_sperren(antrag=auszahlung.antrag, by=by)
        auszahlung = Auszahlung.objects.select_for_update().get(pk=auszahlung.pk)
        if auszahlung.ist_angeordnet:
            raise ValidationError(_("Diese Auszahlung ist bereits angeordnet."))
        _auszahlbar_pruefen(antrag)
        vier_augen.freigeben(
            antrag=antrag,
            gegenstand=vier_augen.Gegenstand.AUSZAHLUNG,
            objekt_id=auszahlung.pk,
            by=by,
        )
        auszahlung.angeordnet_von = by
        auszahlung.angeordnet_am = timezone.now()
        auszahlung.save(update_fields=["angeordnet_von", "angeordnet_am"])
        nachbuchen(
            antrag=antrag,
            art=Buchung.Art.AUSZAHLUNG,
            betrag=auszahlung.betrag,
            by=by,
            datum=auszahlung.datum,
            referenz=auszahlung.referenz,
        )
        kommentar = _("Auszahlung von %(betrag)s € am %(datum)s") % {
            "betrag": geld.betrag(auszahlung.betrag),
            "datum": auszahlung.datum.strftime("%d.%m.%Y"),
        }
        # "teilweise ausgezahlt" until the whole grant is paid.
        nach = (
            Status.AUSGEZAHLT
            if ledger(antrag).noch_auszuzahlen <= 0
            else Status.TEILWEISE_AUSGEZAHLT
        )
        if nach != antrag.status:
            status_schreiben(antrag=antrag, nach=nach, by=by, kommentar=kommentar)
        else:
            # A further instalment: no new status, but still a line in the history.
            _verlauf(antrag, by, kommentar)
        return auszahlung


def auszahlung_verwerfen(*, auszahlung: Auszahlung, by, grund: str) -> None:
    """A confirmed payout that is wrong is dropped before anyone orders it (with a reason)."""
    recht_pruefen(by, "antraege.auszahlung_feststellen")
    if not grund.strip():
        raise ValidationError(
            {"grund": _("Bitte begründen Sie, warum die Auszahlung verworfen wird.")}
        )
    with transaction.atomic():
        antrag = antrag_sperren(antrag=auszahlung.antrag, by=by)
        auszahlung = Auszahlung.objects.select_for_update().get(pk=auszahlung.pk)
        if auszahlung.ist_angeordnet:
            raise ValidationError(_("Eine angeordnete Auszahlung kann nicht verworfen werden."))
        _intern(
            antrag,
            by,
            _("Vorgemerkte Auszahlung von %(betrag)s € verworfen: %(grund)s")
            % {"betrag": geld.betrag(auszahlung.betrag), "grund": grund.strip()},
        )
        vier_augen.verwerfen(
            antrag=antrag, gegenstand=vier_augen.Gegenstand.AUSZAHLUNG, objekt_id=auszahlung.pk
        )
        auszahlung.delete()


def bankverbindung_bestaetigen(*, antrag: Antrag, by) -> Antrag:
    """A second Projektbüro account confirms a changed bank account; payouts are possible again."""
    recht_pruefen(by, "antraege.iban_bestaetigen")
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        if not antrag.iban_pruefung_offen:
            raise ValidationError(_("Die Bankverbindung muss nicht bestätigt werden."))
        vier_augen.freigeben(antrag=antrag, gegenstand=vier_augen.Gegenstand.BANKVERBINDUNG, by=by)
        antrag.iban_pruefung_offen = False
        antrag.save(update_fields=["iban_pruefung_offen", "geaendert_am"])
        _verlauf(
            antrag,
            by,
            _("Neue Bankverbindung von einer zweiten Person bestätigt: %(name)s.")
            % {"name": by.get_full_name() or by.get_username()},
        )
        return antrag


def bankverbindung_geaendert(*, antrag: Antrag, by=None) -> None:
    """Marks a new bank account as unconfirmed (row is locked) and records who may not
    confirm it: `by`, or with `by` None (the applicant, through the status link) every
    account that may know the link."""
    antrag.iban_pruefung_offen = True
    antrag.save(update_fields=["iban_pruefung_offen", "geaendert_am"])
    if by is None:
        vier_augen.bank_ueber_link_geaendert(antrag)
    else:
        vier_augen.beteiligen(
            antrag=antrag,
            gegenstand=vier_augen.Gegenstand.BANKVERBINDUNG,
            by=by,
            anlass=_("hat die Bankverbindung geändert"),
        )
    verlauf_notieren(
        antrag=antrag,
        by=by,
        durch_antragsteller=by is None,
        kommentar=_(
            "Bankverbindung geändert. Auszahlungen sind erst möglich, wenn eine zweite Person "
            "im Projektbüro sie bestätigt hat."
        ),
    )


def kontaktdaten_aendern(*, antrag: Antrag, daten: dict, by) -> Antrag:
    """Staff correct the applicant's contact data or bank account. A new bank account waits
    for a second person; a new e-mail address is told to the old one and gets a new link."""
    with transaction.atomic():
        antrag = antrag_sperren(antrag=antrag, by=by)
        vorher = {name: getattr(antrag, name) for name in daten}
        if {"iban", "kontoinhaber"} & set(daten) and not by.has_perm("antraege.iban_sehen"):
            raise ValidationError(_("Die Bankverbindung dürfen Sie nicht ändern."))
        for name, wert in daten.items():
            setattr(antrag, name, wert)
        antrag._history_user = by  # also outside a request: who changed it is on the row
        antrag.full_clean()
        antrag.save()
        geaendert = {name for name in daten if getattr(antrag, name) != vorher[name]}
        if geaendert & {"iban", "kontoinhaber"}:
            bankverbindung_geaendert(antrag=antrag, by=by)
        if "email" in geaendert:
            emails.adresse_geaendert_vormerken(antrag=antrag, alte_email=vorher["email"])
            link_erneuern(antrag)
            vier_augen.neue_adresse(antrag=antrag, by=by)
            _verlauf(
                antrag,
                by,
                _(
                    "E-Mail-Adresse geändert. Die bisherige Adresse wurde benachrichtigt; der "
                    "Statuslink ist neu und geht an die neue Adresse."
                ),
            )
        return antrag


def _auszahlbar_pruefen(antrag: Antrag) -> None:
    if antrag.status == Status.AUSGEZAHLT:
        raise ValidationError(
            _("Der bewilligte Betrag ist schon vollständig ausgezahlt; es bleibt nichts offen.")
        )
    if antrag.status not in ablauf.AUSZAHLBAR:
        raise ValidationError(
            _("Ausgezahlt werden kann nur ein bewilligter Antrag (Status: %(status)s).")
            % {"status": antrag.get_status_display()}
        )
    if antrag.iban_pruefung_offen:
        raise ValidationError(
            _(
                "Die Bankverbindung wurde geändert und ist noch nicht von einer zweiten Person "
                "bestätigt. Bis dahin ist keine Auszahlung möglich."
            )
        )


def _datum_pruefen(antrag: Antrag, datum: date) -> None:
    """A payout is dated on or after the grant and at most a year ahead (a typo like 2062
    instead of 2026 is caught)."""
    grant = antrag.buchungen.filter(art=Buchung.Art.BEWILLIGUNG).first()
    bewilligt_am = timezone.localdate(grant.zeitpunkt)
    if datum < bewilligt_am:
        raise ValidationError(
            {
                "datum": _("Das Datum der Auszahlung liegt vor der Bewilligung am %(datum)s.")
                % {"datum": bewilligt_am.strftime("%d.%m.%Y")}
            }
        )
    if datum > timezone.localdate() + timedelta(days=365):
        raise ValidationError(
            {
                "datum": _(
                    "Das Datum der Auszahlung liegt mehr als ein Jahr in der Zukunft. Bitte prüfen "
                    "Sie es."
                )
            }
        )


def _verlauf(antrag: Antrag, by, kommentar: str) -> None:
    verlauf_notieren(antrag=antrag, by=by, kommentar=kommentar)


def _intern(antrag: Antrag, by, notiz: str) -> None:
    """A step of the payout's four eyes: for staff only, never on the status page."""
    verlauf_notieren(antrag=antrag, by=by, interne_notiz=notiz)
