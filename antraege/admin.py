"""Admin for budget years, Anträge and the mail outbox (the Projektbüro's daily tool)."""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import emails, services
from .models import (
    Aktionsraumfonds,
    Anlage,
    Antrag,
    AusgehendeMail,
    Haushaltsjahr,
    Kostenposition,
    StatusAenderung,
)
from .templatetags.geld import euro
from .views import serve_anlage


class FondsFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        betraege = [
            f.cleaned_data["betrag"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        gesamt = self.instance.gesamtbudget
        if gesamt is not None:
            services.fonds_summe_pruefen(gesamtbudget=gesamt, fonds_betraege=betraege)


class AktionsraumfondsInline(admin.TabularInline):
    model = Aktionsraumfonds
    formset = FondsFormSet
    extra = 0
    autocomplete_fields = ["aktionsraum"]


@admin.register(Haushaltsjahr)
class HaushaltsjahrAdmin(admin.ModelAdmin):
    list_display = ["jahr", "gesamtbudget_euro", "fonds_je_aktionsraum"]
    inlines = [AktionsraumfondsInline]

    @admin.display(description=_("Projektbudget gesamt"), ordering="gesamtbudget")
    def gesamtbudget_euro(self, obj):
        return euro(obj.gesamtbudget)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new year gets one fund per active Aktionsraum with the default amount.
            services.fonds_anlegen(haushaltsjahr=obj)


class KostenpositionInline(admin.TabularInline):
    model = Kostenposition
    extra = 0


class AnlageInline(admin.TabularInline):
    model = Anlage
    extra = 0
    fields = ["download", "content_type", "groesse", "hochgeladen_am"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Datei"))
    def download(self, obj):
        url = reverse("admin:antraege_anlage_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.dateiname)


class StatusAenderungInline(admin.TabularInline):
    model = StatusAenderung
    extra = 0
    fields = ["zeitpunkt", "von", "nach", "user", "durch_antragsteller", "kommentar"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Antrag)
class AntragAdmin(admin.ModelAdmin):
    list_display = [
        "aktenzeichen",
        "titel",
        "aktionsraum",
        "finanzierungsquelle",
        "status",
        "beantragter_betrag_euro",
        "eingereicht_am",
    ]
    list_filter = [
        "status",
        "aktionsraum",
        "aktionsraum__zustaendigkeit",
        "haushaltsjahr",
        "finanzierungsquelle",
    ]
    search_fields = ["aktenzeichen", "titel", "organisation", "ansprechperson", "email"]
    list_select_related = ["aktionsraum"]
    readonly_fields = [
        "aktenzeichen",
        "haushaltsjahr",
        "laufende_nummer",
        "status",
        "bewilligter_betrag",
        "eingereicht_am",
        "geaendert_am",
        "datenschutz_zugestimmt_am",
    ]
    inlines = [KostenpositionInline, AnlageInline, StatusAenderungInline]
    date_hierarchy = "eingereicht_am"

    @admin.display(description=_("Beantragt"), ordering="beantragter_betrag")
    def beantragter_betrag_euro(self, obj):
        return euro(obj.beantragter_betrag)

    def get_urls(self):
        return [
            path(
                "anlage/<int:anlage_id>/",
                self.admin_site.admin_view(self.anlage_download),
                name="antraege_anlage_download",
            ),
            *super().get_urls(),
        ]

    def anlage_download(self, request, anlage_id):
        anlage = Anlage.objects.select_related("antrag").filter(pk=anlage_id).first()
        if anlage is None or not self.has_view_permission(request, anlage.antrag):
            raise Http404
        return serve_anlage(anlage)


@admin.register(AusgehendeMail)
class AusgehendeMailAdmin(admin.ModelAdmin):
    list_display = ["betreff", "erstellt_am", "gesendet_am", "versuche", "letzter_fehler"]
    list_filter = [("gesendet_am", admin.EmptyFieldListFilter)]
    search_fields = ["betreff", "antrag__aktenzeichen"]
    readonly_fields = [
        "antrag",
        "empfaenger",
        "betreff",
        "text",
        "html",
        "erstellt_am",
        "gesendet_am",
        "versuche",
        "letzter_fehler",
    ]
    actions = ["erneut_senden"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Ausgewählte E-Mails erneut senden"))
    def erneut_senden(self, request, queryset):
        sent = sum(emails.mail_senden(mail_id=m.pk) for m in queryset.filter(gesendet_am=None))
        self.message_user(request, _("%(n)d E-Mail(s) gesendet.") % {"n": sent}, messages.INFO)
