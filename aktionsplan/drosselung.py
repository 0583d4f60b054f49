"""Who a request comes from, and the rate limits of the public forms (django-ratelimit).

The limits are counted in the default cache, which every worker and instance shares (the
database cache, `aktionsplan/cache.py`). Each one is a setting (`RATELIMITS`, from the
environment; see the README), e.g. "10/h" for ten per hour.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited


def client_adresse(request) -> str:
    """The visitor's address. Behind `PROXY_COUNT` reverse proxies, each of which appends the
    address it saw to X-Forwarded-For, it is that many entries from the right; what a client
    writes there itself stays to the left and is never believed."""
    adresse = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    anzahl = settings.PROXY_COUNT
    if anzahl:
        kette = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(kette) >= anzahl:
            adresse = kette[-anzahl]
    try:
        return str(ipaddress.ip_address(adresse))
    except ValueError:
        return "0.0.0.0"


def _rate(name):
    return lambda group, request: settings.RATELIMITS[name]


def _email_key(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


def _link_key(group, request) -> str:
    """One status link (one Antrag, so one e-mail address); the token itself is not kept."""
    token = (request.resolver_match.kwargs.get("token") if request.resolver_match else "") or ""
    return hashlib.sha256(token.encode()).hexdigest()


def antrag_form(view):
    """Every post of the application form (round trips for a cost row included), per address."""
    return ratelimit(key="ip", rate=_rate("formular_adresse"), method="POST", group="formular")(
        view
    )


def antrag_zaehlen(request) -> None:
    """Counts one Antrag about to be stored (or one repeat whose link is mailed again), per
    client address and per e-mail address; raises Ratelimited (answered with 429) when one
    of them is used up."""
    for group, key, name in [
        ("antrag-a", "ip", "antrag_adresse"),
        ("antrag-e", _email_key, "antrag_email"),
    ]:
        if is_ratelimited(
            request, group=group, key=key, rate=_rate(name), method="POST", increment=True
        ):
            raise Ratelimited


def entwurf_zaehlen(request) -> None:
    """Counts one draft link mailed, per e-mail address; raises Ratelimited when used up."""
    if is_ratelimited(
        request,
        group="entwurf-e",
        key=_email_key,
        rate=_rate("entwurf_email"),
        method="POST",
        increment=True,
    ):
        raise Ratelimited


def statuslink_form(view):
    """The forms behind a status link (answer, proof, withdrawal): per address and per link."""
    view = ratelimit(key="ip", rate=_rate("status_adresse"), method="POST", group="status-a")(view)
    return ratelimit(key=_link_key, rate=_rate("status_link"), method="POST", group="status-l")(
        view
    )


def statuslink_anfordern(view):
    """ "Statuslink verloren?": per address, and per e-mail address asked for."""
    view = ratelimit(key="ip", rate=_rate("statuslink_adresse"), method="POST", group="link-a")(
        view
    )
    return ratelimit(key=_email_key, rate=_rate("statuslink_email"), method="POST",
                     group="link-e")(view)  # fmt: skip


def download(view):
    """Attachment downloads: per address and per link."""
    view = ratelimit(key="ip", rate=_rate("download_adresse"), group="download-a")(view)
    return ratelimit(key=_link_key, rate=_rate("download_link"), group="download-l")(view)


def zu_viele_anfragen(request, exception=None):
    """RATELIMIT_VIEW: a German page with 429 Too Many Requests."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response
