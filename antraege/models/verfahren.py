"""The Projektkonferenz: its members per Aktionsraum, the invitations sent with their frozen
agenda, attendance, conflicts of interest, the Beschlüsse with their votes, the protocol."""

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
    # Signed off by the person keeping the protocol: from then on nothing of the meeting changes.
    protokollfuehrung = models.CharField(_("Protokollführung"), max_length=200, blank=True)
    protokoll_abgeschlossen_am = models.DateTimeField(
        _("Protokoll abgeschlossen am"), null=True, blank=True, editable=False
    )
    protokoll_abgeschlossen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Protokoll abgeschlossen von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The area's quorum as it stood at the sign-off: the protocol keeps saying what applied.
    quorum = models.PositiveSmallIntegerField(
        _("Beschlussfähig ab"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(m2m_fields=[tagesordnung])

    class Meta:
        verbose_name = _("Projektkonferenz")
        verbose_name_plural = _("Projektkonferenzen")
        ordering = ["-datum", "id"]

    def __str__(self):
        return f"{self.aktionsraum} {self.datum:%d.%m.%Y}"

    @property
    def abgeschlossen(self) -> bool:
        return self.protokoll_abgeschlossen_am is not None

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


class Mitglied(models.Model):
    """A member of an Aktionsraum's Projektkonferenz, kept by the Projektbüro and the area's
    Beauftragte. A member who leaves gets an end date; the old meetings keep the name."""

    aktionsraum = models.ForeignKey(
        Aktionsraum,
        verbose_name=_("Aktionsraum"),
        on_delete=models.PROTECT,
        related_name="konferenz_mitglieder",
    )
    name = models.CharField(_("Name"), max_length=200)
    rolle = models.CharField(_("Rolle"), max_length=30, choices=Rolle.choices)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    email = models.EmailField(
        _("E-Mail"),
        blank=True,
        help_text=_("Leer: Die Einladung wird ausgedruckt und per Post oder von Hand verteilt."),
    )
    stimmberechtigt = models.BooleanField(
        _("stimmberechtigt"),
        default=True,
        help_text=_("Nicht angekreuzt: beratendes Mitglied ohne Stimme."),
    )
    aktiv_von = models.DateField(_("Mitglied seit"))
    aktiv_bis = models.DateField(
        _("Mitglied bis"), null=True, blank=True, help_text=_("Leer: weiterhin Mitglied.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Mitglied der Projektkonferenz")
        verbose_name_plural = _("Mitglieder der Projektkonferenzen")
        ordering = ["aktionsraum__sort_order", "aktionsraum__name", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aktiv_bis__isnull=True) | Q(aktiv_bis__gte=models.F("aktiv_von")),
                name="mitglied_bis_nicht_vor_von",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_rolle_display()})"

    def clean(self):
        raum = self.aktionsraum if self.aktionsraum_id else None
        if raum and raum.bis_jahr and self.aktiv_von and self.aktiv_von.year > raum.bis_jahr:
            raise ValidationError(
                {
                    "aktionsraum": _("%(raum)s gehört seit %(jahr)d nicht mehr zum Aktionsplan.")
                    % {"raum": raum.name, "jahr": raum.bis_jahr + 1}
                }
            )
        if self.aktiv_bis and self.aktiv_von and self.aktiv_bis < self.aktiv_von:
            raise ValidationError(
                {"aktiv_bis": _("„Mitglied bis“ darf nicht vor „Mitglied seit“ liegen.")}
            )


class Einladung(models.Model):
    """One invitation as sent: its agenda is a copy frozen at sending; a changed agenda is sent
    again as the next number ("geänderte Tagesordnung")."""

    konferenz = models.ForeignKey(
        Projektkonferenz, on_delete=models.PROTECT, related_name="einladungen"
    )
    nummer = models.PositiveSmallIntegerField(_("Nummer"))
    versandt_am = models.DateTimeField(_("Versandt am"), auto_now_add=True)
    versandt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Versandt von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The meeting as the invitation named it, and its agenda:
    # [{"aktenzeichen", "titel", "antragsteller", "betrag"}], no address, no bank data.
    datum = models.DateField(_("Datum"))
    ort = models.CharField(_("Ort"), max_length=200)
    tagesordnung = models.JSONField(_("Tagesordnung"))
    per_mail = models.JSONField(_("Per E-Mail an"), default=list)
    ausgedruckt = models.JSONField(_("Ausgedruckt für"), default=list)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["konferenz", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["konferenz", "nummer"], name="eine_einladung_je_nummer")
        ]

    def __str__(self):
        return f"{self.konferenz}: {self.nummer}"


class Teilnahme(models.Model):
    """One person of a Projektkonferenz: a member invited from the area's list, or someone
    entered by hand; present or not, voting or advisory."""

    konferenz = models.ForeignKey(
        Projektkonferenz, on_delete=models.CASCADE, related_name="teilnahmen"
    )
    mitglied = models.ForeignKey(
        Mitglied,
        verbose_name=_("Mitglied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="teilnahmen",
    )
    name = models.CharField(_("Name"), max_length=200)
    rolle = models.CharField(_("Rolle"), max_length=30, choices=Rolle.choices)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    # Ticked on purpose: a person typed in by hand (a guest, a deputy) neither votes nor counts
    # as present until marked so; a member brings her vote from the list.
    stimmberechtigt = models.BooleanField(_("stimmberechtigt"), default=False)
    anwesend = models.BooleanField(_("anwesend"), default=False)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.get_rolle_display()})"


class Abstimmungsart(models.TextChoices):
    EINVERNEHMLICH = "einvernehmlich", _("einvernehmlich")
    ABGESTIMMT = "abgestimmt", _("abgestimmt")


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
    # The vote: "einvernehmlich", or the counts of the voting members present and not befangen
    # (recorded with every Beschluss since the members and votes; empty on older ones).
    abstimmung = models.CharField(
        _("Abstimmung"), max_length=20, choices=Abstimmungsart.choices, blank=True
    )
    ja = models.PositiveSmallIntegerField(_("Ja"), null=True, blank=True)
    nein = models.PositiveSmallIntegerField(_("Nein"), null=True, blank=True)
    enthaltung = models.PositiveSmallIntegerField(_("Enthaltung"), null=True, blank=True)
    # Voting members present and not befangen when the Beschluss was taken.
    stimmen_moeglich = models.PositiveSmallIntegerField(
        _("Stimmberechtigt anwesend"), null=True, blank=True
    )
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


class Befangenheit(models.Model):
    """A person of the meeting took no part in one agenda item (e.g. on the board of the
    applying association); the protocol says so and the item's votes leave them out."""

    konferenz = models.ForeignKey(
        Projektkonferenz, on_delete=models.PROTECT, related_name="befangenheiten"
    )
    teilnahme = models.ForeignKey(
        Teilnahme,
        verbose_name=_("Person"),
        on_delete=models.PROTECT,
        related_name="befangenheiten",
    )
    antrag = models.ForeignKey(
        Antrag,
        verbose_name=_("Antrag"),
        on_delete=models.PROTECT,
        related_name="befangenheiten",
    )
    grund = models.TextField(_("Grund"))
    erfasst_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Eingetragen von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    erfasst_am = models.DateTimeField(_("Eingetragen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        ordering = ["antrag__aktenzeichen", "teilnahme__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["teilnahme", "antrag"], name="eine_befangenheit_je_person_und_antrag"
            )
        ]

    def __str__(self):
        return f"{self.teilnahme.name}: {self.antrag.aktenzeichen}"
