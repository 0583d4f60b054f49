"""The Antrag with its Kostenplan, Anlagen and status history, and the choices it is made of."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from localflavor.generic.models import IBANField
from simple_history.models import HistoricalRecords

from aktionsplan.kern.speicher import private_storage
from quartiere.models import Aktionsraum

from .haushalt import MONEY, ZERO, Haushaltsjahr


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
    TEILWEISE_AUSGEZAHLT = "teilweise_ausgezahlt", _("teilweise ausgezahlt")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")
    AUSGEZAHLT = "ausgezahlt", _("ausgezahlt")
    NACHWEIS_EINGEREICHT = "nachweis_eingereicht", _("Verwendungsnachweis eingereicht")
    NACHWEIS_KORREKTUR = "nachweis_korrektur", _("Verwendungsnachweis zur Korrektur zurückgegeben")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    # Money was asked back; the case stays open until it has arrived or is written off.
    RUECKFORDERUNG = "rueckforderung", _("Rückzahlung offen")
    AUFGEHOBEN = "aufgehoben", _("Bewilligung aufgehoben")


class Eingang(models.TextChoices):
    ONLINE = "online", _("online")
    PAPIER = "papier", _("auf Papier")


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
    # The status link is never stored: only a keyed hash of it (for finding the Antrag) and
    # the random value it is derived from (see antraege/statuslink.py).
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status_token_salt = models.CharField(max_length=32, blank=True, editable=False)
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
    # Whether the public project list may name when and where the project takes place (so
    # that neighbours can join): the online form says so since it asks for the place with that
    # hint; Anträge from before, and paper ones (on the old paper form), were promised only
    # title, amount and goal (migration 0024 sets them to False).
    termin_ort_oeffentlich = models.BooleanField(
        _("Zeitraum und Ort dürfen öffentlich genannt werden"), default=True
    )
    # The public project page (opt-in in the form, withdrawable on the status page): True
    # shows a profile after the grant; False shows only area, goal and amount, as an
    # anonymous row; None is an Antrag from before the question, whose notice promised title,
    # goal, amount (and time and place, see above) and no profile.
    oeffentlich_vorstellen = models.BooleanField(
        _("Darf auf einer öffentlichen Projektseite vorgestellt werden"),
        null=True,
        blank=True,
        default=None,
    )
    vorstellung_text = models.TextField(
        _("Kurzbeschreibung für die Öffentlichkeit"), max_length=600, blank=True
    )
    # After the Verwendungsnachweis: a short report and one photo (re-encoded, without its
    # metadata), with the photo's credit and a description for those who cannot see it.
    bericht_oeffentlich = models.TextField(
        _("Kurzbericht für die Öffentlichkeit"), max_length=1500, blank=True
    )
    foto = models.FileField(
        _("Foto"), storage=private_storage, upload_to="projektfotos/%Y/", blank=True
    )
    foto_beschreibung = models.CharField(_("Was ist auf dem Foto zu sehen?"), max_length=300,
                                         blank=True)  # fmt: skip
    bildnachweis = models.CharField(_("Bildnachweis"), max_length=200, blank=True)

    antragsteller_art = models.CharField(
        _("Wer stellt den Antrag?"), max_length=20, choices=AntragstellerArt.choices
    )
    organisation = models.CharField(_("Name der Organisation"), max_length=200, blank=True)
    ansprechperson = models.CharField(_("Ansprechperson"), max_length=200)
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=200)
    plz = models.CharField(_("Postleitzahl"), max_length=5)
    wohnort = models.CharField(_("Ort"), max_length=100, default="Dortmund")
    # Empty only for a paper application without e-mail: its letters are printed.
    email = models.EmailField(_("E-Mail"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    kontoinhaber = models.CharField(_("Kontoinhaber/in"), max_length=200)
    iban = IBANField(_("IBAN"))
    # A changed bank account (and one typed in by staff) blocks every payout until a second
    # Projektbüro account confirms it; who may not confirm it is in `beteiligungen`.
    iban_pruefung_offen = models.BooleanField(
        _("Neue Bankverbindung noch nicht bestätigt"), default=False, editable=False
    )

    eigenmittel = models.DecimalField(_("Eigenmittel"), **MONEY, default=ZERO)
    eigenleistung = models.DecimalField(
        _("Eigenleistung (in Euro bewertet)"), **MONEY, default=ZERO
    )
    drittmittel = models.DecimalField(_("Andere Förderung"), **MONEY, default=ZERO)
    beantragter_betrag = models.DecimalField(_("Beantragter Betrag"), **MONEY)
    bewilligter_betrag = models.DecimalField(
        _("Bewilligter Betrag"), **MONEY, null=True, blank=True
    )
    nachweis_faellig_am = models.DateField(
        _("Verwendungsnachweis fällig am"),
        null=True,
        blank=True,
        help_text=_("Wird bei der Bewilligung gesetzt: Projektende plus Frist des Haushaltsjahrs."),
    )
    sprache = models.CharField(
        _("Sprache der Briefe"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("In dieser Sprache bekommt die Antragstellerin / der Antragsteller E-Mails."),
    )

    datenschutz_zugestimmt_am = models.DateTimeField(_("Datenschutzhinweis zugestimmt am"))
    eingang = models.CharField(
        _("Eingang"), max_length=10, choices=Eingang.choices, default=Eingang.ONLINE
    )
    erfasst_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Bei Papieranträgen: wer den Antrag eingegeben hat."),
    )
    eingereicht_am = models.DateTimeField(_("Eingereicht am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("Geändert am"), auto_now=True)
    # Until the applicant has opened the status link once, mails carry nothing typed into the
    # form (no name, no title): the address might be someone else's.
    adresse_bestaetigt_am = models.DateTimeField(
        _("Statuslink zuerst geöffnet am"), null=True, blank=True, editable=False
    )
    # When the retention period ended and the personal data were removed (DSGVO).
    anonymisiert_am = models.DateTimeField(
        _("Personendaten gelöscht am"), null=True, blank=True, editable=False
    )

    # The status link's values are secrets: they never go into the change history.
    history = HistoricalRecords(
        excluded_fields=[
            "status_token_hash",
            "status_token_salt",
            "geaendert_am",
            "adresse_bestaetigt_am",
        ]
    )

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-eingereicht_am"]
        permissions = [
            ("alle_aktionsraeume", _("Anträge aller Aktionsräume sehen")),
            ("bewilligen_zentral", _("Aus dem zentralen Projektbudget bewilligen")),
            ("auszahlen", _("Auszahlungen buchen und Verwendungsnachweise abschließen")),
            ("kontaktdaten_sehen", _("Adresse, Telefon und E-Mail der Antragstellenden sehen")),
            ("iban_sehen", _("Bankverbindung der Antragstellenden sehen")),
            (
                "auszahlung_feststellen",
                _("Auszahlungen als sachlich und rechnerisch richtig feststellen"),
            ),
            ("iban_bestaetigen", _("Geänderte Bankverbindungen bestätigen")),
        ]
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
    def benannt(self) -> bool:
        """Whether public lists may name the project (its title, time and place as allowed);
        else it is an anonymous row of area, goal and amount."""
        return self.oeffentlich_vorstellen is not False

    @property
    def ziele(self):
        """Labels of the goals this project serves."""
        fields = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def gesamtkosten(self):
        return sum((k.betrag for k in self.kosten.all()), ZERO)

    @property
    def vorgemerkt(self):
        """Sum of payouts confirmed as correct and waiting for the second person."""
        return self.auszahlungen.vorgemerkt().aggregate(s=models.Sum("betrag"))["s"] or ZERO


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
    """An uploaded file (PDF, JPEG, PNG), stored privately; a receipt belongs to a Nachweis."""

    antrag = models.ForeignKey(Antrag, on_delete=models.CASCADE, related_name="anlagen")
    verwendungsnachweis = models.ForeignKey(
        "Verwendungsnachweis",
        verbose_name=_("Verwendungsnachweis"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="belege",
    )
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
    # For staff only: never on the status page, in a mail or in the applicant's export.
    interne_notiz = models.TextField(_("Interne Notiz"), blank=True)
    # The applicant's answer to a Rückfrage: every field it changed, as
    # {"feld": name, "vorher": value, "nachher": value} ("kosten" and "anlagen" as lists).
    aenderungen = models.JSONField(_("Geänderte Angaben"), default=list, blank=True)
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusverlauf")
        ordering = ["zeitpunkt", "id"]

    def __str__(self):
        return f"{self.get_von_display()} → {self.get_nach_display()}"
