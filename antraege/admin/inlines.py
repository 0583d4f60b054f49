"""The read-only tables on an Antrag's admin page: cost rows, attachments, history, ledger,
payouts and Beschlüsse."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import (
    Anlage,
    Auszahlung,
    Beschluss,
    Buchung,
    Kostenposition,
)
from .mixins import ReadOnlyInline, euro_spalte


class KostenpositionInline(ReadOnlyInline):
    model = Kostenposition
    fields = ["beschreibung", "betrag_euro"]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class AnlageInline(ReadOnlyInline):
    """The application's attachments (the receipts are in the Verwendungsnachweis section)."""

    model = Anlage
    fields = ["download", "dateityp", "groesse_lesbar", "hochgeladen"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(verwendungsnachweis=None)

    @admin.display(description=_("Dateityp"))
    def dateityp(self, obj):
        return obj.content_type.split("/")[-1].upper()

    @admin.display(description=_("Größe"))
    def groesse_lesbar(self, obj):
        return filesizeformat(obj.groesse)

    @admin.display(description=_("Hochgeladen am"))
    def hochgeladen(self, obj):
        return date_format(timezone.localtime(obj.hochgeladen_am), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("Datei"))
    def download(self, obj):
        url = reverse("admin:antraege_anlage_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.dateiname)


class AuszahlungInline(ReadOnlyInline):
    model = Auszahlung
    fields = [
        "datum",
        "betrag_euro",
        "referenz",
        "festgestellt_von",
        "angeordnet_von",
        "angeordnet_am",
    ]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class BuchungInline(ReadOnlyInline):
    """The Antrag's ledger: every euro granted, paid, asked back, received back or lost."""

    model = Buchung
    fields = ["zeitpunkt", "art", "betrag_euro", "datum", "referenz", "kommentar", "user"]
    readonly_fields = fields
    verbose_name_plural = _("Buchungen (Hauptbuch)")
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class BeschlussInline(ReadOnlyInline):
    model = Beschluss
    fields = ["konferenz", "ergebnis", "betrag_euro", "begruendung", "user", "gefasst_am"]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Bewilligter Betrag"))
