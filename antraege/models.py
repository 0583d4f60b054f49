"""Haushaltsjahr and its pots, Anträge with Kostenplan and Anlagen, bookings and the mail outbox.

Data and small derived properties only; every rule lives in `antraege/services.py`.
"""

import os
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from localflavor.generic.models import IBANField

from quartiere.models import Aktionsraum

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read on every access), with no public URL at all."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    """Attachments live outside every public URL; only access-checked views serve them."""
    return PrivateStorage()


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

    class Meta:
        verbose_name = _("Haushaltsjahr")
        verbose_name_plural = _("Haushaltsjahre")
        ordering = ["-jahr"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gesamtbudget__gte=0) & Q(fonds_je_aktionsraum__gte=0),
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


class Finanzierungsquelle(models.TextChoices):
    AKTIONSRAUMFONDS = "fonds", _("Aktionsraumfonds (kleine Aktionen, bis 5.000 €)")
    PROJEKTBUDGET = "projektbudget", _("Zentrales Projektbudget (größere Projekte)")


class AntragstellerArt(models.TextChoices):
    PRIVATPERSON = "privatperson", _("Privatperson (Bewohnerin oder Bewohner)")
    VEREIN = "verein", _("Verein")
    INITIATIVE = "initiative", _("Initiative")
    EINRICHTUNG = "einrichtung", _("Einrichtung (z. B. Schule, Kita, Träger)")


class Status(models.TextChoices):
    EINGEREICHT = "eingereicht", _("eingereicht")
    IN_PRUEFUNG = "in_pruefung", _("in Prüfung")
    RUECKFRAGE = "rueckfrage", _("Rückfrage")
    ENTSCHEIDUNGSREIF = "entscheidungsreif", _("entscheidungsreif")
    BEWILLIGT = "bewilligt", _("bewilligt")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")
    AUSGEZAHLT = "ausgezahlt", _("ausgezahlt")
    NACHWEIS_EINGEREICHT = "nachweis_eingereicht", _("Verwendungsnachweis eingereicht")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    RUECKFORDERUNG = "rueckforderung", _("Rückforderung")


class Antrag(models.Model):
    """A funding application; its money side is checked and booked only by the services."""

    aktenzeichen = models.CharField(_("Aktenzeichen"), max_length=20, unique=True)
    haushaltsjahr = models.ForeignKey(
        Haushaltsjahr,
        verbose_name=_("Haushaltsjahr"),
        on_delete=models.PROTECT,
        related_name="antraege",
    )
    laufende_nummer = models.PositiveIntegerField(_("laufende Nummer"))
    status_token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("Status"), max_length=30, choices=Status.choices, default=Status.EINGEREICHT
    )

    aktionsraum = models.ForeignKey(
        Aktionsraum,
        verbose_name=_("Aktionsraum"),
        on_delete=models.PROTECT,
        related_name="antraege",
    )
    finanzierungsquelle = models.CharField(
        _("Finanzierung aus"), max_length=20, choices=Finanzierungsquelle.choices
    )
    titel = models.CharField(_("Titel des Projekts"), max_length=200)
    beschreibung = models.TextField(_("Beschreibung"), max_length=5000)
    ziel_nachbarschaft = models.BooleanField(
        _("Nachbarschaften und sozialen Zusammenhalt im Quartier stärken"), default=False
    )
    ziel_eltern_kinder = models.BooleanField(
        _("Eltern und Kinder im Quartier stärken"), default=False
    )
    ziel_beschaeftigung = models.BooleanField(_("Beschäftigung im Quartier fördern"), default=False)
    zielgruppe = models.CharField(_("Zielgruppe"), max_length=300)
    teilnehmende = models.PositiveIntegerField(_("Erwartete Teilnehmende"))
    durchfuehrungsort = models.CharField(_("Ort der Durchführung"), max_length=300)
    beginn = models.DateField(_("Beginn"))
    ende = models.DateField(_("Ende"))

    antragsteller_art = models.CharField(
        _("Wer stellt den Antrag?"), max_length=20, choices=AntragstellerArt.choices
    )
    organisation = models.CharField(_("Name der Organisation"), max_length=200, blank=True)
    ansprechperson = models.CharField(_("Ansprechperson"), max_length=200)
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=200)
    plz = models.CharField(_("Postleitzahl"), max_length=5)
    wohnort = models.CharField(_("Ort"), max_length=100, default="Dortmund")
    email = models.EmailField(_("E-Mail"))
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    kontoinhaber = models.CharField(_("Kontoinhaber/in"), max_length=200)
    iban = IBANField(_("IBAN"))

    eigenmittel = models.DecimalField(_("Eigenmittel"), **MONEY, default=ZERO)
    eigenleistung = models.DecimalField(
        _("Eigenleistung (in Euro bewertet)"), **MONEY, default=ZERO
    )
    drittmittel = models.DecimalField(_("Andere Förderung"), **MONEY, default=ZERO)
    beantragter_betrag = models.DecimalField(_("Beantragter Betrag"), **MONEY)
    bewilligter_betrag = models.DecimalField(
        _("Bewilligter Betrag"), **MONEY, null=True, blank=True
    )

    datenschutz_zugestimmt_am = models.DateTimeField(_("Datenschutzhinweis zugestimmt am"))
    eingereicht_am = models.DateTimeField(_("Eingereicht am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-eingereicht_am"]
        constraints = [
            models.UniqueConstraint(
                fields=["haushaltsjahr", "laufende_nummer"], name="laufende_nummer_je_jahr"
            ),
            models.CheckConstraint(
                condition=Q(beantragter_betrag__gt=0), name="antrag_betrag_positiv"
            ),
            models.CheckConstraint(
                condition=Q(eigenmittel__gte=0) & Q(eigenleistung__gte=0) & Q(drittmittel__gte=0),
                name="antrag_finanzierung_nicht_negativ",
            ),
            models.CheckConstraint(
                condition=Q(ende__gte=models.F("beginn")), name="antrag_ende_nach_beginn"
            ),
            models.CheckConstraint(
                condition=Q(ziel_nachbarschaft=True)
                | Q(ziel_eltern_kinder=True)
                | Q(ziel_beschaeftigung=True),
                name="antrag_mindestens_ein_ziel",
            ),
        ]

    def __str__(self):
        return f"{self.aktenzeichen} {self.titel}"

    @property
    def ziele(self):
        """Labels of the goals this project serves."""
        fields = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def gesamtkosten(self):
        return sum((k.betrag for k in self.kosten.all()), ZERO)


class Kostenposition(models.Model):
    """One line of the Kostenplan."""

    antrag = models.ForeignKey(Antrag, on_delete=models.CASCADE, related_name="kosten")
    beschreibung = models.CharField(_("Kostenart"), max_length=200)
    betrag = models.DecimalField(_("Betrag"), **MONEY)

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenplan")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(betrag__gt=0), name="kosten_betrag_positiv")
        ]

    def __str__(self):
        return self.beschreibung


class Anlage(models.Model):
    """An uploaded file (PDF, JPEG, PNG), stored privately."""

    antrag = models.ForeignKey(Antrag, on_delete=models.CASCADE, related_name="anlagen")
    datei = models.FileField(storage=private_storage, upload_to="anlagen/%Y/")
    dateiname = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(max_length=50)
    groesse = models.PositiveIntegerField(_("Größe in Bytes"))
    hochgeladen_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["id"]

    def __str__(self):
        return self.dateiname


class StatusAenderung(models.Model):
    """One row per transition: who, when, from, to, why."""

    antrag = models.ForeignKey(Antrag, on_delete=models.CASCADE, related_name="verlauf")
    von = models.CharField(_("von"), max_length=30, choices=Status.choices, blank=True)
    nach = models.CharField(_("nach"), max_length=30, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bearbeitet von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    durch_antragsteller = models.BooleanField(_("durch Antragsteller/in"), default=False)
    kommentar = models.TextField(_("Kommentar"), blank=True)
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusverlauf")
        ordering = ["zeitpunkt", "id"]

    def __str__(self):
        return f"{self.get_von_display()} → {self.get_nach_display()}"


class Buchung(models.Model):
    """A movement of money against a pot; what is committed is always the sum of these."""

    class Art(models.TextChoices):
        BEWILLIGUNG = "bewilligung", _("Bewilligung")
        RUECKFORDERUNG = "rueckforderung", _("Rückforderung")
        STORNO = "storno", _("Storno")

    haushaltsjahr = models.ForeignKey(
        Haushaltsjahr, on_delete=models.PROTECT, related_name="buchungen"
    )
    fonds = models.ForeignKey(
        Aktionsraumfonds,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buchungen",
        help_text=_("Leer: zentrales Projektbudget."),
    )
    antrag = models.ForeignKey(Antrag, on_delete=models.PROTECT, related_name="buchungen")
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    betrag = models.DecimalField(
        _("Betrag"), **MONEY, help_text=_("Positiv bindet Geld, negativ gibt es zurück.")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    zeitpunkt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["zeitpunkt", "id"]

    def __str__(self):
        return f"{self.get_art_display()} {self.betrag}"


class AusgehendeMail(models.Model):
    """Outbox: mails are stored with the change that causes them and sent after the commit.

    A failed delivery stays here with its error and is retried by `manage.py mails_senden`.
    """

    antrag = models.ForeignKey(
        Antrag, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    empfaenger = models.JSONField(_("Empfänger"))
    betreff = models.CharField(_("Betreff"), max_length=300)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    erstellt_am = models.DateTimeField(_("Erstellt am"), auto_now_add=True)
    gesendet_am = models.DateTimeField(_("Gesendet am"), null=True, blank=True)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    letzter_fehler = models.TextField(_("Letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")
        ordering = ["-erstellt_am"]

    def __str__(self):
        return self.betreff
