"""App config for the Aktionsräume."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartiereConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quartiere"
    verbose_name = _("Aktionsräume")

    def ready(self):
        from aktionsplan.kern import seitencache

        seitencache.beobachten(*self.get_models())
