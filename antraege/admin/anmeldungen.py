"""Gesperrte Anmeldungen: staff logins locked after repeated failures, and unlocking them."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from quartiere.admin_basis import GesichertMixin

from ..models import Anmeldesperre


@admin.register(Anmeldesperre)
class AnmeldesperreAdmin(GesichertMixin, admin.ModelAdmin):
    list_display = ["username", "ip_address", "attempt_time", "failures_since_start", "gesperrt"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "attempt_time", "failures_since_start", "gesperrt"]
    readonly_fields = fields
    actions = ["sperre_aufheben"]
    ordering = ["-attempt_time"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Only "Sperre aufheben", never Django's plain "delete selected".
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_queryset(self, request):
        # The failures of the whole address, for the lock-out of an address (many names).
        je_adresse = (
            AccessAttempt.objects.filter(ip_address=OuterRef("ip_address"))
            .values("ip_address")
            .annotate(n=Sum("failures_since_start"))
            .values("n")
        )
        return super().get_queryset(request).annotate(adresse_fehler=Subquery(je_adresse))

    @admin.display(description=_("gesperrt"), boolean=True)
    def gesperrt(self, obj):
        return (
            obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
            or (obj.adresse_fehler or 0) >= settings.AXES_ADRESSE_FAILURE_LIMIT
        )

    @admin.action(
        description=_("Sperre aufheben (die Person kann sich sofort wieder anmelden)"),
        permissions=["delete"],
    )
    def sperre_aufheben(self, request, queryset):
        namen = sorted({a.username for a in queryset if a.username})
        for a in queryset:
            reset(username=a.username, ip=a.ip_address)
        self.message_user(
            request,
            _("Sperre aufgehoben für: %(namen)s") % {"namen": ", ".join(namen) or "—"},
            messages.SUCCESS,
        )
