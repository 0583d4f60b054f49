"""The admin site of the Verwaltung: Django's own, but only for accounts that have given their
second factor (the middleware sends the others to it; this holds even without it)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path
from django.views.decorators.cache import never_cache


class VerwaltungsSite(admin.AdminSite):
    # One link to the public portal: the header's own ("Zum öffentlichen Portal"), not also
    # Django's "Website anzeigen".
    site_url = None
    # The header's own navigation (Start, Anträge, Projektkonferenzen, …) leads everywhere;
    # Django's left-hand list of models would take 300 px from every table.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self):
        """Django's own, but logging out needs no second factor: Django sends an account
        without the site's permission from logout back to the start page, so a person on the
        two-factor page could not log out (Django's LogoutView takes only a POST with a valid
        CSRF token)."""
        return [
            path("logout/", never_cache(self.logout), name="logout")
            if getattr(muster, "name", None) == "logout"
            else muster
            for muster in super().get_urls()
        ]


class VerwaltungAdminConfig(AdminConfig):
    default_site = "aktionsplan.verwaltung.VerwaltungsSite"

    def ready(self):
        super().ready()
        # Listed first among the apps: every form cleans control characters from the start.
        from aktionsplan.kern import eingaben

        eingaben.formulare_bereinigen()
