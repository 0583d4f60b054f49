"""Aktionsräume (and Aktionsquartiere) and the Beauftragte who look after them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Zustaendigkeit(models.TextChoices):
    STADTERNEUERUNG = "stadterneuerung", _("Stadterneuerung")
    DEZERNAT = "dezernat", _("Dezernat für Arbeit, Gesundheit, Soziales, Sport und Freizeit")


class Gebietsart(models.TextChoices):
    AKTIONSRAUM = "aktionsraum", _("Aktionsraum")
    AKTIONSQUARTIER = "aktionsquartier", _("Aktionsquartier")


class Beauftragte(models.Model):
    """A contact person on site; one person may look after several areas."""

    name = models.CharField(_("Name"), max_length=200)
    funktion = models.CharField(
        _("Funktion"),
        max_length=300,
        help_text=_("Wie auf der Karte gezeigt, z. B. „Aktionsraumbeauftragte Hörde“."),
    )
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    adresse = models.CharField(_("Adresse"), max_length=300, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beauftragte",
    )

    class Meta:
        verbose_name = _("Beauftragte")
        verbose_name_plural = _("Beauftragte")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def telefon_uri(self):
        """The number as a tel: URI in international form: (0231) 50-27316 -> tel:+492315027316."""
        digits = "".join(ch for ch in self.telefon if ch.isdigit() or ch == "+")
        if digits.startswith("0"):
            digits = "+49" + digits[1:]
        return f"tel:{digits}" if digits else ""


class AktionsraumQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Aktionsraum(models.Model):
    """One of the districts of the Aktionsplan; staff can add, rename or retire areas."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    art = models.CharField(
        _("Art"), max_length=20, choices=Gebietsart.choices, default=Gebietsart.AKTIONSRAUM
    )
    zustaendigkeit = models.CharField(
        _("Betreut von"), max_length=20, choices=Zustaendigkeit.choices
    )
    stadtbezirk = models.CharField(_("Stadtbezirk"), max_length=100)
    kurzbeschreibung = models.TextField(_("Kurzbeschreibung"), blank=True)
    beauftragte = models.ManyToManyField(
        Beauftragte, verbose_name=_("Beauftragte"), blank=True, related_name="aktionsraeume"
    )
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Nicht mehr aktive Gebiete verschwinden von der Website; Anträge bleiben."),
    )

    objects = AktionsraumQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aktionsraum")
        verbose_name_plural = _("Aktionsräume")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quartiere:detail", kwargs={"slug": self.slug})
