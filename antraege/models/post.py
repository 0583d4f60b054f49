"""The mail outbox and the reminders already sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .antrag import Antrag


class Erinnerung(models.Model):
    """One reminder sent; its key makes every occasion a single mail, however often cron runs."""

    class Anlass(models.TextChoices):
        NACHWEIS_BALD = "nachweis_bald", _("Verwendungsnachweis bald fällig")
        NACHWEIS_UEBERFAELLIG = "nachweis_ueberfaellig", _("Verwendungsnachweis überfällig")
        WOCHENLISTE = "wochenliste", _("Wochenliste an Beauftragte")

    schluessel = models.CharField(_("Schlüssel"), max_length=100, unique=True)
    anlass = models.CharField(_("Anlass"), max_length=30, choices=Anlass.choices)
    antrag = models.ForeignKey(
        Antrag, on_delete=models.CASCADE, null=True, blank=True, related_name="erinnerungen"
    )
    gesendet_am = models.DateTimeField(_("Gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-gesendet_am"]

    def __str__(self):
        return self.schluessel


class AusgehendeMail(models.Model):
    """Outbox: mails are stored with the change that causes them and sent after the commit.

    A failed delivery stays here with its error and is retried by `manage.py mails_senden`.
    """

    antrag = models.ForeignKey(
        Antrag, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    # The link to a draft saved for later; gone with the draft, so is the unsent mail.
    entwurf = models.ForeignKey(
        "Entwurf", on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    empfaenger = models.JSONField(_("Empfänger"))
    betreff = models.CharField(_("Betreff"), max_length=300)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    erstellt_am = models.DateTimeField(_("Erstellt am"), auto_now_add=True)
    gesendet_am = models.DateTimeField(_("Gesendet am"), null=True, blank=True)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    letzter_fehler = models.TextField(_("Letzter Fehler"), blank=True)
    # The text holds "[Statuslink]"; the applicant's link is put in only when it is sent.
    mit_statuslink = models.BooleanField(_("Mit Statuslink"), default=False, editable=False)
    # Why something was left out when it was sent (e.g. the link, the address had changed).
    hinweis = models.TextField(_("Hinweis"), blank=True, editable=False)

    class Meta:
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")
        ordering = ["-erstellt_am"]

    def __str__(self):
        return self.betreff
