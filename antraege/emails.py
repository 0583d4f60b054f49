"""Mails about an Antrag, kept in an outbox so that no mail outage loses one.

A mail is stored in the same transaction as the change it reports and sent after the commit;
a failure is recorded on the row and `manage.py mails_senden` retries it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import AusgehendeMail

log = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def status_url(antrag) -> str:
    with translation.override("de"):
        return _absolute(reverse("antraege:status", kwargs={"token": antrag.status_token}))


def eingang_vormerken(*, antrag) -> None:
    """Confirmation to the applicant; notice to the area's Beauftragte and the Projektbüro."""
    context = {"antrag": antrag, "status_url": status_url(antrag)}
    _vormerken(
        antrag=antrag,
        to=[antrag.email],
        template="eingangsbestaetigung",
        subject=f"Ihr Antrag {antrag.aktenzeichen} ist eingegangen",
        context=context,
    )
    intern_vormerken(antrag=antrag)


def intern_vormerken(*, antrag, anlass: str = "") -> None:
    """Notice to the area's Beauftragte and the Projektbüro: a new Antrag, or what changed."""
    intern = [b.email for b in antrag.aktionsraum.beauftragte.all() if b.email]
    if settings.PROJEKTBUERO_EMAIL:
        intern.append(settings.PROJEKTBUERO_EMAIL)
    if not intern:
        return
    betreff = (
        f"{anlass}: {antrag.aktenzeichen} ({antrag.aktionsraum.name})"
        if anlass
        else f"Neuer Antrag {antrag.aktenzeichen} ({antrag.aktionsraum.name})"
    )
    _vormerken(
        antrag=antrag,
        to=sorted(set(intern)),
        template="neuer_antrag",
        subject=betreff,
        context={
            "antrag": antrag,
            "anlass": anlass,
            "admin_url": _absolute(reverse("admin:antraege_antrag_change", args=[antrag.pk])),
        },
    )


def status_vormerken(*, antrag, kommentar: str = "") -> None:
    """Tells the applicant the new status, with the status link."""
    _vormerken(
        antrag=antrag,
        to=[antrag.email],
        template="statusaenderung",
        subject=f"Ihr Antrag {antrag.aktenzeichen}: {antrag.get_status_display()}",
        context={"antrag": antrag, "status_url": status_url(antrag), "kommentar": kommentar},
    )


def _vormerken(*, antrag, to, template, subject, context) -> AusgehendeMail:
    with translation.override("de"):
        text = render_to_string(f"antraege/mail/{template}.txt", context)
        html = render_to_string(f"antraege/mail/{template}.html", context)
    mail = AusgehendeMail.objects.create(
        antrag=antrag, empfaenger=to, betreff=subject, text=text, html=html
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
        message = EmailMultiAlternatives(
            subject=mail.betreff,
            body=mail.text,
            to=mail.empfaenger,
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        if mail.html:
            message.attach_alternative(mail.html, "text/html")
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
        mail.save(update_fields=["versuche", "letzter_fehler", "gesendet_am"])
        return True


def offene_mails_senden() -> tuple[int, int]:
    """Retries every unsent mail, oldest first. Returns (sent, still failing)."""
    ids = list(
        AusgehendeMail.objects.filter(gesendet_am__isnull=True)
        .order_by("erstellt_am", "id")
        .values_list("id", flat=True)
    )
    sent = sum(mail_senden(mail_id=i) for i in ids)
    return sent, len(ids) - sent
