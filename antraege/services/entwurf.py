"""Forms not sent yet: pending uploads kept for one form, and drafts saved for later.

A draft is found only by its secret (`Entwurf` in models.py); every pending upload is looked
up through the draft of the form that posts, so that no form can see or remove another one's
files. What has expired is never found, and `entwuerfe_aufraeumen` deletes it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aktionsplan.kern import dateipruefung

from .. import emails, statuslink
from ..models import Entwurf, VorlaeufigeAnlage
from .einreichung import MAX_ANLAGEN, anlage_pruefen

# What a draft keeps of a post: the values typed, not the keys of the page itself.
NICHT_GESPEICHERT = {
    "csrfmiddlewaretoken",
    "entwurf",
    "formular_start",
    "webseite",
    "anlagen",
    "anlage_entfernen",
    "kosten_hinzufuegen",
    "neu_berechnen",
    "pruefen",
    "absenden",
    "aendern",
    "spaeter",
    "beantragter_betrag",
}


def _bis(**dauer):
    return timezone.now() + timedelta(**dauer)


def entwurf_anlegen(
    *, sprache: str = "de", zweck: str = Entwurf.Zweck.ANTRAG, antrag=None
) -> tuple[Entwurf, str]:
    """A new draft of one form (`zweck`; an answer's or a Nachweis's of `antrag`) and its
    token (which only the form and the mailed link carry)."""
    salt, token_hash = statuslink.neue_werte()
    entwurf = Entwurf.objects.create(
        token_salt=salt,
        token_hash=token_hash,
        sprache=sprache,
        zweck=zweck,
        antrag=antrag,
        gueltig_bis=_bis(hours=settings.ENTWURF_STUNDEN),
    )
    return entwurf, statuslink.token_aus_salt(salt)


def entwurf_fuer_token(
    token: str, *, zweck: str = Entwurf.Zweck.ANTRAG, antrag=None
) -> Entwurf | None:
    """The draft of a token, if it has not expired and belongs to this form (and Antrag)."""
    if not token or len(token) > 64:
        return None
    return Entwurf.objects.filter(
        token_hash=statuslink.token_hash(token),
        gueltig_bis__gt=timezone.now(),
        zweck=zweck,
        antrag=antrag,
    ).first()


def entwurf_token(entwurf: Entwurf) -> str:
    return statuslink.token_aus_salt(entwurf.token_salt)


def gueltige_anlagen(entwurf: Entwurf | None):
    if entwurf is None:
        return VorlaeufigeAnlage.objects.none()
    return entwurf.anlagen.filter(gueltig_bis__gt=timezone.now())


def client_schluessel(adresse: str) -> str:
    """A client address as pending uploads keep it: a keyed hash, not the address."""
    return statuslink.token_hash(f"client:{adresse}")


def _platz_pruefen(*, client: str, neu: int) -> None:
    """Refuses files beyond the caps on pending uploads: per client, and in all. The last
    `VORLAEUFIGE_ANLAGEN_RESERVE_MB` of the total are kept for clients with nothing pending
    yet, each up to `VORLAEUFIGE_ANLAGEN_RESERVE_JE_CLIENT_MB`: clients that fill the pool
    cannot crowd out the next applicant. Called under a lock that serialises uploads (see
    anlagen_vormerken), so that two at once cannot both take the last room."""
    mb = 1024 * 1024
    gueltig = VorlaeufigeAnlage.objects.filter(gueltig_bis__gt=timezone.now())
    # Files of a draft saved for later are kept as long as the draft: they count in the pool,
    # not against the connection (which others behind it, e.g. a school's, share).
    eigene = (
        gueltig.filter(client=client, entwurf__gespeichert_am=None).aggregate(s=Sum("groesse"))["s"]
        or 0
    )
    if eigene + neu > settings.VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB * mb:
        raise ValidationError(
            _(
                "Von Ihrem Anschluss liegen schon %(mb)d MB ausgewählter Dateien bei uns, die "
                "noch zu keinem Antrag gehören. Bitte senden Sie erst einen Antrag ab oder "
                "versuchen Sie es morgen noch einmal."
            )
            % {"mb": eigene // mb}
        )
    gesamt = gueltig.aggregate(s=Sum("groesse"))["s"] or 0
    grenze = settings.VORLAEUFIGE_ANLAGEN_GESAMT_MB * mb
    fuer_alle = grenze - settings.VORLAEUFIGE_ANLAGEN_RESERVE_MB * mb
    neu_hier = eigene == 0 and neu <= settings.VORLAEUFIGE_ANLAGEN_RESERVE_JE_CLIENT_MB * mb
    if gesamt + neu <= fuer_alle or (neu_hier and gesamt + neu <= grenze):
        return
    raise ValidationError(
        _(
            "Zurzeit können wir keine Dateien annehmen. Bitte versuchen Sie es morgen "
            "noch einmal oder senden Sie die Unterlagen nach dem Absenden per E-Mail an "
            "das Projektbüro."
        )
    )


def _uploads_sperren() -> None:
    """One upload at a time checks and takes room: a transaction-scoped advisory lock on
    PostgreSQL; SQLite's write transaction (IMMEDIATE) already serialises."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [UPLOAD_SPERRE])


# The advisory lock's key (any fixed number no other part of the portal uses).
UPLOAD_SPERRE = 4_711_001


def anlagen_vormerken(
    *,
    entwurf: Entwurf,
    dateien,
    client: str = "",
    hoechstens: int = MAX_ANLAGEN,
    platz: int | None = None,
) -> list[VorlaeufigeAnlage]:
    """Checks the files one by one (as for an Antrag) and keeps them for the form's draft.
    Nothing is kept when one is refused, when the draft would hold more than `hoechstens`
    (an Antrag's `MAX_ANLAGEN`, a Verwendungsnachweis's `MAX_BELEGE`), or when the client or
    all clients together hold too much not sent yet (`client` is `client_schluessel` of the
    address). `platz`: the bytes the Antrag still has for files (`einreichung.belegter_platz`),
    so that 50 MB too many are said when chosen, not only when sent."""
    dateien = [d for d in dateien if d]
    if not dateien:
        return []
    with transaction.atomic():
        _uploads_sperren()
        _platz_pruefen(client=client, neu=sum(d.size for d in dateien))
        entwurf = Entwurf.objects.select_for_update().get(pk=entwurf.pk)
        vorhanden = gueltige_anlagen(entwurf).count()
        if hoechstens <= 0:
            raise ValidationError(_("Zu diesem Antrag können keine weiteren Dateien hinzukommen."))
        if vorhanden + len(dateien) > hoechstens and not vorhanden:
            raise ValidationError(
                _("Bitte laden Sie höchstens %(max)d Dateien hoch.") % {"max": hoechstens}
            )
        if vorhanden + len(dateien) > hoechstens:
            raise ValidationError(
                _(
                    "Bitte wählen Sie höchstens %(max)d Dateien; %(bisher)d sind schon "
                    "ausgewählt. Entfernen Sie eine, wenn Sie eine andere hochladen möchten."
                )
                % {"max": hoechstens, "bisher": vorhanden}
            )
        if platz is not None:
            gewaehlt = gueltige_anlagen(entwurf).aggregate(s=Sum("groesse"))["s"] or 0
            if gewaehlt + sum(d.size for d in dateien) > platz:
                raise ValidationError(
                    _(
                        "Zu einem Antrag können höchstens 50 MB an Dateien gespeichert werden; "
                        "mit diesen Dateien wären es mehr. Bitte laden Sie kleinere Dateien "
                        "hoch, zum Beispiel Fotos in geringerer Auflösung oder PDFs ohne Bilder."
                    )
                )
        typen = [anlage_pruefen(d) for d in dateien]
        neu = []
        gespeichert = []
        try:
            for datei, typ in zip(dateien, typen, strict=True):
                anlage = VorlaeufigeAnlage(
                    entwurf=entwurf,
                    dateiname=(datei.name or "Anlage")[:255],
                    content_type=typ,
                    groesse=datei.size,
                    gueltig_bis=_bis(hours=settings.VORLAEUFIGE_ANLAGE_STUNDEN),
                    client=client,
                )
                datei.seek(0)
                anlage.datei.save(f"{secrets.token_hex(16)}.bin", datei, save=False)
                gespeichert.append(anlage.datei.name)
                anlage.save()
                neu.append(anlage)
        except Exception:
            for name in gespeichert:
                VorlaeufigeAnlage.datei.field.storage.delete(name)
            raise
    return neu


def anlage_entfernen(*, entwurf: Entwurf | None, anlage_id) -> bool:
    """Removes one pending upload of this draft; an id of another form's file (or none)
    changes nothing and returns False."""
    try:
        anlage_id = int(anlage_id)
    except (TypeError, ValueError):
        return False
    anlage = gueltige_anlagen(entwurf).filter(pk=anlage_id).first()
    if anlage is None:
        return False
    _loeschen([anlage])
    return True


def anlagen_als_dateien(entwurf: Entwurf | None) -> list[File]:
    """The pending uploads as files for the services, under their own names. Each was checked
    when it was chosen and is read back from private storage: it is not checked again."""
    dateien = []
    for anlage in gueltige_anlagen(entwurf):
        datei = File(anlage.datei.open("rb"), name=anlage.dateiname)
        dateipruefung.als_geprueft(datei, anlage.content_type)
        dateien.append(datei)
    return dateien


def daten_aus_post(post, felder: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The values of `post` a draft keeps: only the form's own fields (`felder`: name ->
    (how many values, how many characters), from the form), cut to their lengths; the
    page's own keys (token, buttons, honeypot) never."""
    daten = {}
    for name, werte in post.lists():
        if name in NICHT_GESPEICHERT or name not in felder:
            continue
        anzahl, laenge = felder[name]
        # Trimmed before it is cut, as the form trims it: " 44135" stays "44135".
        daten[name] = [str(w).strip()[:laenge] for w in werte[:anzahl]]
    return daten


def entwurf_speichern(*, entwurf: Entwurf, daten: dict, email: str, sprache: str) -> Entwurf:
    """Keeps the values typed so far for `ENTWURF_TAGE` days and mails the link to go on.
    The mailed link is a new one: whoever still holds the form page (its token) no longer
    reaches the draft, only the mailbox does."""
    with transaction.atomic():
        entwurf = Entwurf.objects.select_for_update().get(pk=entwurf.pk)
        entwurf.token_salt, entwurf.token_hash = statuslink.neue_werte()
        entwurf.daten = daten
        entwurf.email = email
        entwurf.sprache = sprache
        entwurf.gespeichert_am = timezone.now()
        entwurf.gueltig_bis = _bis(days=settings.ENTWURF_TAGE)
        entwurf.save()
        # The files chosen so far are kept as long as the draft.
        entwurf.anlagen.update(gueltig_bis=entwurf.gueltig_bis)
        emails.entwurf_vormerken(entwurf=entwurf)
    return entwurf


def entwurf_erledigt(entwurf: Entwurf | None) -> None:
    """The Antrag is sent: the draft and its files go (the files once the commit is done)."""
    if entwurf is None:
        return
    _loeschen(list(entwurf.anlagen.all()))
    entwurf.delete()


def entwuerfe_aufraeumen(*, jetzt=None) -> tuple[int, int]:
    """Deletes expired drafts and expired pending uploads. Returns (drafts, files)."""
    jetzt = jetzt or timezone.now()
    abgelaufen = Entwurf.objects.filter(gueltig_bis__lte=jetzt)
    dateien = list(VorlaeufigeAnlage.objects.filter(gueltig_bis__lte=jetzt)) + list(
        VorlaeufigeAnlage.objects.filter(entwurf__in=abgelaufen, gueltig_bis__gt=jetzt)
    )
    _loeschen(dateien)
    return abgelaufen.delete()[1].get("antraege.Entwurf", 0), len(dateien)


def _loeschen(anlagen) -> None:
    namen = [a.datei.name for a in anlagen if a.datei]
    VorlaeufigeAnlage.objects.filter(pk__in=[a.pk for a in anlagen]).delete()
    storage = VorlaeufigeAnlage.datei.field.storage

    def dateien_weg():
        for name in namen:
            storage.delete(name)

    transaction.on_commit(dateien_weg)
