"""Aktionsräume (and Aktionsquartiere), the Beauftragte who look after them, and what their
pages show: texts, outline, documents and key figures."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern.speicher import private_storage


class Zustaendigkeit(models.TextChoices):
    STADTERNEUERUNG = "stadterneuerung", _("Stadterneuerung")
    DEZERNAT = "dezernat", _("Dezernat für Arbeit, Gesundheit, Soziales, Sport und Freizeit")


class Gebietsart(models.TextChoices):
    AKTIONSRAUM = "aktionsraum", _("Aktionsraum")
    AKTIONSQUARTIER = "aktionsquartier", _("Aktionsquartier")


TEXT_HILFE = _(
    "Einfacher Text: Absätze durch eine Leerzeile, Adressen (https://…) werden zu Links. "
    "HTML wird nicht übernommen."
)


class Beauftragte(models.Model):
    """A contact person on site; one person may look after several areas."""

    name = models.CharField(_("Name"), max_length=200)
    funktion = models.CharField(
        _("Funktion"),
        max_length=300,
        help_text=_("Wie auf der Karte gezeigt, z. B. „Aktionsraumbeauftragte Hörde“."),
    )
    funktion_en = models.CharField(
        _("Funktion auf Englisch"),
        max_length=300,
        blank=True,
        help_text=_("Für die englischen Seiten. Leer: Dort steht die deutsche Funktion."),
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


# Checks other apps add before an area's last Haushaltsjahr is saved (e.g. the Anträge: no
# money or open Antrag in a later year); each raises a ValidationError. Filled from their
# AppConfig.ready, so that this app names none of them.
AUSSCHEIDEN_PRUEFUNGEN: list = []


class AktionsraumQuerySet(models.QuerySet):
    def active(self):
        """Shown on the website (current and retired areas alike)."""
        return self.filter(is_active=True)

    def im_jahr(self, jahr: int):
        """Part of the programme in that Haushaltsjahr: it gets a fund and takes Anträge."""
        return self.active().filter(Q(bis_jahr__isnull=True) | Q(bis_jahr__gte=jahr))

    def fuer_antraege(self):
        """The areas a new Antrag may name: those of this year's programme."""
        return self.im_jahr(timezone.localdate().year)


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

    # The page's texts, maintained by staff: plain text, paragraphs by a blank line, addresses
    # become links; nothing typed here reaches the page as HTML (quartiere/texte.py).
    einfuehrung = models.TextField(
        _("Einführung zum Aktionsraum"), blank=True, help_text=TEXT_HILFE
    )
    einfuehrung_en = models.TextField(
        _("Einführung zum Aktionsraum (Englisch)"),
        blank=True,
        help_text=_("Leer: Die englische Seite zeigt den deutschen Text mit einem Hinweis."),
    )
    arbeit = models.TextField(
        _("Die Arbeit der Aktionsraumbeauftragten"), blank=True, help_text=TEXT_HILFE
    )
    arbeit_en = models.TextField(
        _("Die Arbeit der Aktionsraumbeauftragten (Englisch)"),
        blank=True,
        help_text=_("Leer: Die englische Seite zeigt den deutschen Text mit einem Hinweis."),
    )
    # The Projektkonferenz decides only with this many voting members present (none set: one).
    konferenz_quorum = models.PositiveSmallIntegerField(
        _("Beschlussfähigkeit der Projektkonferenz"),
        null=True,
        blank=True,
        help_text=_(
            "So viele stimmberechtigte Mitglieder müssen anwesend und nicht befangen sein, "
            "damit die Projektkonferenz über einen Antrag beschließen kann. Leer: eines."
        ),
    )
    # Areas change over the years: one retires after its last Haushaltsjahr (no fund, no new
    # Anträge from the next year on; its page, Anträge and figures stay), maybe with a successor.
    bis_jahr = models.PositiveSmallIntegerField(
        _("Letztes Haushaltsjahr"),
        null=True,
        blank=True,
        help_text=_(
            "Leer: Das Gebiet gehört weiter zum Aktionsplan. Sonst: Ab dem folgenden Jahr gibt "
            "es keinen Aktionsraumfonds und keine neuen Anträge mehr; die Seite bleibt mit "
            "ihren Projekten und Zahlen, markiert „bis <Jahr>“."
        ),
    )
    nachfolger = models.ForeignKey(
        "self",
        verbose_name=_("Nachfolgendes Gebiet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vorgaenger",
        help_text=_("Das Gebiet, das an seine Stelle tritt (steht auf der Seite)."),
    )
    # The outline as a GeoJSON geometry (Polygon or MultiPolygon) in EPSG:4326, checked and, from
    # the city's EPSG:25832, converted by quartiere/karte.py on upload in the admin.
    umriss = models.JSONField(_("Umriss (GeoJSON)"), null=True, blank=True, editable=False)
    breite = models.DecimalField(
        _("Breitengrad"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_(
            "Ungefähre Mitte, z. B. 51.48800; zeigt eine Markierung, solange kein Umriss da ist."
        ),
    )
    laenge = models.DecimalField(
        _("Längengrad"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    objects = AktionsraumQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aktionsraum")
        verbose_name_plural = _("Aktionsräume")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(breite__isnull=True) & Q(laenge__isnull=True))
                | (Q(breite__gte=-90, breite__lte=90, laenge__gte=-180, laenge__lte=180)),
                name="aktionsraum_position_gueltig",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quartiere:detail", kwargs={"slug": self.slug})

    def im_jahr(self, jahr: int) -> bool:
        return self.is_active and (self.bis_jahr is None or self.bis_jahr >= jahr)

    @property
    def ehemalig(self) -> bool:
        """Retired: no longer part of this year's programme."""
        return self.bis_jahr is not None and self.bis_jahr < timezone.localdate().year

    def clean(self):
        if self.nachfolger_id and self.nachfolger_id == self.pk:
            raise ValidationError(
                {"nachfolger": _("Ein Gebiet kann nicht sein eigener Nachfolger sein.")}
            )
        if self.nachfolger_id and not self.bis_jahr:
            raise ValidationError(
                {
                    "bis_jahr": _(
                        "Mit einem Nachfolger braucht das Gebiet sein letztes Haushaltsjahr."
                    )
                }
            )
        nachfolger = self.nachfolger if self.nachfolger_id else None
        if nachfolger is not None and self.bis_jahr and not nachfolger.im_jahr(self.bis_jahr + 1):
            raise ValidationError(
                {
                    "nachfolger": _(
                        "Der Nachfolger muss ab %(jahr)d zum Aktionsplan gehören und auf der "
                        "Website stehen."
                    )
                    % {"jahr": self.bis_jahr + 1}
                }
            )
        for pruefen in AUSSCHEIDEN_PRUEFUNGEN:
            pruefen(self)


class Dokument(models.Model):
    """A PDF for the district page (map, Kennzahlen report, flyer), uploaded by staff.

    Its public address stays the same when the file is replaced; each version is served under
    an address of its own with long caching (quartiere/views.py)."""

    aktionsraum = models.ForeignKey(
        Aktionsraum, verbose_name=_("Aktionsraum"), on_delete=models.CASCADE,
        related_name="dokumente",
    )  # fmt: skip
    titel = models.CharField(_("Titel"), max_length=200)
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    beschreibung = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    datei = models.FileField(_("Datei (PDF)"), upload_to="dokumente/%Y/", storage=private_storage)
    groesse = models.PositiveIntegerField(_("Größe in Bytes"), default=0, editable=False)
    version = models.PositiveIntegerField(_("Fassung"), default=1, editable=False)
    geaendert_am = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-jahr", "titel", "pk"]

    def __str__(self):
        return f"{self.titel} ({self.jahr})"

    def get_absolute_url(self):
        return reverse("quartiere:dokument", kwargs={"slug": self.aktionsraum.slug, "pk": self.pk})


class Kennzahl(models.Model):
    """One key figure of one year (e.g. a share of the population) from a named source."""

    name = models.CharField(_("Kennzahl"), max_length=200)
    einheit = models.CharField(_("Einheit"), max_length=50, help_text=_("z. B. %, Personen"))
    quelle = models.CharField(_("Quelle"), max_length=300)
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    wert_dortmund = models.DecimalField(
        _("Wert für Dortmund insgesamt"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["name", "-jahr"]
        constraints = [
            models.UniqueConstraint(fields=["name", "jahr"], name="kennzahl_name_jahr_einmal")
        ]

    def __str__(self):
        return f"{self.name} ({self.jahr})"


class Kennzahlwert(models.Model):
    """The value of a key figure for one Aktionsraum."""

    kennzahl = models.ForeignKey(
        Kennzahl, verbose_name=_("Kennzahl"), on_delete=models.CASCADE, related_name="werte"
    )
    aktionsraum = models.ForeignKey(
        Aktionsraum, verbose_name=_("Aktionsraum"), on_delete=models.CASCADE,
        related_name="kennzahlwerte",
    )  # fmt: skip
    wert = models.DecimalField(_("Wert"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("Kennzahlwert")
        verbose_name_plural = _("Kennzahlwerte")
        ordering = ["kennzahl__name", "aktionsraum__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["kennzahl", "aktionsraum"], name="kennzahlwert_einmal_je_aktionsraum"
            )
        ]

    def __str__(self):
        return f"{self.kennzahl}: {self.aktionsraum}"

    @property
    def balken(self) -> dict:
        """Bar lengths (of 118) for the area and the city, for the small chart."""
        stadt = self.kennzahl.wert_dortmund or Decimal(0)
        groesster = max(abs(self.wert), abs(stadt)) or Decimal(1)

        def laenge(wert):
            return (max(wert, Decimal(0)) / groesster * 118).quantize(Decimal("0.1"))

        return {"gebiet": laenge(self.wert), "stadt": laenge(stadt)}
