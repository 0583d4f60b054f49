"""Who a request comes from, and the rate limits of the public forms (django-ratelimit).

The limits are counted in the default cache, which every worker and instance shares (the
database cache, `aktionsplan/kern/cache.py`). Each one is a setting (`RATELIMITS`, from the
environment; see the README), e.g. "10/h" for ten per hour.
"""

import hashlib
import ipaddress
import unicodedata

from django.conf import settings
from django.core.cache import caches
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
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return "0.0.0.0"
    # An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d: it is that IPv4 address
    # (else every such client would share the one /64 the limits count IPv6 by).
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def client_netz(request) -> str:
    """The client as every limit and cap counts it: an IPv4 address, or the /64 network of
    an IPv6 address (one connection usually has a whole /64; counting single addresses let
    17 addresses of one block use up the uploads of everyone). Rate limits count the same
    way (RATELIMIT_IPV6_MASK)."""
    adresse = ipaddress.ip_address(client_adresse(request))
    if adresse.version == 4:
        return str(adresse)
    return str(ipaddress.ip_network(f"{adresse}/{settings.RATELIMIT_IPV6_MASK}", strict=False))


def _rate(name):
    return lambda group, request: settings.RATELIMITS[name]


def email_normalisieren(text: str) -> str:
    """An e-mail address as the portal looks it up: without NUL characters, in Unicode's
    compatibility form (a full-width "ｅ" is an "e"), at most 254 characters, trimmed."""
    text = unicodedata.normalize("NFKC", text.replace("\x00", ""))
    return text.strip()[:254].strip()


def email_schluessel(text: str) -> str:
    """One key for every spelling the lookup treats as the same address: the database's
    case-insensitive match compares upper case, where "ı" and "i" are both "I"."""
    return email_normalisieren(text).upper().lower()


def _email_key(group, request) -> str:
    return email_schluessel(request.POST.get("email", ""))


def _link_key(group, request) -> str:
    """One status link (one Antrag, so one e-mail address); the token itself is not kept."""
    token = (request.resolver_match.kwargs.get("token") if request.resolver_match else "") or ""
    return hashlib.sha256(token.encode()).hexdigest()


def antrag_form(view):
    """Every post of the application form (round trips for a cost row included), per address."""
    return ratelimit(key="ip", rate=_rate("formular_adresse"), method="POST", group="formular")(
        view
    )


def _je_client_und_adresse(request, art: str) -> None:
    """Counts one use of RATELIMITS[f"{art}_adresse"] per client and of RATELIMITS[f"{art}_email"]
    per e-mail address; raises Ratelimited (answered with 429) when one of them is used up."""
    for group, key, name in [
        (f"{art}-a", "ip", f"{art}_adresse"),
        (f"{art}-e", _email_key, f"{art}_email"),
    ]:
        if is_ratelimited(
            request, group=group, key=key, rate=_rate(name), method="POST", increment=True
        ):
            raise Ratelimited


def antrag_zaehlen(request) -> None:
    """Counts one Antrag about to be stored (or one repeat whose link is mailed again)."""
    _je_client_und_adresse(request, "antrag")


def entwurf_zaehlen(request) -> None:
    """Counts one draft link mailed, as Anträge are counted."""
    _je_client_und_adresse(request, "entwurf")


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


def je_adresse_zaehlen(*, name: str, adresse: str) -> bool:
    """Counts one use of RATELIMITS[name] for an address stored in the database (not the
    spelling someone typed); False once the limit is used up. Off with RATELIMIT_ENABLE."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return True
    anzahl, zeitraum = settings.RATELIMITS[name].split("/")
    sekunden = {"s": 1, "m": 60, "h": 3600, "d": 86400}[zeitraum[-1]] * int(zeitraum[:-1] or 1)
    schluessel = f"je-adresse:{name}:" + hashlib.sha256(adresse.lower().encode()).hexdigest()
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    cache.add(schluessel, 0, sekunden)
    return cache.incr(schluessel) <= int(anzahl)


def zu_viele_anfragen(request, exception=None):
    """RATELIMIT_VIEW: a German page with 429 Too Many Requests."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response
