"""Admin for budget years and funds, the budget overview and the yearly report."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from aktionsplan.kern import eingaben
from antraege.selectors import berichte
from antraege.services import budget
from quartiere.admin_basis import BereichsAuswahlMixin, BeschriftetesInlineFormSet, GesichertMixin

from .. import exports
from ..forms.felder import EuroField, EuroInput
from ..models import Aktionsraumfonds, Haushaltsjahr
from .mixins import euro_spalte


class FondsForm(forms.ModelForm):
    def clean(self):
        """A fund that has bookings keeps its area and never drops below what it bound."""
        cleaned = super().clean()
        for name in ("aktionsraum", "betrag"):
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        budget.fonds_aenderung_pruefen(fonds=self.instance)
        return cleaned


class HaushaltsjahrForm(forms.ModelForm):
    def clean(self):
        """The year's number, set-up state and total are checked against its bookings, with
        the year locked until its funds are saved (the admin's view is one transaction)."""
        budget.haushaltsjahr_sperren(haushaltsjahr=self.instance)
        cleaned = super().clean()
        pruefen = Haushaltsjahr(
            pk=self.instance.pk,
            **{
                name: cleaned.get(name, getattr(self.instance, name))
                for name in ("jahr", "gesamtbudget", "fonds_je_aktionsraum", "eingerichtet")
            },
        )
        budget.haushaltsjahr_aenderung_pruefen(haushaltsjahr=pruefen)
        return cleaned


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
            budget.fonds_summe_pruefen(gesamtbudget=gesamt, fonds_betraege=betraege)


# Money typed and shown as people write it ("226.000,00"), not as Python does ("226000.00").
# No upper limit but the model's twelve digits (EuroField's own 1.000.000 € is for Anträge).
GELD_EINGABE = {
    models.DecimalField: {"form_class": EuroField, "widget": EuroInput, "max_value": None}
}


class AktionsraumfondsInline(BereichsAuswahlMixin, admin.TabularInline):
    model = Aktionsraumfonds
    form = FondsForm
    formfield_overrides = GELD_EINGABE
    formset = FondsFormSet
    extra = 0
    autocomplete_fields = ["aktionsraum"]
    can_delete = False


@admin.register(Haushaltsjahr)
class HaushaltsjahrAdmin(GesichertMixin, SimpleHistoryAdmin):
    form = HaushaltsjahrForm
    formfield_overrides = GELD_EINGABE
    list_display = [
        "jahr",
        "gesamtbudget_euro",
        "fonds_je_aktionsraum_euro",
        "eingerichtet",
        "uebersicht_link",
    ]
    inlines = [AktionsraumfondsInline]

    def get_changeform_initial_data(self, request):
        # A year staff add here is one they set up with its amounts.
        return {"eingerichtet": True, **super().get_changeform_initial_data(request)}

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
            path(
                "bericht/<str:fmt>/",
                view(self.bericht_export),
                name="antraege_haushaltsjahr_bericht_export",
            ),
            *super().get_urls(),
        ]

    def _jahr(self, request):
        """The year asked for with ?jahr=, else the current one, else the newest there is.
        A page that only reads creates no year (a submission or staff do that)."""
        if not request.user.has_perm("antraege.view_antrag"):
            raise PermissionDenied
        jahr = eingaben.ganzzahl(request.GET.get("jahr"))
        jahre = Haushaltsjahr.objects.all()
        hj = (
            (jahre.filter(jahr=jahr).first() if jahr is not None else None)
            or jahre.filter(jahr=timezone.localdate().year).first()
            or jahre.order_by("-jahr").first()
        )
        if hj is None:
            raise Http404(_("Es ist noch kein Haushaltsjahr angelegt."))
        return hj

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
            **berichte.budget_uebersicht(haushaltsjahr=hj, user=request.user),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/uebersicht.html", context)

    def uebersicht_export(self, request, fmt):
        if fmt not in exports.FORMATE:
            raise Http404
        hj = self._jahr(request)
        daten = berichte.budget_uebersicht(haushaltsjahr=hj, user=request.user)
        spalten = [key for key, _label in daten["spalten"]]
        return exports.tabelle_herunterladen(
            kopf=[_("Topf"), *[label for _key, label in daten["spalten"]]],
            zeilen=[[z["name"], *[z[s] for s in spalten]] for z in daten["zeilen"]]
            + [[_("Gesamt"), *[daten["summe"][s] for s in spalten]]],
            name=f"budgetuebersicht-{hj.jahr}",
            fmt=fmt,
        )

    def bericht(self, request):
        """Yearly report per Aktionsraum and goal: counts, participants and money."""
        hj = self._jahr(request)
        context = {
            **self._context(request, hj, _("Jahresbericht %(jahr)s") % {"jahr": hj.jahr}),
            **berichte.jahresbericht(haushaltsjahr=hj, user=request.user),
            "geld_spalten": berichte.BERICHT_GELD,
            "kurz": berichte.BERICHT_KURZ,
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/bericht.html", context)

    def bericht_export(self, request, fmt):
        if fmt not in exports.FORMATE:
            raise Http404
        hj = self._jahr(request)
        bericht = berichte.jahresbericht(haushaltsjahr=hj, user=request.user)
        spalten = [key for key, _label in bericht["spalten"]]
        return exports.tabelle_herunterladen(
            kopf=[_("Aktionsraum"), _("Ziel"), *[label for _key, label in bericht["spalten"]]],
            zeilen=[
                [z["aktionsraum"], z["ziel"], *[z[s] for s in spalten]]
                for z in [*bericht["zeilen"], bericht["summe"]]
            ],
            name=f"jahresbericht-{hj.jahr}",
            fmt=fmt,
        )

    gesamtbudget_euro = euro_spalte("gesamtbudget", _("Projektbudget gesamt"))
    fonds_je_aktionsraum_euro = euro_spalte(
        "fonds_je_aktionsraum", _("Aktionsraumfonds je Aktionsraum")
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A year set up here gets one fund per active Aktionsraum with the default amount
        # (funds entered in the form are kept).
        budget.haushaltsjahr_einrichten(haushaltsjahr=form.instance)
