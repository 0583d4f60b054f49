"""The admin site of the Verwaltung: Django's own, but only for accounts that have given their
second factor (the middleware sends the others to it; this holds even without it)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class VerwaltungsSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()


class VerwaltungAdminConfig(AdminConfig):
    default_site = "aktionsplan.verwaltung.VerwaltungsSite"

    def ready(self):
        super().ready()
        # Listed first among the apps: every form cleans control characters from the start.
        from aktionsplan.kern import eingaben

        eingaben.formulare_bereinigen()
