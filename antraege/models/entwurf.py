"""Drafts of the public form and the files waiting with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern.speicher import private_storage


class Entwurf(models.Model):
    """An application form not sent yet: its pending uploads and, when the applicant saves it
    for later, the values typed so far.

    The form carries its secret (a token like the status link: HMAC of a random salt, of which
    the database keeps the salt and a keyed hash), and so does the link mailed for "später
    weitermachen". A draft nobody saved lasts a day (`ENTWURF_STUNDEN`), a saved one 30 days
    (`ENTWURF_TAGE`); `manage.py personendaten_loeschen` deletes what has expired, and no
    lookup finds it after that moment anyway.
    """

    class Zweck(models.TextChoices):
        ANTRAG = "antrag", _("Antragsformular")
        ANTWORT = "antwort", _("Antwort auf eine Rückfrage")
        NACHWEIS = "nachweis", _("Verwendungsnachweis")

    token_salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Which form it belongs to (and for an answer or a Nachweis, whose Antrag): no other form
    # finds it, so its files go nowhere else and keep that form's limits.
    zweck = models.CharField(max_length=10, choices=Zweck.choices, default=Zweck.ANTRAG)
    antrag = models.ForeignKey(
        "antraege.Antrag", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
    it becomes an Anlage when the Antrag is sent, and is deleted a day after the upload, or
    with its draft when the draft is saved for later (`entwurf.entwurf_speichern`)."""

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
