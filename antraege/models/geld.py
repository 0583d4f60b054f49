"""The ledger (Buchung), payouts under four eyes and the Verwendungsnachweis in figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .antrag import Antrag, Eingang, Kostenposition
from .haushalt import MONEY, ZERO, Aktionsraumfonds, Haushaltsjahr


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

    @property
    def ungeplant_summe(self):
        """What the rows not in the Kostenplan add to the costs (staff check them)."""
        return sum((p.ausgegeben for p in self.positionen.all() if p.ungeplant), ZERO)


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
    # A cost the Kostenplan did not have ("weitere Ausgabe"): planned 0, shown as not planned.
    ungeplant = models.BooleanField(_("Nicht geplant"), default=False)

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


class Beteiligung(models.Model):
    """One account that touched something a second person must confirm (Vier-Augen-Prinzip):
    a bank account, the way the applicant is reached (e-mail address, paper entry), a
    Rückforderung or one payout. The confirming step refuses every account with an open row
    for its subject, whatever path it used; confirming closes the rows
    (`services/vier_augen.py`)."""

    class Gegenstand(models.TextChoices):
        BANKVERBINDUNG = "bankverbindung", _("Bankverbindung")
        ZUGANG = "zugang", _("E-Mail-Adresse oder Papiererfassung")
        RUECKFORDERUNG = "rueckforderung", _("Rückforderung")
        AUSZAHLUNG = "auszahlung", _("Auszahlung")

    antrag = models.ForeignKey(Antrag, on_delete=models.CASCADE, related_name="beteiligungen")
    gegenstand = models.CharField(_("Gegenstand"), max_length=20, choices=Gegenstand.choices)
    # The payout a row belongs to (only for AUSZAHLUNG).
    objekt_id = models.PositiveIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    anlass = models.CharField(_("Anlass"), max_length=200)
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    erledigt_am = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beteiligung (Vier-Augen-Prinzip)")
        verbose_name_plural = _("Beteiligungen (Vier-Augen-Prinzip)")
        ordering = ["zeitpunkt", "id"]
        indexes = [models.Index(fields=["antrag", "gegenstand", "erledigt_am"])]

    def __str__(self):
        return f"{self.get_gegenstand_display()}: {self.user}"
