"""Haushaltsjahr and its pots, Anträge with Kostenplan and Anlagen, bookings and the mail outbox.

Data and small derived properties only; every rule lives in `antraege/services/`.
"""

from decimal import Decimal

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from localflavor.generic.models import IBANField
from simple_history.models import HistoricalRecords

from aktionsplan.kern.speicher import private_storage
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


# While an Antrag is in one of these, the applicant still owes the Verwendungsnachweis.
NACHWEIS_AUSSTEHEND = [
    Status.BEWILLIGT,
    Status.TEILWEISE_AUSGEZAHLT,
    Status.AUSGEZAHLT,
    Status.NACHWEIS_KORREKTUR,
]


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
    # A changed bank account blocks every payout until a second Projektbüro account confirms
    # it; who changed it (empty: the applicant) may not confirm it.
    iban_pruefung_offen = models.BooleanField(
        _("Neue Bankverbindung noch nicht bestätigt"), default=False, editable=False
    )
    iban_geaendert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bankverbindung geändert von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
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
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusverlauf")
        ordering = ["zeitpunkt", "id"]

    def __str__(self):
        return f"{self.get_von_display()} → {self.get_nach_display()}"


class Buchung(models.Model):
    """One entry of the ledger: every euro granted, paid, asked back, received back or lost.

    Amounts are always positive; the kind says what the entry does (see `WIRKUNG`). What a
    pot has bound is the sum of its bookings by their effect (one source of truth); every
    figure on pages, exports and reports is read from here through `selectors`.
    """

    class Art(models.TextChoices):
        BEWILLIGUNG = "bewilligung", _("Bewilligung")
        STORNO = "storno", _("Storno (nicht ausgezahlter Teil)")
        AUSZAHLUNG = "auszahlung", _("Auszahlung")
        RUECKFORDERUNG = "rueckforderung", _("Rückforderung")
        RUECKZAHLUNG = "rueckzahlung", _("Rückzahlung eingegangen")
        NIEDERSCHLAGUNG = "niederschlagung", _("Rückforderung niedergeschlagen")

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
    betrag = models.DecimalField(_("Betrag"), **MONEY)
    datum = models.DateField(_("Datum"), null=True, blank=True)
    referenz = models.CharField(_("Buchungsreferenz"), max_length=100, blank=True)
    kommentar = models.TextField(_("Begründung"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gebucht von"),
        on_delete=models.PROTECT,
        null=True,
    )
    zeitpunkt = models.DateTimeField(_("Gebucht am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["zeitpunkt", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(betrag__gt=0), name="buchung_betrag_positiv"),
            # A refund with the same bank reference is the same money: it is booked once.
            models.UniqueConstraint(
                fields=["antrag", "referenz"],
                condition=Q(art="rueckzahlung"),
                name="rueckzahlung_referenz_einmal",
            ),
        ]

    def __str__(self):
        return f"{self.get_art_display()} {self.betrag}"


# What each kind of booking does to the money its pot has bound: a grant binds it; the part
# never paid out and money that came back free it again. Payouts, demands and write-offs move
# no pot money (a written-off demand stays spent).
WIRKUNG = {
    Buchung.Art.BEWILLIGUNG: 1,
    Buchung.Art.STORNO: -1,
    Buchung.Art.RUECKZAHLUNG: -1,
    Buchung.Art.AUSZAHLUNG: 0,
    Buchung.Art.RUECKFORDERUNG: 0,
    Buchung.Art.NIEDERSCHLAGUNG: 0,
}


class AuszahlungQuerySet(models.QuerySet):
    def angeordnet(self):
        """Payouts ordered by a second person: only these count as paid."""
        return self.filter(angeordnet_am__isnull=False)

    def vorgemerkt(self):
        """Confirmed as correct, waiting for a second person to order them."""
        return self.filter(angeordnet_am__isnull=True)


class Auszahlung(models.Model):
    """One payment of granted money, in two steps by two people (Vier-Augen-Prinzip): one
    confirms it as sachlich und rechnerisch richtig, another orders it. Together never more
    than granted."""

    antrag = models.ForeignKey(Antrag, on_delete=models.PROTECT, related_name="auszahlungen")
    datum = models.DateField(_("Datum"))
    betrag = models.DecimalField(_("Betrag"), **MONEY)
    referenz = models.CharField(
        _("Buchungsreferenz"), max_length=100, help_text=_("z. B. Kassenzeichen oder Buchungstext")
    )
    festgestellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Sachlich und rechnerisch richtig: festgestellt von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    festgestellt_am = models.DateTimeField(_("Festgestellt am"), auto_now_add=True)
    angeordnet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angeordnet von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    angeordnet_am = models.DateTimeField(_("Angeordnet am"), null=True, blank=True)

    objects = AuszahlungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["datum", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(betrag__gt=0), name="auszahlung_betrag_positiv"),
            # The second pair of eyes is never the first one (also for direct database writes).
            models.CheckConstraint(
                condition=~Q(angeordnet_von=models.F("festgestellt_von")),
                name="auszahlung_vier_augen",
            ),
            # Payouts booked in one step before the rule have a date but no second person.
            models.CheckConstraint(
                condition=Q(angeordnet_von__isnull=True) | Q(angeordnet_am__isnull=False),
                name="auszahlung_angeordnet_mit_datum",
            ),
        ]

    def __str__(self):
        return f"{self.datum} {self.betrag}"

    @property
    def ist_angeordnet(self):
        return self.angeordnet_am is not None


class Verwendungsnachweis(models.Model):
    """The proof of use: the short report, planned against actual per cost row (the
    zahlenmäßiger Nachweis, rows in `positionen`), the actual own money, own work and other
    funding, and the receipts (`belege`). Online from the applicant or typed in by staff from
    paper."""

    antrag = models.ForeignKey(
        Antrag, on_delete=models.CASCADE, related_name="verwendungsnachweise"
    )
    bericht = models.TextField(_("Kurzbericht"), max_length=5000)
    # What the grant paid for: the actual costs less the actual own money, own work and other
    # funding, at most what was paid out (services.einreichung.nachweis_rechnen).
    ausgegebener_betrag = models.DecimalField(_("Aus der Förderung verwendet"), **MONEY)
    # None for a Nachweis from before the per-row form (only the total was asked).
    gesamtausgaben = models.DecimalField(_("Tatsächliche Ausgaben"), **MONEY, null=True, blank=True)
    eigenmittel = models.DecimalField(_("Eigenmittel"), **MONEY, default=ZERO)
    eigenleistung = models.DecimalField(
        _("Eigenleistung (in Euro bewertet)"), **MONEY, default=ZERO
    )
    drittmittel = models.DecimalField(_("Andere Förderung"), **MONEY, default=ZERO)
    eingang = models.CharField(
        _("Eingang"), max_length=10, choices=Eingang.choices, default=Eingang.ONLINE
    )
    eingegangen_am = models.DateField(_("Auf Papier eingegangen am"), null=True, blank=True)
    erfasst_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    eingereicht_am = models.DateTimeField(_("Eingereicht am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")
        ordering = ["eingereicht_am", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ausgegebener_betrag__gte=0), name="nachweis_betrag_nicht_negativ"
            ),
            models.CheckConstraint(
                condition=Q(eigenmittel__gte=0) & Q(eigenleistung__gte=0) & Q(drittmittel__gte=0),
                name="nachweis_finanzierung_nicht_negativ",
            ),
        ]

    def __str__(self):
        return f"{self.antrag.aktenzeichen} {self.eingereicht_am:%d.%m.%Y}"


class NachweisPosition(models.Model):
    """One row of the zahlenmäßiger Nachweis: a cost row as planned and as actually spent.
    Description and planned amount are copied, so the row stays readable as handed in."""

    nachweis = models.ForeignKey(
        Verwendungsnachweis, on_delete=models.CASCADE, related_name="positionen"
    )
    kostenposition = models.ForeignKey(
        Kostenposition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    beschreibung = models.CharField(_("Kostenart"), max_length=200)
    geplant = models.DecimalField(_("Geplant"), **MONEY)
    ausgegeben = models.DecimalField(_("Tatsächlich ausgegeben"), **MONEY)

    class Meta:
        verbose_name = _("Position des Verwendungsnachweises")
        verbose_name_plural = _("Zahlenmäßiger Nachweis")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ausgegeben__gte=0), name="nachweis_position_nicht_negativ"
            )
        ]

    def __str__(self):
        return self.beschreibung

    @property
    def abweichung(self):
        return self.ausgegeben - self.geplant


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

    class Meta:
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")
        ordering = ["-erstellt_am"]

    def __str__(self):
        return self.betreff


class Anmeldesperre(AccessAttempt):
    """Failed staff logins as the Projektbüro sees them: who is locked out, and unlocking."""

    class Meta:
        proxy = True
        verbose_name = _("Gesperrte Anmeldung")
        verbose_name_plural = _("Gesperrte Anmeldungen")


class Entwurf(models.Model):
    """An application form not sent yet: its pending uploads and, when the applicant saves it
    for later, the values typed so far.

    The form carries its secret (a token like the status link: HMAC of a random salt, of which
    the database keeps the salt and a keyed hash), and so does the link mailed for "später
    weitermachen". A draft nobody saved lasts a day (`ENTWURF_STUNDEN`), a saved one 30 days
    (`ENTWURF_TAGE`); `manage.py personendaten_loeschen` deletes what has expired, and no
    lookup finds it after that moment anyway.
    """

    token_salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    daten = models.JSONField(_("Angaben"), default=dict, blank=True)
    sprache = models.CharField(max_length=2, default="de")
    email = models.EmailField(_("E-Mail"), blank=True)
    gespeichert_am = models.DateTimeField(_("Gespeichert am"), null=True, blank=True)
    erstellt_am = models.DateTimeField(auto_now_add=True)
    gueltig_bis = models.DateTimeField(_("Gültig bis"), db_index=True)

    class Meta:
        verbose_name = _("Entwurf")
        verbose_name_plural = _("Entwürfe")

    def __str__(self):
        return f"Entwurf {self.pk}"


class VorlaeufigeAnlage(models.Model):
    """A file chosen in a form not sent yet, checked and kept so that nobody selects it twice;
    it becomes an Anlage when the Antrag is sent, and is deleted a day after the upload."""

    entwurf = models.ForeignKey(Entwurf, on_delete=models.CASCADE, related_name="anlagen")
    datei = models.FileField(storage=private_storage, upload_to="vorlaeufig/%Y/%m/")
    dateiname = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(max_length=50)
    groesse = models.PositiveIntegerField(_("Größe in Bytes"))
    hochgeladen_am = models.DateTimeField(auto_now_add=True)
    gueltig_bis = models.DateTimeField(_("Gültig bis"), db_index=True)
    # Who sent it, as a keyed hash of the client address (never the address itself): the
    # cap on pending uploads per client counts by it.
    client = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("Vorläufige Anlage")
        verbose_name_plural = _("Vorläufige Anlagen")
        ordering = ["id"]

    def __str__(self):
        return self.dateiname
