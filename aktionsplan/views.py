"""Error pages rendered with the portal's own layout; the Datenschutzerklärung; /healthz."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from .kern.seitencache import oeffentlich


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


@require_safe
@oeffentlich
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


log = logging.getLogger(__name__)


def healthz(request):
    """200 "ok" while the database answers; 503 with a German page (no traceback) when not.
    For load balancers and monitoring; no session, no cookie, never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("healthz: database not reachable: %s", type(exc).__name__)
        response = HttpResponse(
            loader.get_template("503.html").render(), status=503, content_type="text/html"
        )
        response["Retry-After"] = "30"
    else:
        response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
