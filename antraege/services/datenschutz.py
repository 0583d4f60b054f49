"""Personal data kept only as long as allowed (DSGVO), and the right of access.

After an Antrag has reached a final state, its applicant's personal data are removed once the
retention period for that state (settings.AUFBEWAHRUNG_MONATE) has passed since the step into
it: names, address, e-mail, phone, bank account, the texts people wrote (answers, comments,
the proof's report) and every attachment file, in the Antrag, in its change history, in the
mail outbox and in the sessions. The Aktenzeichen, the amounts and bookings, the area, the
goals and the project's title stay, so that every budget figure and report is unchanged.
`manage.py personendaten_loeschen` runs this daily; it also deletes django-axes login records
older than AXES_PROTOKOLL_TAGE.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone

from aktionsplan.kern import seitencache
from aktionsplan.kern.speicher import private_storage

from .. import ablauf, statuslink
from ..models import (
    Anlage,
    Antrag,
    AusgehendeMail,
    Buchung,
    Entwurf,
    Status,
    StatusAenderung,
    Verwendungsnachweis,
    VorlaeufigeAnlage,
)
from .workflow import monate_spaeter

GELOESCHT = "[gelöscht]"
# What is removed from the Antrag and from each of its history rows.
PERSONENFELDER = {
    "organisation": "",
    "ansprechperson": GELOESCHT,
    "strasse": "",
    "plz": "",
    "wohnort": "",
    "email": "",
    "telefon": "",
    "kontoinhaber": "",
    "iban": "",
}
# What anonymising does to the public project page: gone, as if declined.
PROJEKTSEITE_GELOESCHT = {
    "oeffentlich_vorstellen": False,
    "vorstellung_text": "",
    "bericht_oeffentlich": "",
    "foto": "",
    "foto_beschreibung": "",
    "bildnachweis": "",
}
# The final states with a retention period (settings.AUFBEWAHRUNG_MONATE's keys).
ENDZUSTAENDE = [
    Status.ZURUECKGEZOGEN,
    Status.ABGELEHNT,
    Status.AUFGEHOBEN,
    Status.ABGESCHLOSSEN,
]
_SITZUNGSSCHLUESSEL = ("antrag_eingereicht", "antrag_doppelt")


def aufbewahrung_monate(status: str) -> int:
    return settings.AUFBEWAHRUNG_MONATE[status]


def faellige_antraege(jetzt=None):
    """Anträge whose retention period has passed and which still hold personal data."""
    jetzt = jetzt or timezone.now()
    seit = (
        StatusAenderung.objects.filter(antrag=OuterRef("pk"), nach=OuterRef("status"))
        .values("antrag")
        .annotate(m=Max("zeitpunkt"))
        .values("m")
    )
    kandidaten = Antrag.objects.filter(status__in=ENDZUSTAENDE, anonymisiert_am=None).annotate(
        endzustand_seit=Subquery(seit)
    )
    heute = timezone.localtime(jetzt).date()
    faellig = []
    for antrag in kandidaten.order_by("pk"):
        if antrag.endzustand_seit is None:
            continue
        beginn = timezone.localtime(antrag.endzustand_seit).date()
        if monate_spaeter(beginn, aufbewahrung_monate(antrag.status)) <= heute:
            faellig.append(antrag)
    return faellig


def antrag_anonymisieren(*, antrag: Antrag) -> None:
    """Removes the applicant's personal data of one Antrag everywhere; files last, after the
    database has committed (a failure leaves the rows as they were and the files in place)."""
    with transaction.atomic():
        antrag = Antrag.objects.select_for_update().get(pk=antrag.pk)
        if antrag.anonymisiert_am is not None:
            return
        dateien = list(antrag.anlagen.values_list("datei", flat=True))
        foto = antrag.foto.name
        salt, token_hash = statuslink.neue_werte()  # the old link ends
        # The project page goes too: nobody could take it down any more.
        Antrag.history.filter(id=antrag.pk).update(**PROJEKTSEITE_GELOESCHT)
        Antrag.objects.filter(pk=antrag.pk).update(
            **PERSONENFELDER,
            **PROJEKTSEITE_GELOESCHT,
            iban_pruefung_offen=False,
            status_token_salt=salt,
            status_token_hash=token_hash,
            anonymisiert_am=timezone.now(),
        )
        Antrag.history.filter(id=antrag.pk).update(**PERSONENFELDER)
        StatusAenderung.objects.filter(antrag=antrag).exclude(kommentar="").update(
            kommentar=GELOESCHT
        )
        # Staff notes name people too ("Frau X rief an, neue Nummer ...").
        StatusAenderung.objects.filter(antrag=antrag).exclude(interne_notiz="").update(
            interne_notiz=GELOESCHT
        )
        _aenderungen_anonymisieren(antrag)
        Verwendungsnachweis.objects.filter(antrag=antrag).update(bericht=GELOESCHT)
        Buchung.objects.filter(antrag=antrag).exclude(kommentar="").update(kommentar=GELOESCHT)
        Anlage.objects.filter(antrag=antrag).delete()
        AusgehendeMail.objects.filter(antrag=antrag).delete()
        _sitzungen_loeschen(antrag_pks={antrag.pk})

        def dateien_loeschen():
            for name in dateien:
                private_storage().delete(name)
            if foto:
                Antrag._meta.get_field("foto").storage.delete(foto)

        transaction.on_commit(dateien_loeschen)
        # The rows changed by update(): the public pages are read anew.
        transaction.on_commit(seitencache.veraltet)


def ohne_personendaten(aenderungen: list) -> list:
    """The applicant's changed fields without personal data and file names: what anonymising
    keeps, and what the right of access shows (an earlier address may be another person's)."""
    return [a for a in aenderungen if a["feld"] not in PERSONENFELDER and a["feld"] != "anlagen"]


def _aenderungen_anonymisieren(antrag) -> None:
    for zeile in StatusAenderung.objects.filter(antrag=antrag, durch_antragsteller=True):
        if zeile.aenderungen:
            zeile.aenderungen = ohne_personendaten(zeile.aenderungen)
            zeile.save(update_fields=["aenderungen"])


def _sitzungen_loeschen(*, antrag_pks: set[int]) -> int:
    """Ends expired sessions and every session that still points to one of these Anträge."""
    geloescht, _art = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    for sitzung in Session.objects.all().iterator():
        daten = sitzung.get_decoded()
        if any(daten.get(k) in antrag_pks for k in _SITZUNGSSCHLUESSEL):
            sitzung.delete()
            geloescht += 1
    return geloescht


@dataclass
class Loeschlauf:
    antraege: list[str] = field(default_factory=list)
    anmeldeprotokolle: int = 0
    entwuerfe: int = 0
    vorlaeufige_anlagen: int = 0


def personendaten_loeschen(*, jetzt=None, probe: bool = False) -> Loeschlauf:
    """The daily run: anonymises every Antrag due and deletes old login records."""
    jetzt = jetzt or timezone.now()
    lauf = Loeschlauf()
    for antrag in faellige_antraege(jetzt):
        lauf.antraege.append(antrag.aktenzeichen)
        if not probe:
            antrag_anonymisieren(antrag=antrag)
    grenze = jetzt - timedelta(days=settings.AXES_PROTOKOLL_TAGE)
    for modell in (AccessAttempt, AccessFailureLog, AccessLog):
        alte = modell.objects.filter(attempt_time__lt=grenze)
        lauf.anmeldeprotokolle += alte.count() if probe else alte.delete()[0]
    if probe:
        lauf.entwuerfe = Entwurf.objects.filter(gueltig_bis__lte=jetzt).count()
        lauf.vorlaeufige_anlagen = VorlaeufigeAnlage.objects.filter(gueltig_bis__lte=jetzt).count()
    else:
        from .entwurf import entwuerfe_aufraeumen

        lauf.entwuerfe, lauf.vorlaeufige_anlagen = entwuerfe_aufraeumen(jetzt=jetzt)
    return lauf


AUSKUNFT_FELDER_AUSGELASSEN = {"status_token_salt", "status_token_hash"}


def auskunft(*, email: str) -> tuple[bytes, int]:
    """Right of access (Art. 15 DSGVO): everything stored about one e-mail address, as one ZIP
    (auskunft.json, the attachment files and the drafts saved for later with their pending
    uploads), and nothing about another person. Returns (zip bytes, number of Anträge)."""
    email = email.strip()
    antraege = list(
        Antrag.objects.filter(email__iexact=email).select_related("aktionsraum", "haushaltsjahr")
    )
    historisch = Antrag.history.filter(email__iexact=email).exclude(id__in=[a.pk for a in antraege])
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(ausgabe, "w", zipfile.ZIP_DEFLATED) as archiv:
        eintraege = []
        for antrag in antraege:
            eintraege.append(_antrag_auskunft(antrag, archiv, email))
        daten = {
            "erstellt_am": timezone.now(),
            "email": email,
            "antraege": eintraege,
            # An Antrag whose address was changed later: the old address is in its history.
            "fruehere_angaben_in_anderen_antraegen": [
                _ohne_geheimnisse(model_to_dict(h)) | {"history_date": h.history_date}
                for h in historisch
            ],
            "mails_ohne_antrag": [
                _mail(m) for m in AusgehendeMail.objects.filter(antrag=None) if _an(m, email)
            ],
            "gespeicherte_entwuerfe": [
                _entwurf_auskunft(e, archiv)
                for e in Entwurf.objects.filter(email__iexact=email).order_by("pk")
            ],
        }
        archiv.writestr(
            "auskunft.json",
            json.dumps(daten, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    return ausgabe.getvalue(), len(antraege)


def _ohne_geheimnisse(daten: dict) -> dict:
    """The values without the secrets; a stored file as its name (the file itself is in the
    archive where it belongs to the person)."""
    return {
        k: (v.name if isinstance(v, FieldFile) else v)
        for k, v in daten.items()
        if k not in AUSKUNFT_FELDER_AUSGELASSEN
    }


def _an(mail: AusgehendeMail, email: str) -> bool:
    return email.lower() in [e.lower() for e in mail.empfaenger]


def _datei_ins_archiv(archiv: zipfile.ZipFile, datei, name: str) -> str | None:
    """Copies one stored file into the archive; None when it is gone from the storage."""
    try:
        with datei.open("rb") as f:
            archiv.writestr(name, f.read())
    except FileNotFoundError:
        return None
    return name


def _historie_fuer(h, email: str) -> dict:
    """One history row; a row from while the Antrag had another address is another person's
    (a contact changed by staff), so its personal fields are left out."""
    daten = _ohne_geheimnisse(model_to_dict(h))
    if (h.email or "").lower() != email.lower():
        daten = {k: v for k, v in daten.items() if k not in PERSONENFELDER}
    return daten | {"history_date": h.history_date, "history_type": h.history_type}


def _anlagen_ins_archiv(archiv: zipfile.ZipFile, anlagen, ordner: str) -> list[dict]:
    """Each file into `ordner`/Anlage-N.<ext>, with what is known about it."""
    eintraege = []
    for nummer, anlage in enumerate(anlagen.order_by("pk"), start=1):
        endung = anlage.datei.name.rsplit(".", 1)[-1]
        eintrag = {
            "dateiname": anlage.dateiname,
            "groesse": anlage.groesse,
            "hochgeladen_am": anlage.hochgeladen_am,
        }
        if hasattr(anlage, "verwendungsnachweis_id"):
            eintrag["verwendungsnachweis"] = anlage.verwendungsnachweis_id
        name = f"{ordner}/Anlage-{nummer}.{endung}"
        eintrag["im_archiv"] = _datei_ins_archiv(archiv, anlage.datei, name)
        eintraege.append(eintrag)
    return eintraege


def _entwurf_auskunft(entwurf: Entwurf, archiv: zipfile.ZipFile) -> dict:
    anlagen = _anlagen_ins_archiv(archiv, entwurf.anlagen, f"Entwurf-{entwurf.pk}")
    return {
        "angaben": entwurf.daten,
        "sprache": entwurf.sprache,
        "gespeichert_am": entwurf.gespeichert_am,
        "geloescht_ab": entwurf.gueltig_bis,
        "anlagen": anlagen,
    }


def _antrag_auskunft(antrag: Antrag, archiv: zipfile.ZipFile, email: str) -> dict:
    anlagen = _anlagen_ins_archiv(archiv, antrag.anlagen, antrag.aktenzeichen)
    # The project page's photo, as stored (re-encoded), with the Antrag's files.
    foto = (
        _datei_ins_archiv(archiv, antrag.foto, f"{antrag.aktenzeichen}/projektseite-foto.jpg")
        if antrag.foto
        else None
    )
    return {
        "projektseite_foto": foto,
        "antrag": _ohne_geheimnisse(model_to_dict(antrag))
        | {
            "aktenzeichen": antrag.aktenzeichen,
            "aktionsraum": antrag.aktionsraum.name,
            "status": ablauf.stufe(antrag.status),
            "eingereicht_am": antrag.eingereicht_am,
        },
        "kostenplan": list(antrag.kosten.values("beschreibung", "betrag")),
        "statusverlauf": [
            zeile | {"aenderungen": ohne_personendaten(zeile["aenderungen"])}
            for zeile in antrag.verlauf.values(
                "zeitpunkt", "von", "nach", "durch_antragsteller", "kommentar", "aenderungen"
            )
        ],
        "aenderungshistorie": [_historie_fuer(h, email) for h in antrag.history.all()],
        "buchungen": list(
            antrag.buchungen.values("art", "betrag", "datum", "referenz", "kommentar")
        ),
        "verwendungsnachweise": [
            {
                "eingereicht_am": n.eingereicht_am,
                "eingang": n.eingang,
                "eingegangen_am": n.eingegangen_am,
                "bericht": n.bericht,
                "gesamtausgaben": n.gesamtausgaben,
                "eigenmittel": n.eigenmittel,
                "eigenleistung": n.eigenleistung,
                "drittmittel": n.drittmittel,
                "ausgegebener_betrag": n.ausgegebener_betrag,
                "positionen": list(n.positionen.values("beschreibung", "geplant", "ausgegeben")),
            }
            for n in antrag.verwendungsnachweise.all()
        ],
        "anlagen": anlagen,
        "mails": [_mail(m) for m in antrag.mails.all() if _an(m, email)],
    }


def _mail(mail: AusgehendeMail) -> dict:
    return {
        "erstellt_am": mail.erstellt_am,
        "gesendet_am": mail.gesendet_am,
        "empfaenger": mail.empfaenger,
        "betreff": mail.betreff,
        # The outbox keeps "[Statuslink]" in place of the link: the link is never stored.
        "text": mail.text,
    }
