"""The staff side (Verwaltung): one module per subject, shared scope and lookup rules in
`mixins`. Every list, page, search, autocomplete, export and download is narrowed to the
Aktionsräume the staff member may see (`selectors.im_bereich`); every step goes through the
services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import anmeldungen, antraege, haushalt, konferenzen, mails  # noqa: F401 (registers)

admin.site.site_header = _("Aktionsplan Soziale Stadt – Verwaltung")
admin.site.site_title = _("Aktionsplan Soziale Stadt – Verwaltung")
admin.site.index_title = _("Start")
admin.site.index_template = "admin/antraege/startseite.html"
