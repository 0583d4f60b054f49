"""django-axes with one rule more: many failed logins from one address lock that address.

axes locks an account name from one address after AXES_FAILURE_LIMIT failures (so nobody
elsewhere can lock a colleague out). Spraying one password over many account names from one
address would never hit that limit; AXES_ADRESSE_FAILURE_LIMIT failures from one address, for
any names, within the cool-off time lock the address itself.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AnmeldeschutzHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.adresse_gesperrt(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and self.adresse_gesperrt(request):
            # Answered with the lock-out page (429), as a locked account is.
            request.axes_locked_out = True

    def adresse_gesperrt(self, request) -> bool:
        adresse = getattr(request, "axes_ip_address", None)
        if not adresse:
            return False
        versuche = AccessAttempt.objects.filter(
            ip_address=adresse, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(n=Sum("failures_since_start"))["n"]
        return (versuche or 0) >= settings.AXES_ADRESSE_FAILURE_LIMIT
