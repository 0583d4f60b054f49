"""Admin for Aktionsräume and Beauftragte: staff maintain areas and contacts here."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from antraege.admin.mixins import BeschriftetesModelFormSet, GesichertMixin

from .models import Aktionsraum, Beauftragte


@admin.register(Aktionsraum)
class AktionsraumAdmin(GesichertMixin, admin.ModelAdmin):
    list_display = ["name", "art", "zustaendigkeit", "stadtbezirk", "contacts", "is_active"]
    list_filter = ["zustaendigkeit", "art", "is_active", "stadtbezirk"]
    search_fields = ["name", "slug", "stadtbezirk", "beauftragte__name"]
    prepopulated_fields = {"slug": ["name"]}
    # Check boxes, not the two-list widget: it works without JavaScript and for screen readers.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_editable = ["is_active"]
    ordering = ["sort_order", "name"]

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
