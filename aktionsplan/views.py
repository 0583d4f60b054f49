"""Error pages rendered with the portal's own layout; the Datenschutzerklärung."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import ngettext


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request's context: this page must work while the database is down.
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def dauer(monate: int) -> str:
    """12 -> "1 Jahr", 120 -> "10 Jahre", 18 -> "18 Monate"."""
    if monate % 12 == 0:
        jahre = monate // 12
        return ngettext("%(n)d Jahr", "%(n)d Jahre", jahre) % {"n": jahre}
    return ngettext("%(n)d Monat", "%(n)d Monate", monate) % {"n": monate}


def datenschutz(request):
    """The Datenschutzerklärung, with the retention periods and limits the code applies."""
    from antraege.models import Status

    fristen = [
        (Status(status).label, dauer(monate))
        for status, monate in settings.AUFBEWAHRUNG_MONATE.items()
    ]
    return render(
        request,
        "pages/datenschutz.html",
        {
            "fristen": fristen,
            "axes_tage": settings.AXES_PROTOKOLL_TAGE,
            "doppelt_stunden": settings.ANTRAG_DOPPELT_STUNDEN,
            "sitzung_stunden": settings.SESSION_COOKIE_AGE // 3600,
        },
    )
