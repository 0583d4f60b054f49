"""The budget year and its pots (the Aktionsraumfonds); the money field every model uses."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.models import Aktionsraum

MONEY = {"max_digits": 12, "decimal_places": 2}


ZERO = Decimal("0.00")


class Haushaltsjahr(models.Model):
    """One budget year: the total project budget, which includes the Aktionsraumfonds."""

    jahr = models.PositiveSmallIntegerField(_("Jahr"), unique=True)
    gesamtbudget = models.DecimalField(
        _("Projektbudget gesamt"), **MONEY, default=Decimal("226000.00")
    )
    fonds_je_aktionsraum = models.DecimalField(
        _("Aktionsraumfonds je Aktionsraum"),
        **MONEY,
        default=Decimal("5000.00"),
        help_text=_("Betrag, mit dem der Fonds eines Aktionsraums in diesem Jahr angelegt wird."),
    )
    nachweis_frist_monate = models.PositiveSmallIntegerField(
        _("Frist für den Verwendungsnachweis (Monate)"),
        default=3,
        help_text=_(
            "So viele Monate nach dem Projektende ist der Verwendungsnachweis fällig. Gilt für "
            "Bewilligungen in diesem Haushaltsjahr."
        ),
    )
    # Unspent money up to this amount need not be reclaimed: the case is closed with a
    # recorded reason instead (a Rückforderung would cost more than it brings). 0: always
    # reclaimed. Read from the year of the Antrag's grant.
    kleinbetragsgrenze = models.DecimalField(
        _("Kleinbetragsgrenze"),
        **MONEY,
        default=Decimal("0.00"),
        help_text=_(
            "Nicht verbrauchtes Geld bis zu diesem Betrag muss nicht zurückgefordert werden: "
            "Der Vorgang kann mit einer Begründung abgeschlossen werden. 0 heißt: immer "
            "zurückfordern."
        ),
    )
    # A year that a submission created for its Aktenzeichen has no budget yet: grants into it
    # are refused until staff have entered its amounts and set it up.
    eingerichtet = models.BooleanField(
        _("Budget eingerichtet"),
        default=False,
        help_text=_(
            "Erst wenn das Projektbüro die Beträge dieses Jahres eingetragen und hier bestätigt "
            "hat, kann in diesem Jahr bewilligt werden. Dabei wird für jeden aktiven "
            "Aktionsraum ein Fonds angelegt."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Haushaltsjahr")
        verbose_name_plural = _("Haushaltsjahre")
        ordering = ["-jahr"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gesamtbudget__gte=0)
                & Q(fonds_je_aktionsraum__gte=0)
                & Q(kleinbetragsgrenze__gte=0),
                name="haushaltsjahr_betraege_nicht_negativ",
            )
        ]

    def __str__(self):
        return str(self.jahr)


class Aktionsraumfonds(models.Model):
    """The fund of one Aktionsraum in one year; part of the year's total."""

    haushaltsjahr = models.ForeignKey(
        Haushaltsjahr,
        verbose_name=_("Haushaltsjahr"),
        on_delete=models.PROTECT,
        related_name="fonds",
    )
    aktionsraum = models.ForeignKey(
        Aktionsraum,
        verbose_name=_("Aktionsraum"),
        on_delete=models.PROTECT,
        related_name="fonds",
    )
    betrag = models.DecimalField(_("Betrag"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Aktionsraumfonds")
        verbose_name_plural = _("Aktionsraumfonds")
        ordering = ["haushaltsjahr", "aktionsraum__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["haushaltsjahr", "aktionsraum"], name="ein_fonds_je_aktionsraum_und_jahr"
            ),
            models.CheckConstraint(condition=Q(betrag__gte=0), name="fonds_nicht_negativ"),
        ]

    def __str__(self):
        return f"{self.aktionsraum} {self.haushaltsjahr}"
