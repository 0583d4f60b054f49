"""The Projektkonferenz: its members and invitations, its agenda, conflicts of interest,
its Beschlüsse with their votes and quorum (the only way fund money is granted), and the
protocol that, once signed off, freezes the meeting."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiere.bereich import darf_aktionsraum_bearbeiten

from .. import ablauf, emails
from ..models import (
    Abstimmungsart,
    Antrag,
    Befangenheit,
    Beschluss,
    Einladung,
    Finanzierungsquelle,
    Mitglied,
    Projektkonferenz,
    Rolle,
    Status,
    Teilnahme,
)
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
    abstimmung: "Abstimmung | None" = None,
) -> Beschluss:
    """Records the conference's decision on one agenda item; a grant books the fund money. The
    account may record Beschlüsse (the table's right) for this area, the Antrag is on the agenda,
    the Bezirksbürgermeister/in (or deputy) took part, the conference has taken place and its
    protocol is still open; a grant or refusal carries its vote, taken with the area's quorum
    of voting members present and not befangen."""
    if ergebnis not in Beschluss.Ergebnis.values:
        raise ValidationError(_("Bitte wählen Sie bewilligt, abgelehnt oder vertagt."))
    # The right first: whoever may not decide learns nothing of the meeting's state.
    recht_pruefen(by, ablauf.recht(Status.BEWILLIGT, ablauf.KONFERENZ))
    if ergebnis == Beschluss.Ergebnis.ABGELEHNT and not begruendung.strip():
        raise ValidationError({"begruendung": _("Bitte begründen Sie die Ablehnung.")})
    konferenz_pruefen(konferenz)
    kommentar = _beschluss_kommentar(konferenz, begruendung)
    bewilligt = ergebnis == Beschluss.Ergebnis.BEWILLIGT
    vertagt = ergebnis == Beschluss.Ergebnis.VERTAGT
    if not vertagt or abstimmung is not None:
        abstimmung_pruefen(abstimmung, ergebnis=ergebnis, moeglich=None)

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
        # The meeting's row is locked: no conflict of interest or sign-off slips in meanwhile.
        # Everything about the meeting is read again under the lock.
        konferenz = sperren(konferenz)
        konferenz_pruefen(konferenz)
        moeglich = stimmen_moeglich(konferenz, antrag)
        if not vertagt:
            bezirksbuergermeister_pruefen(konferenz, antrag)
            quorum_pruefen(konferenz, antrag, moeglich)
        if not vertagt or abstimmung is not None:
            abstimmung_pruefen(abstimmung, ergebnis=ergebnis, moeglich=moeglich)
        if vertagt:
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
        abstimmung = abstimmung or Abstimmung("")
        return Beschluss.objects.create(
            konferenz=konferenz,
            antrag=antrag,
            ergebnis=ergebnis,
            betrag=betrag if bewilligt else None,
            begruendung=begruendung.strip(),
            abstimmung=abstimmung.art,
            ja=abstimmung.ja,
            nein=abstimmung.nein,
            enthaltung=abstimmung.enthaltung,
            stimmen_moeglich=moeglich,
            user=by,
        )


@dataclass(frozen=True)
class Abstimmung:
    """How a Beschluss was taken: "einvernehmlich", or the counts of a vote ("abgestimmt")."""

    art: str
    ja: int | None = None
    nein: int | None = None
    enthaltung: int | None = None


EINVERNEHMLICH = Abstimmung(Abstimmungsart.EINVERNEHMLICH)


@dataclass(frozen=True)
class Eintrag:
    """One row of the meeting's Beschlüsse: the Antrag of the agenda and what was decided."""

    antrag: Antrag
    ergebnis: str
    betrag: Decimal | None = None
    begruendung: str = ""
    abstimmung: Abstimmung | None = None


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
                            abstimmung=eintrag.abstimmung,
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
    """A conference decides once it has taken place, with the Bezirksbürgermeister/in present,
    and until its protocol is signed off."""
    offen_pruefen(konferenz)
    if konferenz.datum > timezone.localdate():
        raise ValidationError(
            _("Beschlüsse werden erst ab dem Tag der Konferenz (%(datum)s) eingetragen.")
            % {"datum": konferenz.datum.strftime("%d.%m.%Y")}
        )
    if not konferenz.teilnahmen.filter(rolle=Rolle.BEZIRKSBUERGERMEISTER, anwesend=True).exists():
        raise ValidationError(
            _(
                "Über den Aktionsraumfonds entscheidet die Projektkonferenz unter Beteiligung "
                "der Bezirksbürgermeisterin oder des Bezirksbürgermeisters. Bitte tragen Sie "
                "sie oder ihn (oder die Vertretung) bei den Teilnehmenden als anwesend ein."
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


# --- Members, invitations, conflicts of interest, votes, the protocol ----------------------


def offen_pruefen(konferenz: Projektkonferenz) -> None:
    """Nothing of a meeting changes once its protocol is signed off."""
    abgeschlossen = (
        Projektkonferenz.objects.filter(pk=konferenz.pk)
        .values_list("protokoll_abgeschlossen_am", flat=True)
        .first()
    )
    if abgeschlossen is not None:
        raise ValidationError(
            _(
                "Das Protokoll dieser Konferenz ist am %(datum)s abgeschlossen worden: An der "
                "Konferenz wird nichts mehr geändert."
            )
            % {"datum": timezone.localtime(abgeschlossen).strftime("%d.%m.%Y")}
        )


def _pflege_pruefen(konferenz: Projektkonferenz, by, recht: str = "") -> None:
    """The account keeps conferences (the table's right, and `recht` for the step) of this
    conference's area."""
    rechte = ["antraege.change_projektkonferenz", *([recht] if recht else [])]
    if by is None or not all(by.has_perm(r) for r in rechte):
        raise PermissionDenied(_("Projektkonferenzen dürfen Sie nicht bearbeiten."))
    if not darf_aktionsraum_bearbeiten(user=by, aktionsraum_id=konferenz.aktionsraum_id):
        raise PermissionDenied(
            _("Sie dürfen nur Projektkonferenzen Ihrer eigenen Aktionsräume bearbeiten.")
        )


def sperren(konferenz: Projektkonferenz) -> Projektkonferenz:
    """Locks the conference's row (inside the caller's transaction) and reads it afresh."""
    return Projektkonferenz.objects.select_for_update().get(pk=konferenz.pk)


def aktive_mitglieder(aktionsraum, datum):
    """The members of an area's conference on `datum`."""
    return Mitglied.objects.filter(aktionsraum=aktionsraum, aktiv_von__lte=datum).filter(
        Q(aktiv_bis__isnull=True) | Q(aktiv_bis__gte=datum)
    )


def teilnahmen_aus_mitgliedern(*, konferenz: Projektkonferenz, by) -> int:
    """Puts every member of the area active on the meeting's day on its list of people, not
    yet marked present (the meeting marks who came). Members already on it stay as they are.
    Returns how many were added."""
    _pflege_pruefen(konferenz, by)
    with transaction.atomic():
        konferenz = sperren(konferenz)
        offen_pruefen(konferenz)
        return _mitglieder_uebernehmen(konferenz)


def _mitglieder_uebernehmen(konferenz: Projektkonferenz) -> int:
    """(Under the conference's lock.) Members not yet on the list are added; a person typed
    in by hand under a member's name becomes that member's row (no one twice)."""
    teilnahmen = list(konferenz.teilnahmen.all())
    schon = {t.mitglied_id for t in teilnahmen if t.mitglied_id}
    von_hand = {t.name.casefold().strip(): t for t in teilnahmen if not t.mitglied_id}
    neu = []
    for m in aktive_mitglieder(konferenz.aktionsraum, konferenz.datum):
        if m.pk in schon:
            continue
        if (zeile := von_hand.pop(m.name.casefold().strip(), None)) is not None:
            zeile.mitglied = m
            zeile.save(update_fields=["mitglied"])
            continue
        neu.append(
            Teilnahme(
                konferenz=konferenz,
                mitglied=m,
                name=m.name,
                rolle=m.rolle,
                organisation=m.organisation,
                stimmberechtigt=m.stimmberechtigt,
                anwesend=False,
            )
        )
    Teilnahme.objects.bulk_create(neu)
    return len(neu)


def tagesordnung_der_einladung(konferenz: Projektkonferenz) -> list[dict]:
    """The agenda as the members read it: title, who applies (the organisation, or the kind of
    applicant for a private person: no name, no address, no bank data) and the amount."""
    return [
        {
            "aktenzeichen": a.aktenzeichen,
            "titel": a.titel,
            "antragsteller": a.organisation or str(a.get_antragsteller_art_display()),
            "betrag": str(a.beantragter_betrag),
        }
        for a in konferenz.tagesordnung.order_by("aktenzeichen")
    ]


def einladung_versenden(*, konferenz: Projektkonferenz, by) -> Einladung:
    """Sends the invitation with the agenda to every member with an address and lists the
    others for the printed copy. Date, place and agenda sent are kept as they were; when one
    of them has changed since the last invitation, the next one goes out as "geänderte
    Einladung". Members added to the list since are put on the meeting's list of people."""
    _pflege_pruefen(konferenz, by)
    with transaction.atomic():
        konferenz = sperren(konferenz)
        offen_pruefen(konferenz)
        if konferenz.datum < timezone.localdate():
            raise ValidationError(
                _("Die Konferenz hat schon stattgefunden: Eine Einladung wird nicht mehr versandt.")
            )
        tagesordnung = tagesordnung_der_einladung(konferenz)
        letzte = konferenz.einladungen.order_by("-nummer").first()
        if letzte is not None and (letzte.tagesordnung, letzte.datum, letzte.ort) == (
            tagesordnung,
            konferenz.datum,
            konferenz.ort,
        ):
            raise ValidationError(
                _(
                    "Diese Einladung ist schon am %(datum)s versandt worden. Eine neue geht erst "
                    "hinaus, wenn sich Termin, Ort oder Tagesordnung ändern."
                )
                % {"datum": timezone.localtime(letzte.versandt_am).strftime("%d.%m.%Y")}
            )
        mitglieder = list(aktive_mitglieder(konferenz.aktionsraum, konferenz.datum))
        if not mitglieder:
            raise ValidationError(
                _(
                    "Für %(raum)s sind keine Mitglieder der Projektkonferenz eingetragen: Bitte "
                    "legen Sie zuerst die Mitglieder an."
                )
                % {"raum": konferenz.aktionsraum.name}
            )
        # Whoever is invited is on the meeting's list of people, to be marked present.
        _mitglieder_uebernehmen(konferenz)
        einladung = Einladung.objects.create(
            konferenz=konferenz,
            nummer=(letzte.nummer + 1) if letzte else 1,
            versandt_von=by,
            datum=konferenz.datum,
            ort=konferenz.ort,
            tagesordnung=tagesordnung,
            per_mail=[m.name for m in mitglieder if m.email],
            ausgedruckt=[m.name for m in mitglieder if not m.email],
        )
        for mitglied in mitglieder:
            if mitglied.email:
                emails.einladung_vormerken(einladung=einladung, mitglied=mitglied)
    return einladung


def befangenheit_erfassen(
    *, konferenz: Projektkonferenz, teilnahme: Teilnahme, antrag: Antrag, grund: str, by
) -> Befangenheit:
    """Records that a person of the meeting takes no part in one agenda item, before its
    Beschluss; the item's vote and quorum leave that person out."""
    _pflege_pruefen(konferenz, by, "antraege.add_befangenheit")
    if not grund.strip():
        raise ValidationError({"grund": _("Bitte geben Sie den Grund der Befangenheit an.")})
    with transaction.atomic():
        konferenz = sperren(konferenz)
        offen_pruefen(konferenz)
        if teilnahme.konferenz_id != konferenz.pk:
            raise ValidationError(
                {"teilnahme": _("Diese Person gehört nicht zu dieser Konferenz.")}
            )
        if not konferenz.tagesordnung.filter(pk=antrag.pk).exists():
            raise ValidationError(
                {"antrag": _("Dieser Antrag steht nicht auf der Tagesordnung dieser Konferenz.")}
            )
        if konferenz.beschluesse.filter(antrag=antrag).exists():
            raise ValidationError(
                {
                    "antrag": _(
                        "Zu %(az)s ist schon ein Beschluss eingetragen: Eine Befangenheit wird "
                        "vor dem Beschluss erklärt."
                    )
                    % {"az": antrag.aktenzeichen}
                }
            )
        if Befangenheit.objects.filter(teilnahme=teilnahme, antrag=antrag).exists():
            raise ValidationError(
                _("%(name)s ist bei %(az)s schon als befangen eingetragen.")
                % {"name": teilnahme.name, "az": antrag.aktenzeichen}
            )
        return Befangenheit.objects.create(
            konferenz=konferenz, teilnahme=teilnahme, antrag=antrag, grund=grund.strip(),
            erfasst_von=by,
        )  # fmt: skip


def befangenheit_aufheben(*, befangenheit: Befangenheit, by) -> None:
    """Takes back an entry made in error, as long as the item has no Beschluss."""
    konferenz = befangenheit.konferenz
    _pflege_pruefen(konferenz, by, "antraege.delete_befangenheit")
    with transaction.atomic():
        konferenz = sperren(konferenz)
        offen_pruefen(konferenz)
        if konferenz.beschluesse.filter(antrag_id=befangenheit.antrag_id).exists():
            raise ValidationError(
                _("Zu diesem Antrag ist schon ein Beschluss eingetragen: Die Befangenheit bleibt.")
            )
        Befangenheit.objects.filter(pk=befangenheit.pk).delete()


def stimmen_moeglich(konferenz: Projektkonferenz, antrag: Antrag) -> int:
    """Voting members present and not befangen on this agenda item."""
    return (
        konferenz.teilnahmen.filter(stimmberechtigt=True, anwesend=True)
        .exclude(befangenheiten__antrag=antrag)
        .count()
    )


def bezirksbuergermeister_pruefen(konferenz: Projektkonferenz, antrag: Antrag) -> None:
    """The Bezirksbürgermeister/in (or deputy) present takes part in this item: not befangen."""
    dabei = (
        konferenz.teilnahmen.filter(rolle=Rolle.BEZIRKSBUERGERMEISTER, anwesend=True)
        .exclude(befangenheiten__antrag=antrag)
        .exists()
    )
    if not dabei:
        raise ValidationError(
            _(
                "Bei %(az)s ist die Bezirksbürgermeisterin oder der Bezirksbürgermeister "
                "befangen: Ohne ihre oder seine Vertretung kann die Konferenz darüber nicht "
                "beschließen, nur vertagen."
            )
            % {"az": antrag.aktenzeichen}
        )


def quorum(konferenz: Projektkonferenz) -> int:
    """How many voting members present and not befangen the area's conference needs."""
    return konferenz.aktionsraum.konferenz_quorum or 1


def quorum_pruefen(konferenz: Projektkonferenz, antrag: Antrag, moeglich: int) -> None:
    noetig = quorum(konferenz)
    if moeglich < noetig:
        raise ValidationError(
            _(
                "Die Konferenz ist bei %(az)s nicht beschlussfähig: %(da)d stimmberechtigte "
                "Mitglieder sind anwesend und nicht befangen, nötig sind %(noetig)d. Der "
                "Antrag kann nur vertagt werden."
            )
            % {"az": antrag.aktenzeichen, "da": moeglich, "noetig": noetig}
        )


def abstimmung_pruefen(
    abstimmung: Abstimmung | None, *, ergebnis: str, moeglich: int | None
) -> None:
    """A grant or refusal says how it was taken; counted votes fit the voting members present
    (`moeglich`; None: not yet known, the counts alone are checked) and the result (a grant
    needs more Ja than Nein, a refusal not)."""
    if abstimmung is None or abstimmung.art not in Abstimmungsart.values:
        raise ValidationError(
            {"abstimmung": _("Bitte tragen Sie ein, wie abgestimmt wurde: einvernehmlich oder "
                             "mit Ja-, Nein- und Enthaltungsstimmen.")}
        )  # fmt: skip
    if abstimmung.art == Abstimmungsart.EINVERNEHMLICH:
        if (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung) != (None, None, None):
            raise ValidationError(
                {"abstimmung": _("Bei „einvernehmlich“ werden keine Stimmen gezählt.")}
            )
        return
    stimmen = (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung)
    if any(s is None or s < 0 for s in stimmen):
        raise ValidationError(
            {"abstimmung": _("Bitte tragen Sie die Ja-, Nein- und Enthaltungsstimmen ein "
                             "(jeweils 0 oder mehr).")}
        )  # fmt: skip
    if sum(stimmen) == 0:
        raise ValidationError({"abstimmung": _("Es wurde keine Stimme eingetragen.")})
    if moeglich is not None and sum(stimmen) != moeglich:
        raise ValidationError(
            {
                "abstimmung": _(
                    "Die Ja-, Nein- und Enthaltungsstimmen zusammen (%(summe)d) müssen die Zahl "
                    "der stimmberechtigten Mitglieder ergeben, die anwesend und nicht befangen "
                    "sind (%(moeglich)d). Wer sich nicht äußert, enthält sich."
                )
                % {"summe": sum(stimmen), "moeglich": moeglich}
            }
        )
    angenommen = abstimmung.ja > abstimmung.nein
    if ergebnis == Beschluss.Ergebnis.BEWILLIGT and not angenommen:
        raise ValidationError(
            {"abstimmung": _("Bewilligt ist ein Antrag nur mit mehr Ja- als Nein-Stimmen.")}
        )
    if ergebnis == Beschluss.Ergebnis.ABGELEHNT and angenommen:
        raise ValidationError(
            {"abstimmung": _("Mit mehr Ja- als Nein-Stimmen ist der Antrag nicht abgelehnt.")}
        )


def protokoll_abschliessen(*, konferenz: Projektkonferenz, protokollfuehrung: str, by):
    """Signs the protocol off (name and date of the person keeping it): every agenda item has
    its Beschluss, and from now on nothing of the meeting changes."""
    _pflege_pruefen(konferenz, by)
    if not protokollfuehrung.strip():
        raise ValidationError(
            {"protokollfuehrung": _("Bitte geben Sie an, wer das Protokoll geführt hat.")}
        )
    with transaction.atomic():
        konferenz = sperren(konferenz)
        offen_pruefen(konferenz)
        if konferenz.datum > timezone.localdate():
            raise ValidationError(
                _("Das Protokoll wird erst nach der Konferenz (%(datum)s) abgeschlossen.")
                % {"datum": konferenz.datum.strftime("%d.%m.%Y")}
            )
        entschieden = konferenz.beschluesse.values_list("antrag_id", flat=True)
        offen = sorted(
            konferenz.tagesordnung.exclude(pk__in=entschieden).values_list(
                "aktenzeichen", flat=True
            )
        )
        if offen:
            raise ValidationError(
                _(
                    "Zu %(liste)s fehlt noch der Beschluss (auch „vertagt“ ist einer): Das "
                    "Protokoll kann erst danach abgeschlossen werden."
                )
                % {"liste": ", ".join(offen)}
            )
        konferenz.protokollfuehrung = protokollfuehrung.strip()
        konferenz.protokoll_abgeschlossen_am = timezone.now()
        konferenz.protokoll_abgeschlossen_von = by
        konferenz.quorum = quorum(konferenz)
        konferenz.save(
            update_fields=[
                "protokollfuehrung",
                "protokoll_abgeschlossen_am",
                "protokoll_abgeschlossen_von",
                "quorum",
            ]
        )
    return konferenz
