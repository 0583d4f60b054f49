"""App config for the funding applications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntraegeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "antraege"
    verbose_name = _("Anträge und Budget")

    def ready(self):
        from aktionsplan import seitencache

        from . import models

        # What the public pages show: areas' years, funds, bookings and the Anträge' titles.
        seitencache.beobachten(
            models.Haushaltsjahr, models.Aktionsraumfonds, models.Buchung, models.Antrag
        )
