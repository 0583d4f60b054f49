"""Mails about an Antrag, kept in an outbox so that no mail outage loses one.

A mail is stored in the same transaction as the change it reports and sent after the commit;
a failure is recorded on the row and `manage.py mails_senden` retries it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from aktionsplan.kern.drosselung import email_schluessel
from antraege.selectors import hauptbuch, statusseite

from . import ablauf, statuslink
from .models import AusgehendeMail, Status

log = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _kontakte(antrag) -> dict:
    """The Antrag and whom the applicant can ask: the area's contacts and the Projektbüro."""
    return {
        "antrag": antrag,
        # Until the status link was opened once, nothing typed into the form (name, title)
        # goes into a mail: the address may belong to someone who never asked for it.
        "bestaetigt": antrag.adresse_bestaetigt_am is not None,
        "kontakte": list(antrag.aktionsraum.beauftragte.all()),
        "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
        "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
    }


def _an_antragsteller(*, antrag, template, betreff, **context) -> AusgehendeMail:
    """A mail to the applicant in the Antrag's language, with the status link and contacts.

    The outbox keeps "[Statuslink]"; the working link is put in when the mail is sent.
    A paper application without an address gets no mail: staff print the letter
    (`brief_fuer_druck`).
    """
    if not antrag.email:
        return None
    if not antrag.status_token_salt:
        # A link from before hashed links: its mails could not be sent again, so it is renewed.
        salt, token_hash = statuslink.neue_werte()
        antrag.status_token_salt, antrag.status_token_hash = salt, token_hash
        antrag.save(update_fields=["status_token_salt", "status_token_hash"])
    return _vormerken(
        antrag=antrag,
        to=[antrag.email],
        template=template,
        betreff=betreff,
        sprache=antrag.sprache or "de",
        mit_statuslink=True,
        context={**_kontakte(antrag), "status_url": statuslink.PLATZHALTER, **context},
    )


def eingang_vormerken(*, antrag, erneut: bool = False) -> None:
    """Confirmation to the applicant; notice to the area's Beauftragte and the Projektbüro.

    `erneut`: the same Antrag was sent again; only the applicant gets its link once more.
    """
    _an_antragsteller(
        antrag=antrag,
        template="eingangsbestaetigung",
        betreff=lambda: _("Ihr Antrag %(az)s ist eingegangen") % {"az": antrag.aktenzeichen},
        erneut=erneut,
        naechste=naechste_konferenz(antrag),
    )
    if not erneut:
        intern_vormerken(antrag=antrag)


def naechste_konferenz(antrag):
    """For an Antrag to the fund: the Projektkonferenz it goes to, by the day it came in."""
    return statusseite.konferenz_fuer_antrag(
        finanzierungsquelle=antrag.finanzierungsquelle,
        aktionsraum=antrag.aktionsraum,
        eingereicht_am=antrag.eingereicht_am,
    )


def intern_vormerken(*, antrag, anlass: str = "", text: str = "") -> None:
    """Notice to the area's Beauftragte and the Projektbüro: a new Antrag, or what changed;
    `text` is what the applicant wrote (an answer to a Rückfrage), quoted as theirs."""
    intern = [b.email for b in antrag.aktionsraum.beauftragte.all() if b.email]
    if settings.PROJEKTBUERO_EMAIL:
        intern.append(settings.PROJEKTBUERO_EMAIL)
    if not intern:
        return

    def betreff():
        if anlass:
            return f"{anlass}: {antrag.aktenzeichen} ({antrag.aktionsraum.name})"
        return _("Neuer Antrag %(az)s (%(raum)s)") % {
            "az": antrag.aktenzeichen,
            "raum": antrag.aktionsraum.name,
        }

    _vormerken(
        antrag=antrag,
        to=sorted(set(intern)),
        template="neuer_antrag",
        betreff=betreff,
        sprache=settings.LANGUAGE_CODE,
        context={
            "antrag": antrag,
            "anlass": anlass,
            "text": text,
            "admin_url": _absolute(reverse("admin:antraege_antrag_change", args=[antrag.pk])),
        },
    )


# Steps that need nothing from the applicant send no mail; the status page shows them.


def status_brief(*, antrag, kommentar: str = "", rueckforderung=None, heute=None) -> dict | None:
    """What the letter of the Antrag's (new) status says, or None for a step without one.

    The grant names the amount, a partial grant its reason, the conditions, the due date and
    what to hand in; the Rückfrage the question, a reply-by date and the contact; the
    Rückforderung the amount, the account to pay into and the reference to give.
    """
    if antrag.status in ablauf.STILLE_SCHRITTE:
        return None
    heute = heute or timezone.localdate()
    context = {
        "kommentar": kommentar,
        "nachweis_offen": antrag.status in ablauf.NACHWEIS_AUSSTEHEND,
        "Status": Status,
    }
    if antrag.status == Status.BEWILLIGT and antrag.bewilligter_betrag is not None:
        context["teilbewilligung"] = antrag.bewilligter_betrag < antrag.beantragter_betrag
    if antrag.status in (Status.AUSGEZAHLT, Status.TEILWEISE_AUSGEZAHLT):
        # What was paid, to which account (its last four digits) and when it arrives.
        context["auszahlung"] = antrag.auszahlungen.angeordnet().last()
        context["iban_ende"] = antrag.iban[-4:]
    if antrag.status == Status.RUECKFRAGE:
        context["antworten_bis"] = heute + timedelta(days=settings.RUECKFRAGE_ANTWORT_TAGE)
    if antrag.status == Status.RUECKFORDERUNG:
        context.update(
            hauptbuch.rueckzahlung_angaben(antrag=antrag, betrag=rueckforderung, heute=heute)
        )

    def betreff():
        return _("Ihr Antrag %(az)s: %(status)s") % {
            "az": antrag.aktenzeichen,
            "status": ablauf.stufe(antrag.status),
        }

    return {"template": "statusaenderung", "betreff": betreff, "context": context}


def status_vormerken(*, antrag, kommentar: str = "") -> AusgehendeMail | None:
    """Tells the applicant the new status, with the status link (not for internal steps)."""
    brief = status_brief(antrag=antrag, kommentar=kommentar)
    if brief is None:
        return None
    return _an_antragsteller(
        antrag=antrag, template=brief["template"], betreff=brief["betreff"], **brief["context"]
    )


def brief_fuer_druck(*, antrag) -> tuple[str, str]:
    """(subject, text) of the letter for the Antrag's current state, to print and post: the
    confirmation while it is new, else the letter of its status. It carries no status link:
    whoever prints it is staff, and the link would let them act as the applicant."""
    kommentar = ""
    letzte = antrag.verlauf.filter(nach=antrag.status).order_by("-zeitpunkt", "-pk").first()
    if letzte is not None:
        kommentar = letzte.kommentar
    context = {**_kontakte(antrag), "bestaetigt": True, "gedruckt": True}

    def eingang_betreff():
        return _("Ihr Antrag %(az)s ist eingegangen") % {"az": antrag.aktenzeichen}

    if antrag.status == Status.EINGEREICHT:
        template, betreff = "eingangsbestaetigung", eingang_betreff
        context["naechste"] = naechste_konferenz(antrag)
    else:
        brief = status_brief(antrag=antrag, kommentar=kommentar)
        if brief is None:  # an internal step: the letter of the status before says it all
            brief = {
                "template": "statusaenderung",
                "betreff": lambda: (
                    _("Ihr Antrag %(az)s: %(status)s")
                    % {"az": antrag.aktenzeichen, "status": ablauf.stufe(antrag.status)}
                ),
                "context": {"kommentar": kommentar, "Status": Status},
            }
        template, betreff = brief["template"], brief["betreff"]
        context.update(brief["context"])
    subject, text, _html = mail_rendern(
        template=template, betreff=betreff, sprache=antrag.sprache or "de", context=context
    )
    return subject, text


def status_vorschau(*, antrag, kommentar: str = "", rueckforderung=None):
    """(subject, text) of the letter a step would send, rendered as it will be, but nothing
    stored or sent; None when the step sends none. `antrag` carries the new values unsaved."""
    brief = status_brief(antrag=antrag, kommentar=kommentar, rueckforderung=rueckforderung)
    if brief is None:
        return None
    subject, text, _html = mail_rendern(
        template=brief["template"],
        betreff=brief["betreff"],
        sprache=antrag.sprache or "de",
        context={**_kontakte(antrag), "status_url": statuslink.PLATZHALTER, **brief["context"]},
    )
    return subject, text


def statuslink_vormerken(*, antrag) -> AusgehendeMail:
    """Sends the applicant a renewed status link (the old one no longer works)."""
    return _an_antragsteller(
        antrag=antrag,
        template="neuer_statuslink",
        betreff=lambda: _("Ihr Antrag %(az)s: neuer Statuslink") % {"az": antrag.aktenzeichen},
    )


def statuslink_erneut_vormerken(*, antrag) -> AusgehendeMail:
    """The link asked for on "Statuslink verloren?" (the same link; it stays valid)."""
    return _an_antragsteller(
        antrag=antrag,
        template="statuslink_erneut",
        betreff=lambda: _("Ihr Antrag %(az)s: Ihr Statuslink") % {"az": antrag.aktenzeichen},
    )


def entwurf_vormerken(*, entwurf) -> AusgehendeMail:
    """The link to go on with a form saved for later (kept until `gueltig_bis`)."""
    return _vormerken(
        antrag=None,
        entwurf=entwurf,
        to=[entwurf.email],
        template="entwurf_gespeichert",
        betreff=lambda: _("Ihr Antrag beim Aktionsplan: Link zum Weitermachen"),
        sprache=entwurf.sprache or "de",
        mit_statuslink=True,
        context={
            "entwurf_url": statuslink.PLATZHALTER,
            "gueltig_bis": entwurf.gueltig_bis,
            "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
            "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
        },
    )


def adresse_geaendert_vormerken(*, antrag, alte_email: str) -> AusgehendeMail:
    """Tells the old address that staff changed it (no link: that goes to the new one)."""
    return _vormerken(
        antrag=antrag,
        to=[alte_email],
        template="adresse_geaendert",
        betreff=lambda: (
            _("Ihr Antrag %(az)s: E-Mail-Adresse geändert") % {"az": antrag.aktenzeichen}
        ),
        sprache=antrag.sprache or "de",
        context=_kontakte(antrag),
    )


def nachweis_erinnerung_vormerken(*, antrag, ueberfaellig: bool) -> AusgehendeMail:
    """Reminds the applicant of the Verwendungsnachweis: before the due date or after it."""

    def betreff():
        if ueberfaellig:
            text = _("Ihr Antrag %(az)s: Verwendungsnachweis überfällig")
        else:
            text = _("Ihr Antrag %(az)s: Verwendungsnachweis bald fällig")
        return text % {"az": antrag.aktenzeichen}

    return _an_antragsteller(
        antrag=antrag,
        template="erinnerung_nachweis",
        betreff=betreff,
        ueberfaellig=ueberfaellig,
        ausgezahlt=hauptbuch.antrag_geldstand(antrag).netto_ausgezahlt,
    )


def wochenliste_vormerken(*, person, ueberfaellig, rueckfragen) -> AusgehendeMail:
    """The weekly list for one Beauftragte: overdue proofs and Rückfragen left unanswered."""
    return _vormerken(
        antrag=None,
        to=[person.email],
        template="wochenliste",
        betreff=lambda: (
            _("Aktionsplan: Ihre Wochenliste (%(n)d Vorgänge)")
            % {"n": len(ueberfaellig) + len(rueckfragen)}
        ),
        sprache=settings.LANGUAGE_CODE,
        context={
            "person": person,
            "ueberfaellig": ueberfaellig,
            "rueckfragen": rueckfragen,
            "admin_url": _absolute(reverse("admin:index")),
        },
    )


def einladung_vormerken(*, einladung, mitglied) -> AusgehendeMail:
    """The invitation to one member of the Projektkonferenz, with date, place and agenda as
    sent (from the second on: the changed invitation)."""
    konferenz = einladung.konferenz
    geaendert = einladung.nummer > 1
    return _vormerken(
        antrag=None,
        to=[mitglied.email],
        template="einladung",
        betreff=lambda: (
            (
                _("Geänderte Einladung: Projektkonferenz %(raum)s am %(datum)s")
                if geaendert
                else _("Einladung: Projektkonferenz %(raum)s am %(datum)s")
            )
            % {"raum": konferenz.aktionsraum.name, "datum": einladung.datum.strftime("%d.%m.%Y")}
        ),
        sprache=settings.LANGUAGE_CODE,
        context={
            "mitglied": mitglied,
            "konferenz": konferenz,
            "einladung": einladung,
            "geaendert": geaendert,
        },
    )


# A line of the mail that quotes what someone outside wrote starts with this.
ZITAT = "> "


def _html_zeilen(text: str) -> str:
    """The plain text for the HTML part: all of it escaped, our own addresses as links, but
    never an address inside a quoted line (someone else's words)."""
    zeilen = [
        escape(zeile) if zeile.startswith(ZITAT) else urlize(zeile, nofollow=True, autoescape=True)
        for zeile in text.split("\n")
    ]
    return mark_safe("\n".join(zeilen))  # noqa: S308 - every line escaped above


def mail_rendern(*, template, betreff, sprache, context) -> tuple[str, str, str]:
    """(subject, text, html) of one mail in `sprache`; the HTML part is the text, escaped."""
    with translation.override(sprache):
        subject = betreff() if callable(betreff) else betreff
        text = render_to_string(f"antraege/mail/{template}.txt", context)
        html = render_to_string(
            "antraege/mail/rahmen.html",
            {"text": _html_zeilen(text), "betreff": subject, "sprache": sprache},
        )
    return str(subject), text, html


def _vormerken(
    *, antrag, to, template, betreff, sprache, context, mit_statuslink=False, entwurf=None
) -> AusgehendeMail:
    subject, text, html = mail_rendern(
        template=template, betreff=betreff, sprache=sprache, context=context
    )
    mail = AusgehendeMail.objects.create(
        antrag=antrag,
        entwurf=entwurf,
        empfaenger=to,
        betreff=subject,
        text=text,
        html=html,
        mit_statuslink=mit_statuslink,
    )
    transaction.on_commit(lambda: mail_senden(mail_id=mail.pk))
    return mail


def mail_senden(*, mail_id: int) -> bool:
    """Sends one queued mail; records success or the error. Returns whether it was sent."""
    with transaction.atomic():
        mail = (
            AusgehendeMail.objects.select_for_update()
            .filter(pk=mail_id, gesendet_am__isnull=True)
            .first()
        )
        if mail is None:
            return False
        text, html = _link_einsetzen(mail)
        message = EmailMultiAlternatives(
            subject=mail.betreff,
            body=text,
            to=mail.empfaenger,
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        if html:
            message.attach_alternative(html, "text/html")
        mail.versuche += 1
        try:
            message.send()
        except Exception as exc:  # any transport error: keep the mail, record why
            log.warning("Mail %s not sent: %s", mail.pk, exc)
            mail.letzter_fehler = f"{type(exc).__name__}: {exc}"[:2000]
            mail.save(update_fields=["versuche", "letzter_fehler"])
            return False
        mail.gesendet_am = timezone.now()
        mail.letzter_fehler = ""
        mail.save(update_fields=["versuche", "letzter_fehler", "gesendet_am", "hinweis"])
        return True


def _link_einsetzen(mail: AusgehendeMail) -> tuple[str, str]:
    """The mail's text and HTML as they leave the portal. The link exists only there, never
    in the stored row, and only for the address it belongs to: a mail queued for an address
    that is no longer the Antrag's (or the draft's) goes out without it, with a note in the
    outbox (`hinweis`)."""
    text, html = mail.text, mail.html
    if not (mail.mit_statuslink and (mail.antrag_id or mail.entwurf_id)):
        return text, html
    traeger = mail.antrag if mail.antrag_id else mail.entwurf
    if _adressen(mail.empfaenger) == _adressen([traeger.email]):
        if mail.antrag_id:
            url = statuslink.url_fuer(mail.antrag)
        else:
            url = statuslink.entwurf_url_fuer(mail.entwurf)
        ersatz_text, ersatz_html = url, format_html('<a href="{0}">{0}</a>', url)
    else:
        with translation.override(traeger.sprache or "de"):
            ersatz_text = str(
                _(
                    "(Der Link ist in dieser E-Mail nicht enthalten, weil die E-Mail-Adresse "
                    "inzwischen geändert wurde. Bitte wenden Sie sich an das Projektbüro.)"
                )
            )
        ersatz_html = escape(ersatz_text)
        mail.hinweis = _(
            "Ohne Statuslink gesendet: Die Empfängeradresse ist nicht mehr die Adresse des Antrags."
        )
    text = text.replace(statuslink.PLATZHALTER, ersatz_text)
    html = html.replace(statuslink.PLATZHALTER, ersatz_html)
    return text, html


def _adressen(liste) -> list[str]:
    return sorted(email_schluessel(a) for a in liste if a)


def offene_mails_senden() -> tuple[int, int]:
    """Retries every unsent mail, oldest first. Returns (sent, still failing)."""
    ids = list(
        AusgehendeMail.objects.filter(gesendet_am__isnull=True)
        .order_by("erstellt_am", "id")
        .values_list("id", flat=True)
    )
    sent = sum(mail_senden(mail_id=i) for i in ids)
    return sent, len(ids) - sent
