"""Admin for Aktionsräume and Beauftragte: staff maintain areas and contacts here."""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import RowResult
from import_export.widgets import DecimalWidget, ForeignKeyWidget

from quartiere.admin_basis import BeschriftetesModelFormSet, GesichertMixin

from . import karte, services
from .models import Aktionsraum, Beauftragte, Dokument, Kennzahl, Kennzahlwert

MAX_UMRISS_BYTES = 5 * 1024 * 1024


class AktionsraumForm(forms.ModelForm):
    """The area with its outline: a GeoJSON file replaces it only when it is valid as a whole."""

    umriss_datei = forms.FileField(
        label=_("Umriss hochladen (GeoJSON)"),
        required=False,
        help_text=_(
            "Ein Polygon oder MultiPolygon (auch als Feature) in EPSG:4326 oder in EPSG:25832 "
            "wie im Geoportal der Stadt; wird beim Speichern geprüft und umgerechnet."
        ),
    )
    koordinatensystem = forms.ChoiceField(
        label=_("Koordinatensystem der Datei"),
        choices=karte.KOORDINATENSYSTEME,
        initial=karte.WGS84,
        required=False,
    )
    umriss_entfernen = forms.BooleanField(label=_("Umriss entfernen"), required=False)

    class Meta:
        model = Aktionsraum
        fields = [
            *["name", "slug", "art", "zustaendigkeit", "stadtbezirk", "kurzbeschreibung"],
            *["beauftragte", "sort_order", "is_active", "einfuehrung", "einfuehrung_en"],
            *["arbeit", "arbeit_en", "breite", "laenge"],
        ]

    def clean(self):
        cleaned = super().clean()
        datei = cleaned.get("umriss_datei")
        if datei:
            if datei.size > MAX_UMRISS_BYTES:
                self.add_error("umriss_datei", _("Die Datei ist größer als 5 MB."))
                return cleaned
            try:
                self.instance.umriss = karte.umriss_pruefen(
                    datei.read(), crs=cleaned.get("koordinatensystem") or karte.WGS84
                )
            except ValidationError as fehler:
                self.add_error("umriss_datei", fehler)
        elif cleaned.get("umriss_entfernen"):
            self.instance.umriss = None
        return cleaned


@admin.register(Aktionsraum)
class AktionsraumAdmin(GesichertMixin, admin.ModelAdmin):
    list_display = [
        *["name", "art", "zustaendigkeit", "stadtbezirk", "contacts", "is_active", "bis_jahr"]
    ]
    list_filter = ["zustaendigkeit", "art", "is_active", "stadtbezirk"]
    search_fields = ["name", "slug", "stadtbezirk", "beauftragte__name"]
    prepopulated_fields = {"slug": ["name"]}
    # Check boxes, not the two-list widget: it works without JavaScript and for screen readers.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_editable = ["is_active"]
    ordering = ["sort_order", "name"]
    form = AktionsraumForm
    readonly_fields = ["hat_umriss"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *["name", "slug", "art", "zustaendigkeit", "stadtbezirk"],
                    *["kurzbeschreibung", "beauftragte", "sort_order", "is_active"],
                ]
            },
        ),
        (
            _("Texte der Seite"),
            {"fields": ["einfuehrung", "einfuehrung_en", "arbeit", "arbeit_en"]},
        ),
        (
            _("Im Aktionsplan bis"),
            {
                "fields": ["bis_jahr", "nachfolger"],
                "description": _(
                    "Ein Gebiet scheidet nach seinem letzten Haushaltsjahr aus: Ab dem folgenden "
                    "Jahr bekommt es keinen Aktionsraumfonds, und kein Formular bietet es mehr "
                    "an. Seine Seite, seine Anträge und Zahlen bleiben. Umbenennen: Ändern Sie "
                    "oben den Namen; die Adresse der Seite bleibt."
                ),
            },
        ),
        (_("Projektkonferenz"), {"fields": ["konferenz_quorum"]}),
        (
            _("Karte"),
            {
                "fields": [
                    *["hat_umriss", "umriss_datei", "koordinatensystem", "umriss_entfernen"],
                    *["breite", "laenge"],
                ]
            },
        ),
    ]

    @admin.display(description=_("Umriss"))
    def hat_umriss(self, obj):
        if not obj.umriss:
            return _("kein Umriss hinterlegt (die Karte zeigt eine Markierung an der Mitte)")
        n = len(karte._ringe_von(obj.umriss))
        return _("%(art)s mit %(n)d Ring(en)") % {"art": obj.umriss["type"], "n": n}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("beauftragte")

    def get_changelist_formset(self, request, **kwargs):
        # The "aktiv" boxes of the list get a name each ("aktiv, Hörde").
        return super().get_changelist_formset(request, formset=BeschriftetesModelFormSet, **kwargs)

    @admin.display(description=_("Beauftragte"))
    def contacts(self, obj):
        return ", ".join(b.name for b in obj.beauftragte.all()) or "—"


@admin.register(Beauftragte)
class BeauftragteAdmin(GesichertMixin, admin.ModelAdmin):
    list_display = ["name", "funktion", "telefon", "email", "areas"]
    list_filter = ["aktionsraeume"]
    search_fields = ["name", "funktion", "email", "aktionsraeume__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aktionsraeume")

    @admin.display(description=_("Aktionsräume"))
    def areas(self, obj):
        return ", ".join(a.name for a in obj.aktionsraeume.all()) or "—"


class NurHochladen(forms.ClearableFileInput):
    """A file input without the storage's link: the files have no address of their own there
    (the page's lasting address is shown beside it)."""

    def is_initial(self, value):
        return False


class DokumentForm(forms.ModelForm):
    class Meta:
        model = Dokument
        fields = ["aktionsraum", "titel", "jahr", "beschreibung", "datei"]
        widgets = {"datei": NurHochladen}

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        if datei and "datei" in self.changed_data:
            services.dokument_pruefen(datei)
        return datei


@admin.register(Dokument)
class DokumentAdmin(GesichertMixin, admin.ModelAdmin):
    form = DokumentForm
    list_display = ["titel", "jahr", "aktionsraum", "groesse", "version", "geaendert_am"]
    list_filter = ["aktionsraum", "jahr"]
    search_fields = ["titel", "beschreibung"]
    list_select_related = ["aktionsraum"]
    readonly_fields = ["oeffentliche_adresse", "groesse", "version"]

    @admin.display(description=_("Adresse auf der Seite"))
    def oeffentliche_adresse(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        services.dokument_speichern(dokument=obj, neue_datei="datei" in form.changed_data)


# One file holds a few key figures for the 13 (or some more) areas: far below these caps. A
# file above them is refused before it is parsed, so that an upload cannot tie up a worker.
KENNZAHLEN_MAX_BYTES = 2 * 1024 * 1024
KENNZAHLEN_MAX_ZEILEN = 2000
KENNZAHLEN_MAX_SPALTEN = 20
# An XLSX is a ZIP: a few KB can unpack to gigabytes of XML (a "zip bomb").
KENNZAHLEN_MAX_ENTPACKT = 20 * 1024 * 1024


def _zu_viele_zeilen():
    return ValidationError(
        _("Die Datei hat mehr als %(max)d Zeilen. Bitte teilen Sie sie auf mehrere Dateien auf.")
        % {"max": KENNZAHLEN_MAX_ZEILEN}
    )


def _zu_viele_spalten():
    return ValidationError(
        _("Die Datei hat mehr als %(max)d Spalten. Erwartet werden die Spalten %(spalten)s.")
        % {"max": KENNZAHLEN_MAX_SPALTEN, "spalten": ", ".join(services.SPALTEN)}
    )


class CSVMitSemikolon(CSV):
    """CSV as German spreadsheets write it (";" between columns) or with commas."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        if in_stream.count("\n") > KENNZAHLEN_MAX_ZEILEN:
            raise _zu_viele_zeilen()
        kopf = in_stream.lstrip("\ufeff").split("\n", 1)[0]
        trenner = ";" if kopf.count(";") > kopf.count(",") else ","
        if kopf.count(trenner) >= KENNZAHLEN_MAX_SPALTEN:
            raise _zu_viele_spalten()
        return super().create_dataset(in_stream.lstrip("\ufeff"), delimiter=trenner, **kwargs)


class XLSXBegrenzt(XLSX):
    """The first sheet of an XLSX, read only as far as the caps allow."""

    def create_dataset(self, in_stream):
        import openpyxl
        import tablib

        try:
            with zipfile.ZipFile(io.BytesIO(in_stream)) as archiv:
                entpackt = sum(info.file_size for info in archiv.infolist())
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("Die Datei ist keine gültige XLSX-Datei.")) from exc
        if entpackt > KENNZAHLEN_MAX_ENTPACKT:
            raise _zu_viele_zeilen()
        mappe = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            zeilen = mappe.active.iter_rows(max_col=KENNZAHLEN_MAX_SPALTEN + 1, values_only=True)
            dataset = tablib.Dataset()
            breite = 0
            for nummer, zeile in enumerate(zeilen):
                if nummer > KENNZAHLEN_MAX_ZEILEN:
                    raise _zu_viele_zeilen()
                if len(zeile) > KENNZAHLEN_MAX_SPALTEN and zeile[-1] is not None:
                    raise _zu_viele_spalten()
                if nummer == 0:
                    kopf = list(zeile)
                    while kopf and kopf[-1] is None:
                        kopf.pop()
                    dataset.headers, breite = kopf, len(kopf)
                elif any(wert is not None for wert in zeile):
                    zeile = list(zeile[:breite])
                    dataset.append(zeile + [None] * (breite - len(zeile)))
        finally:
            mappe.close()
        return dataset


class KennzahlImportForm(ImportForm):
    def clean_import_file(self):
        datei = self.cleaned_data["import_file"]
        if datei.size > KENNZAHLEN_MAX_BYTES:
            raise ValidationError(
                _("Die Datei ist größer als %(max)s. Bitte teilen Sie sie auf.")
                % {"max": filesizeformat(KENNZAHLEN_MAX_BYTES)}
            )
        return datei


class KennzahlwertResource(resources.ModelResource):
    """One row per key figure and area: Kennzahl, Einheit, Quelle, Jahr, Aktionsraum, Wert,
    Dortmund (quartiere/services.py checks each row; one bad row refuses the whole file)."""

    kennzahl = fields.Field(
        attribute="kennzahl", column_name="Kennzahl", widget=ForeignKeyWidget(Kennzahl)
    )
    aktionsraum = fields.Field(
        attribute="aktionsraum", column_name="Aktionsraum", widget=ForeignKeyWidget(Aktionsraum)
    )
    wert = fields.Field(attribute="wert", column_name="Wert", widget=DecimalWidget())

    class Meta:
        model = Kennzahlwert
        fields = ["kennzahl", "aktionsraum", "wert"]
        import_id_fields = ["kennzahl", "aktionsraum"]
        use_transactions = True
        skip_unchanged = False

    def before_import(self, dataset, **kwargs):
        self._gesehen = {}

    def before_import_row(self, row, **kwargs):
        werte = services.kennzahl_zeile(row, gesehen=self._gesehen)
        row["Kennzahl"] = werte["kennzahl"].pk
        row["Aktionsraum"] = werte["aktionsraum"].pk
        row["Wert"] = str(werte["wert"])


class KennzahlwertInline(admin.TabularInline):
    model = Kennzahlwert
    extra = 0
    fields = ["aktionsraum", "wert"]


@admin.register(Kennzahl)
class KennzahlAdmin(GesichertMixin, ImportMixin, admin.ModelAdmin):
    resource_classes = [KennzahlwertResource]
    formats = [CSVMitSemikolon, XLSXBegrenzt]
    import_form_class = KennzahlImportForm
    list_display = ["name", "jahr", "einheit", "quelle", "wert_dortmund"]
    list_filter = ["jahr"]
    search_fields = ["name", "quelle"]
    inlines = [KennzahlwertInline]

    def add_success_message(self, result, request):
        # The library's own message has no German translation.
        messages.success(
            request,
            _("Import abgeschlossen: %(neu)d Werte neu, %(geaendert)d geändert.")
            % {
                "neu": result.totals[RowResult.IMPORT_TYPE_NEW],
                "geaendert": result.totals[RowResult.IMPORT_TYPE_UPDATE],
            },
        )

    def has_import_permission(self, request):
        # The import writes figures: it needs the rights to add and change them (the library
        # alone lets every account that reaches the admin import).
        return request.user.has_perms(
            ["quartiere.add_kennzahlwert", "quartiere.change_kennzahlwert"]
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
            return
        form.add_error(
            "import_file",
            _(
                "Die Datei konnte nicht gelesen werden. Bitte prüfen Sie, ob das gewählte "
                "Format (CSV oder XLSX) zur Datei passt."
            ),
        )

    def get_import_data_kwargs(self, **kwargs):
        # One refused row refuses the whole file: nothing of it is kept.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}
