"""Admin for the mail outbox: what was sent, what failed and why, and sending again."""

from django.contrib import admin, messages
from django.contrib.admin import EmptyFieldListFilter
from django.utils.translation import gettext_lazy as _

from .. import emails
from ..models import AusgehendeMail
from .mixins import BereichMixin


@admin.register(AusgehendeMail)
class AusgehendeMailAdmin(BereichMixin, admin.ModelAdmin):
    bereich_feld = "antrag__aktionsraum"
    list_display = ["betreff", "erstellt_am", "gesendet_am", "versuche", "letzter_fehler"]
    list_filter = [("gesendet_am", EmptyFieldListFilter)]
    search_fields = ["betreff", "antrag__aktenzeichen"]
    readonly_fields = [
        "antrag",
        "empfaenger",
        "betreff",
        "text",
        "html",
        "erstellt_am",
        "gesendet_am",
        "versuche",
        "letzter_fehler",
        "hinweis",
    ]
    actions = ["erneut_senden"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Ausgewählte E-Mails erneut senden"))
    def erneut_senden(self, request, queryset):
        sent = sum(emails.mail_senden(mail_id=m.pk) for m in queryset.filter(gesendet_am=None))
        self.message_user(request, _("%(n)d E-Mail(s) gesendet.") % {"n": sent}, messages.INFO)
