"""The Projektkonferenz: attendees and the Beschlüsse on its agenda."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.models import Aktionsraum

from .antrag import Antrag
from .haushalt import MONEY


class Projektkonferenz(models.Model):
    """The local conference that decides how an Aktionsraumfonds is spent."""

    aktionsraum = models.ForeignKey(
        Aktionsraum,
        verbose_name=_("Aktionsraum"),
        on_delete=models.PROTECT,
        related_name="projektkonferenzen",
    )
    datum = models.DateField(_("Datum"))
    ort = models.CharField(_("Ort"), max_length=200)
    # Shown to residents: the date always, the place only for a meeting they may attend.
    oeffentlich = models.BooleanField(
        _("öffentlich"),
        default=False,
        help_text=_(
            "Angekreuzt: Bürgerinnen und Bürger können zuhören; der Ort steht auf der Seite des "
            "Aktionsraums. Sonst steht dort „nicht öffentlich“."
        ),
    )
    antragsschluss = models.DateField(
        _("Antragsschluss"),
        null=True,
        blank=True,
        help_text=_(
            "Anträge an den Aktionsraumfonds, die bis zu diesem Tag eingehen, kommen auf die "
            "Tagesordnung dieser Konferenz; spätere auf die der nächsten."
        ),
    )
    nachtrag_begruendung = models.TextField(
        _("Begründung für den Nachtrag"),
        blank=True,
        help_text=_(
            "Nur nötig, wenn die Konferenz mehr als 30 Tage zurückliegt (das darf nur das "
            "Projektbüro eintragen)."
        ),
    )
    tagesordnung = models.ManyToManyField(
        Antrag,
        verbose_name=_("Anträge auf der Tagesordnung"),
        blank=True,
        related_name="projektkonferenzen",
    )
    protokoll = models.TextField(_("Protokoll"), blank=True)
    history = HistoricalRecords(m2m_fields=[tagesordnung])

    class Meta:
        verbose_name = _("Projektkonferenz")
        verbose_name_plural = _("Projektkonferenzen")
        ordering = ["-datum", "id"]

    def __str__(self):
        return f"{self.aktionsraum} {self.datum:%d.%m.%Y}"

    def clean(self):
        if self.antragsschluss and self.datum and self.antragsschluss > self.datum:
            raise ValidationError(
                {"antragsschluss": _("Der Antragsschluss darf nicht nach der Konferenz liegen.")}
            )


class Rolle(models.TextChoices):
    BEZIRKSBUERGERMEISTER = "bezirksbuergermeister", _("Bezirksbürgermeister/in")
    BEZIRKSVERTRETUNG = "bezirksvertretung", _("Mitglied der Bezirksvertretung")
    BEAUFTRAGTE = "beauftragte", _("Aktionsraumbeauftragte/r")
    PROJEKTBUERO = "projektbuero", _("Projektbüro")
    BUERGERSCHAFT = "buergerschaft", _("Bewohnerin oder Bewohner")
    SONSTIGE = "sonstige", _("Sonstige")


class Teilnahme(models.Model):
    """One attendee of a Projektkonferenz, with the role in which they attend."""

    konferenz = models.ForeignKey(
        Projektkonferenz, on_delete=models.CASCADE, related_name="teilnahmen"
    )
    name = models.CharField(_("Name"), max_length=200)
    rolle = models.CharField(_("Rolle"), max_length=30, choices=Rolle.choices)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.get_rolle_display()})"


class Beschluss(models.Model):
    """The conference's decision on one Antrag of its agenda."""

    class Ergebnis(models.TextChoices):
        BEWILLIGT = "bewilligt", _("bewilligt")
        ABGELEHNT = "abgelehnt", _("abgelehnt")
        VERTAGT = "vertagt", _("vertagt")

    konferenz = models.ForeignKey(
        Projektkonferenz, on_delete=models.PROTECT, related_name="beschluesse"
    )
    antrag = models.ForeignKey(Antrag, on_delete=models.PROTECT, related_name="beschluesse")
    ergebnis = models.CharField(_("Ergebnis"), max_length=20, choices=Ergebnis.choices)
    betrag = models.DecimalField(_("Bewilligter Betrag"), **MONEY, null=True, blank=True)
    begruendung = models.TextField(_("Begründung"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Eingetragen von"), on_delete=models.PROTECT
    )
    gefasst_am = models.DateTimeField(_("Eingetragen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["konferenz", "antrag"], name="ein_beschluss_je_antrag_und_konferenz"
            ),
            models.CheckConstraint(
                condition=~Q(ergebnis="bewilligt") | Q(betrag__gt=0),
                name="beschluss_bewilligt_mit_betrag",
            ),
        ]

    def __str__(self):
        return f"{self.antrag.aktenzeichen}: {self.get_ergebnis_display()}"
