"""Locked staff logins, as the admin shows them."""

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _


class Anmeldesperre(AccessAttempt):
    """Failed staff logins as the Projektbüro sees them: who is locked out, and unlocking."""

    class Meta:
        proxy = True
        verbose_name = _("Gesperrte Anmeldung")
        verbose_name_plural = _("Gesperrte Anmeldungen")
