"""Admin for Aktionsräume and Beauftragte: staff maintain areas and contacts here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from antraege.admin.mixins import GesichertMixin

from .models import Aktionsraum, Beauftragte


@admin.register(Aktionsraum)
class AktionsraumAdmin(GesichertMixin, admin.ModelAdmin):
    list_display = ["name", "art", "zustaendigkeit", "stadtbezirk", "contacts", "is_active"]
    list_filter = ["zustaendigkeit", "art", "is_active", "stadtbezirk"]
    search_fields = ["name", "slug", "stadtbezirk", "beauftragte__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["beauftragte"]
    list_editable = ["is_active"]
    ordering = ["sort_order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("beauftragte")

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
