"""Admin for budget years, Anträge and the mail outbox (the Projektbüro's daily tool)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import emails, selectors, services
from .forms import EuroField
from .models import (
    Aktionsraumfonds,
    Anlage,
    Antrag,
    AusgehendeMail,
    Haushaltsjahr,
    Kostenposition,
    Status,
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
    list_display = ["jahr", "gesamtbudget_euro", "fonds_je_aktionsraum", "uebersicht_link"]
    inlines = [AktionsraumfondsInline]

    @admin.display(description=_("Übersicht"))
    def uebersicht_link(self, obj):
        url = reverse("admin:antraege_haushaltsjahr_uebersicht")
        return format_html('<a href="{}?jahr={}">{}</a>', url, obj.jahr, _("Budgetübersicht"))

    def get_urls(self):
        return [
            path(
                "uebersicht/",
                self.admin_site.admin_view(self.uebersicht),
                name="antraege_haushaltsjahr_uebersicht",
            ),
            *super().get_urls(),
        ]

    def uebersicht(self, request):
        """Budget, granted and available per fund and for the central budget, year selectable."""
        if not self.has_view_permission(request):
            raise Http404
        jahre = list(Haushaltsjahr.objects.values_list("jahr", flat=True))
        jahr = request.GET.get("jahr", "")
        hj = Haushaltsjahr.objects.filter(jahr=int(jahr)).first() if jahr.isdigit() else None
        hj = hj or services.haushaltsjahr_fuer(jahr=timezone.localdate().year)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Budgetübersicht %(jahr)s") % {"jahr": hj.jahr},
            "hj": hj,
            "jahre": jahre or [hj.jahr],
            **selectors.budget_uebersicht(haushaltsjahr=hj),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/uebersicht.html", context)

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
    change_form_template = "admin/antraege/antrag/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        antrag = self.get_object(request, object_id)
        if antrag is not None:
            schritte = services.naechste_schritte(antrag=antrag)
            extra_context = {
                **(extra_context or {}),
                "naechste_schritte": [(s, Status(s).label) for s in schritte],
                "kann_bewilligen": Status.BEWILLIGT in schritte,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Beantragt"), ordering="beantragter_betrag")
    def beantragter_betrag_euro(self, obj):
        return euro(obj.beantragter_betrag)

    def get_urls(self):
        return [
            path(
                "<int:antrag_id>/schritt/",
                self.admin_site.admin_view(require_POST(self.schritt)),
                name="antraege_antrag_schritt",
            ),
            path(
                "anlage/<int:anlage_id>/",
                self.admin_site.admin_view(self.anlage_download),
                name="antraege_anlage_download",
            ),
            *super().get_urls(),
        ]

    def schritt(self, request, antrag_id):
        """Takes one workflow step through the services; refusals come back as messages."""
        antrag = get_object_or_404(self.get_queryset(request), pk=antrag_id)
        if not self.has_change_permission(request, antrag):
            raise Http404
        nach = request.POST.get("nach", "")
        kommentar = request.POST.get("kommentar", "")[:2000]
        try:
            if nach == Status.BEWILLIGT:
                betrag = EuroField().clean(request.POST.get("betrag", ""))
                services.antrag_bewilligen(
                    antrag=antrag, betrag=betrag, by=request.user, kommentar=kommentar
                )
            elif nach in services.naechste_schritte(antrag=antrag):
                services.antrag_status_setzen(
                    antrag=antrag, nach=nach, by=request.user, kommentar=kommentar
                )
            else:
                raise ValidationError(_("Dieser Schritt ist nicht möglich."))
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request, _("Neuer Status: %(status)s") % {"status": Status(nach).label}
            )
        return redirect("admin:antraege_antrag_change", antrag.pk)

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
