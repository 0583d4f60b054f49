"""Admin for budget years and funds, the budget overview and the yearly report."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import exports, selectors, services
from ..models import Aktionsraumfonds, Haushaltsjahr
from ..templatetags.geld import euro
from .mixins import BereichsAuswahlMixin, BeschriftetesInlineFormSet, GesichertMixin


class FondsFormSet(BeschriftetesInlineFormSet):
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


class AktionsraumfondsInline(BereichsAuswahlMixin, admin.TabularInline):
    model = Aktionsraumfonds
    formset = FondsFormSet
    extra = 0
    autocomplete_fields = ["aktionsraum"]
    can_delete = False


@admin.register(Haushaltsjahr)
class HaushaltsjahrAdmin(GesichertMixin, SimpleHistoryAdmin):
    list_display = ["jahr", "gesamtbudget_euro", "fonds_je_aktionsraum", "uebersicht_link"]
    inlines = [AktionsraumfondsInline]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Übersicht"))
    def uebersicht_link(self, obj):
        url = reverse("admin:antraege_haushaltsjahr_uebersicht")
        return format_html('<a href="{}?jahr={}">{}</a>', url, obj.jahr, _("Budgetübersicht"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("uebersicht/", view(self.uebersicht), name="antraege_haushaltsjahr_uebersicht"),
            path(
                "uebersicht/<str:fmt>/",
                view(self.uebersicht_export),
                name="antraege_haushaltsjahr_uebersicht_export",
            ),
            path("bericht/", view(self.bericht), name="antraege_haushaltsjahr_bericht"),
            path("bericht/csv/", view(self.bericht_csv), name="antraege_haushaltsjahr_bericht_csv"),
            *super().get_urls(),
        ]

    def _jahr(self, request):
        """The year asked for with ?jahr=, else the current one."""
        if not request.user.has_perm("antraege.view_antrag"):
            raise PermissionDenied
        jahr = request.GET.get("jahr", "")
        hj = Haushaltsjahr.objects.filter(jahr=int(jahr)).first() if jahr.isdigit() else None
        return hj or services.haushaltsjahr_fuer(jahr=timezone.localdate().year)

    def _context(self, request, hj, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "hj": hj,
            "jahre": list(Haushaltsjahr.objects.values_list("jahr", flat=True)) or [hj.jahr],
        }

    def uebersicht(self, request):
        """Budget, granted, paid and available per fund and for the central budget."""
        hj = self._jahr(request)
        context = {
            **self._context(request, hj, _("Budgetübersicht %(jahr)s") % {"jahr": hj.jahr}),
            **selectors.budget_uebersicht(haushaltsjahr=hj, user=request.user),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/uebersicht.html", context)

    def uebersicht_export(self, request, fmt):
        if fmt not in exports.FORMATE:
            raise Http404
        hj = self._jahr(request)
        daten = selectors.budget_uebersicht(haushaltsjahr=hj, user=request.user)
        spalten = ["budget", "gebunden", "ausgezahlt", "verfuegbar"]
        return exports.tabelle_herunterladen(
            kopf=["Topf", "Budget", "Bewilligt", "Ausgezahlt", "Verfügbar"],
            zeilen=[[z["name"], *[z[s] for s in spalten]] for z in daten["zeilen"]]
            + [["Gesamt", *[daten["summe"][s] for s in spalten]]],
            name=f"budgetuebersicht-{hj.jahr}",
            fmt=fmt,
        )

    def bericht(self, request):
        """Yearly report per Aktionsraum and goal: count, granted, paid."""
        hj = self._jahr(request)
        context = {
            **self._context(request, hj, _("Jahresbericht %(jahr)s") % {"jahr": hj.jahr}),
            "zeilen": selectors.jahresbericht(haushaltsjahr=hj, user=request.user),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/bericht.html", context)

    def bericht_csv(self, request):
        hj = self._jahr(request)
        zeilen = selectors.jahresbericht(haushaltsjahr=hj, user=request.user)
        return exports.tabelle_herunterladen(
            kopf=["Aktionsraum", "Ziel", "Anzahl bewilligt", "Bewilligt", "Ausgezahlt"],
            zeilen=[
                [z["aktionsraum"], z["ziel"], z["anzahl"], z["bewilligt"], z["ausgezahlt"]]
                for z in zeilen
            ],
            name=f"jahresbericht-{hj.jahr}",
            fmt="csv",
        )

    @admin.display(description=_("Projektbudget gesamt"), ordering="gesamtbudget")
    def gesamtbudget_euro(self, obj):
        return euro(obj.gesamtbudget)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new year gets one fund per active Aktionsraum with the default amount.
            services.fonds_anlegen(haushaltsjahr=obj)
