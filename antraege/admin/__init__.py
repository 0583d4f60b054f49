"""The staff side (Verwaltung): one module per subject, shared scope and lookup rules in
`mixins`. Every list, page, search, autocomplete, export and download is narrowed to the
Aktionsräume the staff member may see (`quartiere.bereich.im_bereich`); every step goes through the
services."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartiere.admin_basis import GesichertMixin

from . import anmeldungen, antraege, haushalt, konferenzen, mails  # noqa: F401 (registers)

admin.site.site_header = _("Aktionsplan Soziale Stadt – Verwaltung")
admin.site.site_title = _("Aktionsplan Soziale Stadt – Verwaltung")
admin.site.index_title = _("Start")
admin.site.index_template = "admin/antraege/startseite.html"

# django-otp's own pages show keys and backup codes; a lost phone is reset with
# `manage.py zweiten_faktor_zuruecksetzen NAME` instead.
for _model in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# Django's own account pages (superusers only) take the same lookup whitelist: no
# `?password__startswith=` on the user list either.
class KontoAdmin(GesichertMixin, UserAdmin):
    pass


class GruppenAdmin(GesichertMixin, GroupAdmin):
    pass


for _model, _admin in ((User, KontoAdmin), (Group, GruppenAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
