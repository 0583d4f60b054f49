"""App config for the funding applications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntraegeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "antraege"
    verbose_name = _("Anträge und Budget")

    def ready(self):
        from aktionsplan.kern import seitencache
        from quartiere import bereich, seiten

        from . import models
        from .selectors import berichte

        # Every row tied to an Aktionsraum is narrowed by the one scope rule.
        bereich.bereich_eintragen(
            recht_alle="antraege.alle_aktionsraeume",
            pfade={
                models.Antrag: "aktionsraum",
                models.Projektkonferenz: "aktionsraum",
                models.Aktionsraumfonds: "aktionsraum",
                models.AusgehendeMail: "antrag__aktionsraum",
                models.Beschluss: "antrag__aktionsraum",
                models.Auszahlung: "antrag__aktionsraum",
                models.Anlage: "antrag__aktionsraum",
                models.Teilnahme: "konferenz__aktionsraum",
                models.Mitglied: "aktionsraum",
                models.Einladung: "konferenz__aktionsraum",
                models.Befangenheit: "konferenz__aktionsraum",
            },
        )
        # An area retires only after the last year with its money or Anträge.
        from quartiere import models as quartiere_models

        from .services.budget import ausscheiden_pruefen

        if ausscheiden_pruefen not in quartiere_models.AUSSCHEIDEN_PRUEFUNGEN:
            quartiere_models.AUSSCHEIDEN_PRUEFUNGEN.append(ausscheiden_pruefen)
        # A district page shows its next Projektkonferenz and what its fund has granted.
        from .selectors import statusseite

        seiten.teil_eintragen(
            "antraege/includes/naechste_konferenz.html",
            lambda aktionsraum: {
                "naechste": statusseite.konferenz_fuer_eingang(aktionsraum=aktionsraum),
                "aktionsraum": aktionsraum,
            },
        )
        seiten.teil_eintragen(
            "antraege/includes/fonds_transparenz.html",
            lambda aktionsraum: {
                "fonds": berichte.fonds_transparenz(aktionsraum=aktionsraum),
                "aktionsraum": aktionsraum,
            },
        )

        # What the public pages show: areas' years, funds, bookings and the Anträge' titles;
        # the start page also the next Projektkonferenzen and the decisions' duration.
        seitencache.beobachten(
            models.Haushaltsjahr,
            models.Aktionsraumfonds,
            models.Buchung,
            models.Antrag,
            models.Projektkonferenz,
            models.StatusAenderung,
        )
        # The form's first page is kept as a template; each visitor's token is filled in here.
        from .views.formular import formular_aus_vorlage

        seitencache.fuellung_eintragen("antraege:form", formular_aus_vorlage)
