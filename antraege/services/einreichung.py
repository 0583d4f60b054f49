"""The applicant's side: checks shared with the form, submit, withdraw, answer a Rückfrage,
hand in the Verwendungsnachweis. Staff entering a paper application use the same functions."""

import secrets
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from aktionsplan.kern import geld
from aktionsplan.kern.dateipruefung import ERLAUBTE_DATEITYPEN, bereinigt, dateityp
from aktionsplan.kern.drosselung import email_normalisieren, je_adresse_zaehlen
from aktionsplan.kern.speicher import private_storage

from .. import ablauf, emails, statuslink
from ..models import (
    ZERO,
    Anlage,
    Antrag,
    Eingang,
    Entwurf,
    Finanzierungsquelle,
    Haushaltsjahr,
    Kostenposition,
    NachweisPosition,
    Status,
    Verwendungsnachweis,
)
from ..selectors.hauptbuch import antrag_geldstand, nicht_verbraucht
from . import vier_augen
from .auszahlung import bankverbindung_geaendert
from .budget import fonds_fuer, fonds_stand, gebiet_pruefen, haushaltsjahr_fuer
from .workflow import status_schreiben

FONDS_HOECHSTBETRAG = Decimal("5000.00")
MAX_ANLAGEN = 5
# Receipts of one Verwendungsnachweis (they count in the Antrag's 50 MB, MAX_ANTRAG_BYTES).
MAX_BELEGE = 20
# Costs the Kostenplan did not have, per Verwendungsnachweis ("weitere Ausgabe").
MAX_WEITERE_AUSGABEN = 10
MAX_ANLAGE_BYTES = 10 * 1024 * 1024
# All files of one Antrag together: its Anlagen, answers and receipts.
MAX_ANTRAG_BYTES = 50 * 1024 * 1024
# The applicant may withdraw until a decision is taken (antraege/ablauf.py).


def beantragter_betrag_berechnen(
    *, kosten: list[Decimal], eigenmittel: Decimal, eigenleistung: Decimal, drittmittel: Decimal
) -> Decimal:
    """The amount an Antrag asks for: the Kostenplan's total less own money, own work
    (valued in euros) and other funding. The applicant never types it."""
    return sum(kosten, ZERO) - eigenmittel - eigenleistung - drittmittel


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
    erwartet = beantragter_betrag_berechnen(
        kosten=kosten, eigenmittel=eigenmittel, eigenleistung=eigenleistung, drittmittel=drittmittel
    )
    if beantragter_betrag <= 0:
        if not errors and beantragter_betrag == erwartet:
            errors["beantragter_betrag"] = _(
                "Eigenmittel, Eigenleistung und andere Förderung decken die Gesamtkosten "
                "schon ganz; es bleibt kein Betrag zu beantragen. Bitte prüfen Sie den "
                "Kostenplan und die Finanzierung."
            )
        else:
            errors["beantragter_betrag"] = _("Der beantragte Betrag muss größer als 0 € sein.")
    elif not errors:
        if beantragter_betrag != erwartet:
            errors["beantragter_betrag"] = _(
                "Der beantragte Betrag muss den Gesamtkosten (%(kosten)s €) abzüglich "
                "Eigenmitteln, Eigenleistung und anderer Förderung entsprechen, also "
                "%(erwartet)s €. Bitte prüfen Sie den Kostenplan und die Finanzierung."
            ) % {"kosten": geld.betrag(sum(kosten, ZERO)), "erwartet": geld.betrag(erwartet)}
        elif finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS:
            if beantragter_betrag > FONDS_HOECHSTBETRAG:
                errors["beantragter_betrag"] = _(
                    "Aus dem Aktionsraumfonds können höchstens %(max)s € beantragt werden. "
                    "Für größere Projekte wählen Sie bitte das zentrale Projektbudget."
                ) % {"max": geld.betrag(FONDS_HOECHSTBETRAG)}
            elif fonds_verfuegbar is not None and beantragter_betrag > fonds_verfuegbar:
                errors["beantragter_betrag"] = _(
                    "Im Aktionsraumfonds sind in diesem Jahr nur noch %(frei)s € verfügbar. "
                    "Bitte verringern Sie den Betrag oder wählen Sie das zentrale Projektbudget."
                ) % {"frei": geld.betrag(max(fonds_verfuegbar, ZERO))}
    if errors:
        raise ValidationError(errors)


def termine_pruefen(*, beginn, ende) -> None:
    if beginn and ende and ende < beginn:
        raise ValidationError(
            {"ende": _("Das Ende darf nicht vor dem Beginn liegen. Bitte prüfen Sie die Daten.")}
        )


# The values the money rules need; a field the form refused leaves them out.
_GELDFELDER = (
    "finanzierungsquelle",
    "eigenmittel",
    "eigenleistung",
    "drittmittel",
    "beantragter_betrag",
)


def regeln_pruefen(*, daten: Mapping, kosten: list[Decimal] | None, fonds_verfuegbar) -> None:
    """The date and money rules of an Antrag, every error at once, keyed by field.

    Runs once per post: in the form when the post is not sent (the check page, or a form with
    other errors), otherwise in the service under the year's lock. A value missing from
    `daten` (a field already refused) skips the rules that need it; `kosten` None: the
    Kostenplan itself was refused."""
    errors: dict = {}
    try:
        termine_pruefen(beginn=daten.get("beginn"), ende=daten.get("ende"))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if kosten is not None and all(daten.get(name) is not None for name in _GELDFELDER):
        try:
            betraege_pruefen(
                kosten=kosten,
                fonds_verfuegbar=fonds_verfuegbar,
                **{name: daten[name] for name in _GELDFELDER},
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def anlage_pruefen(datei) -> str:
    """Checks one upload by its size and its whole content (aktionsplan/kern/dateipruefung.py);
    returns its MIME type."""
    if datei.size > MAX_ANLAGE_BYTES:
        raise ValidationError(
            _("Die Datei „%(name)s“ ist %(size)s groß; erlaubt sind höchstens 10 MB je Datei.")
            % {"name": datei.name, "size": filesizeformat(datei.size)}
        )
    return dateityp(datei)


def anlagen_pruefen(dateien, hoechstens: int = MAX_ANLAGEN) -> list[str]:
    if len(dateien) > hoechstens:
        raise ValidationError(
            _("Bitte laden Sie höchstens %(max)d Dateien hoch.") % {"max": hoechstens}
        )
    return [anlage_pruefen(d) for d in dateien]


def antrag_einreichen(
    *, daten: dict, kosten: list[tuple[str, Decimal]], dateien=(), erfasst_von=None
) -> Antrag:
    """Checks and stores a new Antrag with its Kostenplan and Anlagen in one transaction.

    `erfasst_von` is the staff member who types in a paper application: same rules, same
    numbering, marked as received on paper.

    The Aktenzeichen is the year's next number, drawn while the year's row is locked, so that
    parallel submissions get consecutive numbers without gaps. Mails are queued in the same
    transaction and sent after the commit.
    """
    antrag, _neu = _einreichen(
        daten=daten, kosten=kosten, dateien=dateien, erfasst_von=erfasst_von, doppelt=False
    )
    return antrag


def antrag_online_einreichen(
    *, daten: dict, kosten: list[tuple[str, Decimal]], dateien=(), vor_dem_buchen=None
) -> tuple[Antrag, bool]:
    """An Antrag from the public form. Returns (Antrag, whether it is new).

    `vor_dem_buchen` runs once the rules hold, before anything is stored or mailed (the form's
    checks against programs and its rate limit): a refused Antrag costs the sender nothing,
    and what is wrong with it is said before "too fast".

    The same e-mail address and title within ANTRAG_DOPPELT_STUNDEN is the same Antrag sent
    twice: it is not stored again (nor its files); its status link goes once more to the
    address it was made with, and that Antrag is returned. The check runs under the year's
    lock, so two identical posts at once store one Antrag.
    """
    return _einreichen(
        daten=daten,
        kosten=kosten,
        dateien=dateien,
        erfasst_von=None,
        doppelt=True,
        vor_dem_buchen=vor_dem_buchen,
    )


def _einreichen(
    *, daten, kosten, dateien, erfasst_von, doppelt, vor_dem_buchen=None
) -> tuple[Antrag, bool]:
    dateien = list(dateien)
    mime_types = anlagen_pruefen(dateien)
    jahr = timezone.localdate().year
    hj = haushaltsjahr_fuer(jahr=jahr)
    with _dateien_aufraeumen() as gespeichert:
        return _antrag_anlegen(
            hj=hj,
            daten=daten,
            kosten=kosten,
            dateien=dateien,
            mime_types=mime_types,
            gespeichert=gespeichert,
            erfasst_von=erfasst_von,
            doppelt=doppelt,
            vor_dem_buchen=vor_dem_buchen,
        )


def _frueherer_antrag(*, email: str, titel: str) -> Antrag | None:
    seit = timezone.now() - timedelta(hours=settings.ANTRAG_DOPPELT_STUNDEN)
    return (
        Antrag.objects.filter(
            email__iexact=email.strip(),
            titel__iexact=titel.strip(),
            eingang=Eingang.ONLINE,
            eingereicht_am__gte=seit,
            anonymisiert_am=None,
        )
        .order_by("-eingereicht_am")
        .first()
    )


def statuslink_geoeffnet(*, antrag: Antrag) -> None:
    """The status link was opened: the address is the applicant's, mails may name the Antrag."""
    if antrag.adresse_bestaetigt_am is None:
        jetzt = timezone.now()
        Antrag.objects.filter(pk=antrag.pk, adresse_bestaetigt_am=None).update(
            adresse_bestaetigt_am=jetzt
        )
        antrag.adresse_bestaetigt_am = jetzt


def _antrag_anlegen(
    *, hj, daten, kosten, dateien, mime_types, gespeichert, erfasst_von, doppelt, vor_dem_buchen
) -> tuple[Antrag, bool]:
    jahr = hj.jahr
    with transaction.atomic():
        hj = Haushaltsjahr.objects.select_for_update().get(pk=hj.pk)
        _regeln_unter_sperre(hj=hj, daten=daten, kosten=kosten)
        if vor_dem_buchen is not None:
            vor_dem_buchen()
        frueher = doppelt and _frueherer_antrag(email=daten["email"], titel=daten["titel"])
        if frueher:
            emails.eingang_vormerken(antrag=frueher, erneut=True)
            return frueher, False
        nummer = (hj.antraege.aggregate(m=Max("laufende_nummer"))["m"] or 0) + 1
        salt, token_hash = statuslink.neue_werte()
        antrag = Antrag(
            **daten,
            haushaltsjahr=hj,
            laufende_nummer=nummer,
            aktenzeichen=f"AP-{jahr}-{nummer:04d}",
            status_token_salt=salt,
            status_token_hash=token_hash,
            status=Status.EINGEREICHT,
            datenschutz_zugestimmt_am=timezone.now(),
            eingang=Eingang.PAPIER if erfasst_von else Eingang.ONLINE,
            erfasst_von=erfasst_von,
            # The paper form promised only title, amount and goal in public; the online form
            # also names place and dates (its hint at the place says so).
            termin_ort_oeffentlich=erfasst_von is None,
            # A bank account typed in by staff waits for a second account, as a changed one.
            iban_pruefung_offen=erfasst_von is not None,
        )
        antrag.full_clean()
        antrag.save()
        if erfasst_von is not None:
            _papiererfassung_beteiligen(antrag=antrag, by=erfasst_von)
        Kostenposition.objects.bulk_create(
            Kostenposition(antrag=antrag, beschreibung=b, betrag=betrag) for b, betrag in kosten
        )
        _anlagen_speichern(
            antrag=antrag, dateien=dateien, mime_types=mime_types, gespeichert=gespeichert
        )
        status_schreiben(
            antrag=antrag,
            nach=Status.EINGEREICHT,
            by=erfasst_von,
            durch_antragsteller=erfasst_von is None,
            kommentar=_("Auf Papier eingereicht, online erfasst")
            if erfasst_von
            else _("Online eingereicht"),
            neu=True,
            mail=False,  # the confirmation instead of a status letter
        )
        emails.eingang_vormerken(antrag=antrag)
    return antrag, True


def _papiererfassung_beteiligen(*, antrag: Antrag, by) -> None:
    """Who types in a paper application chose its bank account and the address its status
    link goes to: a second account confirms the bank account (`services/vier_augen.py`)."""
    anlass = _("hat den Papierantrag erfasst")
    for gegenstand in (vier_augen.Gegenstand.BANKVERBINDUNG, vier_augen.Gegenstand.ZUGANG):
        vier_augen.beteiligen(antrag=antrag, gegenstand=gegenstand, by=by, anlass=anlass)


# At most this many links go out for one address at a time (the newest Anträge).
STATUSLINKS_JE_ADRESSE = 20


def statuslinks_erneut_senden(*, email: str) -> int:
    """ "Statuslink verloren?": each Antrag of this address gets its link mailed again (to the
    address it was made with; the link itself stays), and so does each draft saved for later
    that is still kept. Returns how many; the page never says.

    The limit per address counts the stored address each mail goes to, so that no other
    spelling of it (case, Unicode look-alikes, NUL, padding) sends more."""
    antraege = list(
        Antrag.objects.filter(email__iexact=email_normalisieren(email), anonymisiert_am=None)
        .select_related("aktionsraum")
        .order_by("-eingereicht_am")[:STATUSLINKS_JE_ADRESSE]
    )
    entwuerfe = Entwurf.objects.filter(
        email__iexact=email_normalisieren(email),
        gespeichert_am__isnull=False,
        gueltig_bis__gt=timezone.now(),
    ).order_by("-gespeichert_am")[:1]  # the newest: saving a draft needs no confirmed address
    post = [(a.email, lambda a=a: emails.statuslink_erneut_vormerken(antrag=a)) for a in antraege]
    post += [(e.email, lambda e=e: emails.entwurf_vormerken(entwurf=e)) for e in entwuerfe]
    gesendet = 0
    erlaubt = {}
    for adresse, vormerken in post:
        adresse = adresse.lower()
        if adresse not in erlaubt:
            erlaubt[adresse] = je_adresse_zaehlen(name="statuslink_email", adresse=adresse)
        if erlaubt[adresse]:
            vormerken()
            gesendet += 1
    return gesendet


def antrag_zurueckziehen(*, antrag: Antrag, kommentar: str = "") -> Antrag:
    """The applicant withdraws an Antrag that has not been decided yet."""
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        if antrag.status not in ablauf.WITHDRAWABLE:
            raise ValidationError(
                _(
                    "Über diesen Antrag ist bereits entschieden (Stand: %(status)s). "
                    "Er kann nicht mehr zurückgezogen werden."
                )
                % {"status": ablauf.stufe(antrag.status)}
            )
        # The applicant's own words stay in the history; the letter does not repeat them.
        status_schreiben(
            antrag=antrag,
            nach=Status.ZURUECKGEZOGEN,
            by=None,
            durch_antragsteller=True,
            kommentar=kommentar,
            mail=False,
        )
        emails.status_vormerken(antrag=antrag)
    return antrag


def antrag_rueckfrage_beantworten(
    *,
    antrag: Antrag,
    antwort: str,
    daten: dict | None = None,
    kosten: list[tuple[str, Decimal]] | None = None,
    dateien=(),
) -> Antrag:
    """The applicant answers a Rückfrage and may correct the Antrag; it goes back to review.

    Corrections pass the same checks as a new Antrag; the Aktenzeichen and the history stay.
    """
    if not antwort.strip():
        raise ValidationError({"antwort": _("Bitte beantworten Sie die Rückfrage.")})
    dateien = list(dateien)
    mime_types = [anlage_pruefen(d) for d in dateien]
    with _dateien_aufraeumen() as gespeichert:
        with transaction.atomic():
            antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
            if antrag.status != Status.RUECKFRAGE:
                raise ValidationError(
                    _("Zu diesem Antrag ist keine Rückfrage offen (Stand: %(status)s).")
                    % {"status": ablauf.stufe(antrag.status)}
                )
            if antrag.anlagen.filter(verwendungsnachweis=None).count() + len(dateien) > MAX_ANLAGEN:
                raise ValidationError(
                    _("Ein Antrag kann höchstens %(max)d Anlagen haben.") % {"max": MAX_ANLAGEN}
                )
            vorher = _vergleichswerte(antrag, daten or {})
            if daten is not None:
                _korrektur_uebernehmen(antrag=antrag, daten=daten, kosten=kosten or [])
            _anlagen_speichern(
                antrag=antrag, dateien=dateien, mime_types=mime_types, gespeichert=gespeichert
            )
            antrag.refresh_from_db()  # the values as stored (amounts in cents)
            aenderungen = _aenderungen(vorher, _vergleichswerte(antrag, daten or {}))
            status_schreiben(
                antrag=antrag,
                nach=Status.IN_PRUEFUNG,
                by=None,
                durch_antragsteller=True,
                kommentar=antwort.strip(),
                mail=False,
                aenderungen=aenderungen,
            )
            emails.status_vormerken(antrag=antrag)
            emails.intern_vormerken(
                antrag=antrag, anlass=_("Antwort auf die Rückfrage"), text=antwort.strip()
            )
    return antrag


def _vergleichswerte(antrag: Antrag, daten: dict) -> dict:
    """The values an answer may change, as JSON stores them: the fields in `daten` and the
    Kostenplan as [description, amount] rows, the attachments by their names."""
    werte = {name: _als_json(getattr(antrag, name)) for name in daten}
    werte["kosten"] = [[k.beschreibung, str(k.betrag)] for k in antrag.kosten.order_by("pk")]
    werte["anlagen"] = list(
        antrag.anlagen.filter(verwendungsnachweis=None)
        .order_by("pk")
        .values_list("dateiname", flat=True)
    )
    return werte


def _als_json(wert):
    if isinstance(wert, Decimal | date):
        return str(wert)
    if isinstance(wert, models.Model):  # the Aktionsraum: by its name
        return str(wert)
    if isinstance(wert, list | tuple):
        return [_als_json(w) for w in wert]
    return wert


def _aenderungen(vorher: dict, nachher: dict) -> list[dict]:
    """Every value that differs, in the order of the fields (the Kostenplan last)."""
    return [
        {"feld": name, "vorher": vorher[name], "nachher": nachher[name]}
        for name in vorher
        if vorher[name] != nachher[name]
    ]


def _korrektur_uebernehmen(*, antrag: Antrag, daten: dict, kosten) -> None:
    """Applies the applicant's corrected values, checked like a new Antrag (row is locked)."""
    hj = Haushaltsjahr.objects.select_for_update().get(pk=antrag.haushaltsjahr_id)
    _regeln_unter_sperre(hj=hj, daten=daten, kosten=kosten)
    bank_vorher = (antrag.iban, antrag.kontoinhaber)
    for name, value in daten.items():
        setattr(antrag, name, value)
    antrag.full_clean()
    antrag.save()
    if (antrag.iban, antrag.kontoinhaber) != bank_vorher:
        bankverbindung_geaendert(antrag=antrag, by=None)
    antrag.kosten.all().delete()
    Kostenposition.objects.bulk_create(
        Kostenposition(antrag=antrag, beschreibung=b, betrag=betrag) for b, betrag in kosten
    )


# After a payout (in part or in full), and again when staff give the proof back.


@dataclass(frozen=True)
class NachweisRechnung:
    """The zahlenmäßiger Nachweis in figures. The grant covers the gap (Fehlbedarf), as it
    did when the amount asked for was computed: what it paid for is the actual costs less the
    actual own money, own work and other funding, never more than was paid out; the rest of
    the payout was not needed and is asked back."""

    gesamtausgaben: Decimal
    abzuege: Decimal
    verwendet: Decimal
    ausgezahlt: Decimal
    nicht_verbraucht: Decimal
    # Actual need above the payout: not funded afterwards, shown so nobody expects it.
    mehrbedarf: Decimal


def nachweis_rechnen(
    *,
    ausgaben: list[Decimal],
    eigenmittel: Decimal,
    eigenleistung: Decimal,
    drittmittel: Decimal,
    ausgezahlt: Decimal,
) -> NachweisRechnung:
    gesamtausgaben = sum(ausgaben, ZERO)
    abzuege = eigenmittel + eigenleistung + drittmittel
    bedarf = max(gesamtausgaben - abzuege, ZERO)
    verwendet = min(bedarf, ausgezahlt)
    return NachweisRechnung(
        gesamtausgaben=gesamtausgaben,
        abzuege=abzuege,
        verwendet=verwendet,
        ausgezahlt=ausgezahlt,
        nicht_verbraucht=nicht_verbraucht(ausgezahlt=ausgezahlt, verwendet=verwendet),
        mehrbedarf=bedarf - verwendet,
    )


def _cent_genau(betrag) -> bool:
    return (
        isinstance(betrag, Decimal)
        and betrag.is_finite()
        and betrag >= 0
        and betrag == betrag.quantize(Decimal("0.01"))
        and betrag < Decimal("1e10")
    )


def verwendungsnachweis_einreichen(
    *,
    antrag: Antrag,
    bericht: str,
    ausgaben: Mapping[int, Decimal],
    eigenmittel: Decimal = ZERO,
    eigenleistung: Decimal = ZERO,
    drittmittel: Decimal = ZERO,
    weitere: Sequence[tuple[str, Decimal]] = (),
    dateien,
    erfasst_von=None,
    eingegangen_am=None,
) -> Verwendungsnachweis:
    """The proof of use: the short report, what each cost row actually cost (`ausgaben`, by
    the Antrag's Kostenposition id, every row once), costs the Kostenplan did not have
    (`weitere`: description and amount, at most `MAX_WEITERE_AUSGABEN`), the actual own
    money, own work and other funding, and the receipts (at most `MAX_BELEGE`). From the
    applicant online, or typed in by staff (`erfasst_von`) from a Nachweis received on paper
    on `eingegangen_am`, where scanned receipts may follow. What the grant paid for and what
    was not needed are computed (`nachweis_rechnen`), the costs not planned included."""
    mittel = dict(eigenmittel=eigenmittel, eigenleistung=eigenleistung, drittmittel=drittmittel)
    papier = dict(erfasst_von=erfasst_von, eingegangen_am=eingegangen_am)
    weitere = [((b or "").strip(), betrag) for b, betrag in weitere]
    angaben = dict(bericht=bericht, ausgaben=ausgaben, weitere=weitere, mittel=mittel)
    dateien = list(dateien)
    _nachweis_eingaben_pruefen(antrag=antrag, **angaben, dateien=dateien, **papier)
    mime_types = anlagen_pruefen(dateien, MAX_BELEGE) if dateien else []
    with _dateien_aufraeumen() as gespeichert:
        with transaction.atomic():
            antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
            zeilen = _nachweis_moeglich(antrag=antrag, ausgaben=ausgaben)
            nachweis, rechnung = _nachweis_anlegen(
                antrag=antrag, zeilen=zeilen, **angaben, **papier
            )
            _anlagen_speichern(
                antrag=antrag,
                dateien=dateien,
                mime_types=mime_types,
                gespeichert=gespeichert,
                verwendungsnachweis=nachweis,
            )
            _nachweis_melden(antrag=antrag, rechnung=rechnung, **papier)
    return nachweis


def _nachweis_anlegen(
    *, antrag, zeilen, ausgaben, weitere, mittel, bericht, erfasst_von, eingegangen_am
):
    """The Verwendungsnachweis with its figures (`nachweis_rechnen`) and its rows, planned and
    actual per cost row, then the costs not planned (planned 0); returns it and the figures."""
    auf_papier = erfasst_von is not None
    rechnung = nachweis_rechnen(
        ausgaben=[ausgaben[k.pk] for k in zeilen] + [betrag for _b, betrag in weitere],
        **mittel,
        ausgezahlt=antrag_geldstand(antrag).netto_ausgezahlt,
    )
    nachweis = Verwendungsnachweis.objects.create(
        antrag=antrag,
        bericht=bericht.strip(),
        ausgegebener_betrag=rechnung.verwendet,
        gesamtausgaben=rechnung.gesamtausgaben,
        **mittel,
        eingang=Eingang.PAPIER if auf_papier else Eingang.ONLINE,
        eingegangen_am=eingegangen_am if auf_papier else None,
        erfasst_von=erfasst_von,
    )
    NachweisPosition.objects.bulk_create(
        NachweisPosition(
            nachweis=nachweis,
            kostenposition=k,
            beschreibung=k.beschreibung,
            geplant=k.betrag,
            ausgegeben=ausgaben[k.pk],
        )
        for k in zeilen
    )
    NachweisPosition.objects.bulk_create(
        NachweisPosition(
            nachweis=nachweis,
            beschreibung=beschreibung,
            geplant=ZERO,
            ausgegeben=betrag,
            ungeplant=True,
        )
        for beschreibung, betrag in weitere
    )
    return nachweis, rechnung


def _nachweis_eingaben_pruefen(
    *, antrag, bericht, ausgaben, weitere, mittel, dateien, erfasst_von, eingegangen_am
) -> None:
    """Every input of a Verwendungsnachweis, with one message per field."""
    auf_papier = erfasst_von is not None
    errors = {}
    if not bericht.strip():
        errors["bericht"] = _("Bitte beschreiben Sie kurz, was mit dem Geld gemacht wurde.")
    zeilen = list(antrag.kosten.all())
    if set(ausgaben) != {k.pk for k in zeilen}:
        errors["ausgaben"] = _(
            "Bitte geben Sie für jede Kostenposition des Antrags an, wie viel tatsächlich "
            "ausgegeben wurde (0, wenn nichts)."
        )
    elif not all(_cent_genau(ausgaben[k.pk]) for k in zeilen):
        errors["ausgaben"] = _(
            "Bitte geben Sie jede Ausgabe als Betrag ab 0 mit höchstens zwei Nachkommastellen an."
        )
    if len(weitere) > MAX_WEITERE_AUSGABEN:
        errors["weitere"] = _("Bitte tragen Sie höchstens %(max)d weitere Ausgaben ein.") % {
            "max": MAX_WEITERE_AUSGABEN
        }
    elif not all(0 < len(b) <= 200 and _cent_genau(w) and w > 0 for b, w in weitere):
        errors["weitere"] = _(
            "Bitte geben Sie für jede weitere Ausgabe an, wofür sie war (höchstens 200 Zeichen), "
            "und einen Betrag über 0 mit höchstens zwei Nachkommastellen."
        )
    for name, wert in mittel.items():
        if not _cent_genau(wert):
            errors[name] = _("Bitte geben Sie 0 oder einen positiven Betrag ein.")
    if not dateien and not auf_papier:
        errors["belege"] = _("Bitte laden Sie mindestens einen Beleg hoch (PDF, JPEG oder PNG).")
    if auf_papier:
        if eingegangen_am is None:
            errors["eingegangen_am"] = _("Bitte geben Sie an, wann der Nachweis eingegangen ist.")
        elif eingegangen_am > timezone.localdate():
            errors["eingegangen_am"] = _("Das Eingangsdatum darf nicht in der Zukunft liegen.")
    if errors:
        raise ValidationError(errors)


def _nachweis_moeglich(*, antrag: Antrag, ausgaben) -> list:
    """On the locked Antrag: a Nachweis is possible now, and the cost rows are still the ones
    the figures were typed for; returns those rows."""
    if antrag.status not in ablauf.NACHWEIS_MOEGLICH:
        raise ValidationError(
            _(
                "Ein Verwendungsnachweis kann erst nach der Auszahlung und nur einmal "
                "eingereicht werden, außer das Projektbüro gibt ihn zur Korrektur "
                "zurück (Stand: %(status)s)."
            )
            % {"status": ablauf.stufe(antrag.status)}
        )
    # The rows as they stand under the lock (a correction cannot change them now).
    zeilen = list(antrag.kosten.all())
    if {k.pk for k in zeilen} != set(ausgaben):
        raise ValidationError(
            {"ausgaben": _("Der Kostenplan hat sich geändert. Bitte öffnen Sie das Formular neu.")}
        )
    return zeilen


def _nachweis_melden(*, antrag: Antrag, rechnung, erfasst_von, eingegangen_am) -> None:
    """The step to "Nachweis eingereicht" with the figures in the history, and its mails."""
    auf_papier = erfasst_von is not None
    kommentar = _(
        "Ausgaben: %(gesamt)s €, aus der Förderung verwendet: %(verwendet)s €, "
        "nicht verbraucht: %(rest)s €"
    ) % {
        "gesamt": geld.betrag(rechnung.gesamtausgaben),
        "verwendet": geld.betrag(rechnung.verwendet),
        "rest": geld.betrag(rechnung.nicht_verbraucht),
    }
    if auf_papier:
        kommentar = _("Auf Papier eingegangen am %(datum)s. %(rest)s") % {
            "datum": eingegangen_am.strftime("%d.%m.%Y"),
            "rest": kommentar,
        }
    status_schreiben(
        antrag=antrag,
        nach=Status.NACHWEIS_EINGEREICHT,
        by=erfasst_von,
        durch_antragsteller=not auf_papier,
        kommentar=kommentar,
        mail=False,
    )
    emails.status_vormerken(antrag=antrag)
    if not auf_papier:
        emails.intern_vormerken(antrag=antrag, anlass=_("Verwendungsnachweis eingereicht"))


def _regeln_unter_sperre(*, hj: Haushaltsjahr, daten: dict, kosten) -> None:
    """The date and money rules for `daten`; the fund's free amount is read under the year's
    lock, so that what is checked is what is booked."""
    fonds_frei = None
    gebiet_pruefen(aktionsraum=daten["aktionsraum"], jahr=hj.jahr)
    if daten["finanzierungsquelle"] == Finanzierungsquelle.AKTIONSRAUMFONDS and hj.eingerichtet:
        fonds = fonds_fuer(haushaltsjahr=hj, aktionsraum=daten["aktionsraum"])
        fonds_frei = fonds_stand(fonds=fonds).verfuegbar
    regeln_pruefen(
        daten=daten,
        kosten=[betrag for _beschreibung, betrag in kosten],
        fonds_verfuegbar=fonds_frei,
    )


@contextmanager
def _dateien_aufraeumen():
    """Collects stored file names; if the block fails, the files are removed again.

    Nothing half-saved: the transaction rolls back the rows, this removes the files.
    """
    gespeichert = []
    try:
        yield gespeichert
    except BaseException:
        for name in gespeichert:
            private_storage().delete(name)
        raise


def belegter_platz(*, antrag: Antrag, verwendungsnachweis=None) -> int:
    """Bytes that count against `MAX_ANTRAG_BYTES`: the application's own files (with the
    answers'), and with a Verwendungsnachweis its receipts. The receipts of earlier Nachweise
    stay in the file but do not count against a new one: a new Nachweis comes only after staff
    gave the last back for correction, so each round has its 50 MB and staff decide how many
    rounds there are."""
    dateien = antrag.anlagen.filter(verwendungsnachweis=None)
    if verwendungsnachweis is not None:
        dateien = antrag.anlagen.filter(
            Q(verwendungsnachweis=None) | Q(verwendungsnachweis=verwendungsnachweis)
        )
    return dateien.aggregate(s=Sum("groesse"))["s"] or 0


def _anlagen_speichern(
    *, antrag: Antrag, dateien, mime_types, gespeichert: list, verwendungsnachweis=None
) -> None:
    """Stores the files under random names; `gespeichert` collects them for clean-up.

    Runs with the Antrag's row locked, so the 50 MB for all its files hold for parallel posts.
    The limits count what is stored: a picture after re-encoding (`bereinigt`), not the upload.
    """
    inhalte = [bereinigt(datei, mime) for datei, mime in zip(dateien, mime_types, strict=True)]
    for datei, inhalt in zip(dateien, inhalte, strict=True):
        if inhalt.size > MAX_ANLAGE_BYTES:
            raise ValidationError(
                _(
                    "„%(name)s“ ist nach dem Speichern größer als 10 MB. Bitte laden Sie das "
                    "Bild in geringerer Auflösung hoch."
                )
                % {"name": (datei.name or "")[:100]}
            )
    if inhalte:
        vorhanden = belegter_platz(antrag=antrag, verwendungsnachweis=verwendungsnachweis)
        if vorhanden + sum(inhalt.size for inhalt in inhalte) > MAX_ANTRAG_BYTES:
            raise ValidationError(
                _(
                    "Zu einem Antrag können höchstens 50 MB an Dateien gespeichert werden; "
                    "bisher sind es %(bisher)s. Bitte laden Sie kleinere Dateien hoch, zum "
                    "Beispiel Fotos in geringerer Auflösung oder PDFs ohne Bilder."
                )
                % {"bisher": filesizeformat(vorhanden)}
            )
    for datei, mime, inhalt in zip(dateien, mime_types, inhalte, strict=True):
        anlage = Anlage(
            antrag=antrag,
            verwendungsnachweis=verwendungsnachweis,
            dateiname=(datei.name or "Anlage")[:255],
            content_type=mime,
            groesse=inhalt.size,
        )
        # The applicant's file name never becomes a path on disk.
        anlage.datei.save(f"{secrets.token_hex(16)}.{ERLAUBTE_DATEITYPEN[mime]}", inhalt)
        gespeichert.append(anlage.datei.name)
