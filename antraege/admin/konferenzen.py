"""Admin for Projektkonferenzen: attendees, agenda, Beschlüsse, agenda and protocol prints."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from antraege.services.konferenz import (
    beschluss_fassen,
    konferenz_datum_pruefen,
    tagesordnung_pruefen,
)
from quartiere.admin_basis import BeschriftetesInlineFormSet

from ..models import Beschluss, Projektkonferenz, Teilnahme
from .formulare import BeschlussForm, fehlertext
from .inlines import BeschlussInline
from .mixins import BereichMixin, meldung


class AgendaAutocomplete(AutocompleteSelectMultiple):
    """select2 without its "clear all" cross: it sits in the list of choices as a non-item,
    which screen readers announce wrongly (axe: list). Each choice keeps its own ×."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class TeilnahmeInline(admin.TabularInline):
    model = Teilnahme
    extra = 3
    formset = BeschriftetesInlineFormSet


class ProjektkonferenzForm(forms.ModelForm):
    class Meta:
        model = Projektkonferenz
        fields = [
            "aktionsraum",
            "datum",
            "ort",
            "nachtrag_begruendung",
            "tagesordnung",
            "protokoll",
        ]

    # Set per request by the admin's get_form: the account that enters the conference.
    user = None

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or {"datum", "nachtrag_begruendung"} & set(self.changed_data):
            try:
                konferenz_datum_pruefen(
                    datum=data.get("datum"),
                    user=self.user,
                    begruendung=data.get("nachtrag_begruendung", ""),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        if data.get("aktionsraum") and data.get("tagesordnung") is not None:
            try:
                tagesordnung_pruefen(aktionsraum=data["aktionsraum"], antraege=data["tagesordnung"])
            except ValidationError as exc:
                self.add_error("tagesordnung", exc)
        return data


@admin.register(Projektkonferenz)
class ProjektkonferenzAdmin(BereichMixin, SimpleHistoryAdmin):
    form = ProjektkonferenzForm
    list_display = ["datum", "aktionsraum", "ort", "anzahl_antraege"]
    list_filter = ["aktionsraum"]
    search_fields = ["ort", "aktionsraum__name", "tagesordnung__aktenzeichen"]
    list_select_related = ["aktionsraum"]
    autocomplete_fields = ["tagesordnung"]
    inlines = [TeilnahmeInline, BeschlussInline]
    date_hierarchy = "datum"
    change_form_template = "admin/antraege/projektkonferenz/change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tagesordnung":
            kwargs["widget"] = AgendaAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    @admin.display(description=_("Anträge auf der Tagesordnung"))
    def anzahl_antraege(self, obj):
        return obj.tagesordnung.count()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        konferenz = self.get_object(request, object_id)
        if konferenz is not None:
            entschieden = set(konferenz.beschluesse.values_list("antrag_id", flat=True))
            extra_context = {
                **(extra_context or {}),
                "offene_antraege": [
                    a for a in konferenz.tagesordnung.all() if a.pk not in entschieden
                ],
                "ergebnisse": Beschluss.Ergebnis.choices,
                "kann_beschliessen": request.user.has_perm("antraege.add_beschluss"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:konferenz_id>/beschluss/",
                view(require_POST(self.beschluss)),
                name="antraege_projektkonferenz_beschluss",
            ),
            path(
                "<int:konferenz_id>/tagesordnung/",
                view(self.tagesordnung_drucken),
                name="antraege_projektkonferenz_tagesordnung",
            ),
            path(
                "<int:konferenz_id>/protokoll/",
                view(self.protokoll),
                name="antraege_projektkonferenz_protokoll",
            ),
            *super().get_urls(),
        ]

    def beschluss(self, request, konferenz_id):
        """Records one Beschluss through the services."""
        konferenz = get_object_or_404(self.get_queryset(request), pk=konferenz_id)
        if not request.user.has_perm("antraege.add_beschluss"):
            raise PermissionDenied
        form = BeschlussForm(request.POST, konferenz=konferenz)
        if not form.is_valid():
            self.message_user(request, fehlertext(form), messages.ERROR)
            return redirect("admin:antraege_projektkonferenz_change", konferenz.pk)
        daten = form.cleaned_data
        try:
            beschluss_fassen(
                konferenz=konferenz,
                antrag=daten["antrag"],
                ergebnis=daten["ergebnis"],
                betrag=daten["betrag_wert"],
                begruendung=daten["begruendung"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Beschluss zu %(az)s eingetragen.") % {"az": daten["antrag"].aktenzeichen},
            )
        return redirect("admin:antraege_projektkonferenz_change", konferenz.pk)

    def tagesordnung_drucken(self, request, konferenz_id):
        """The agenda to send out before the meeting: every Antrag with what it asks for."""
        return self._drucken(request, konferenz_id, "tagesordnung")

    def protokoll(self, request, konferenz_id):
        """A clean page to print the protocol (or save it as PDF from the browser)."""
        return self._drucken(request, konferenz_id, "protokoll")

    def _drucken(self, request, konferenz_id, vorlage):
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        return TemplateResponse(
            request,
            f"admin/antraege/projektkonferenz/{vorlage}.html",
            {
                "konferenz": konferenz,
                "teilnahmen": konferenz.teilnahmen.all(),
                "tagesordnung": konferenz.tagesordnung.select_related("aktionsraum").order_by(
                    "aktenzeichen"
                ),
                "beschluesse": konferenz.beschluesse.select_related("antrag"),
            },
        )
