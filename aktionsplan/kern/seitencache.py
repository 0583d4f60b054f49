"""Public pages rendered once and shared by every worker and instance, renewed on every change.

A page is kept in the cache `seiten` (a folder that every process on the machine shares by
default, a database table or Redis for several machines: settings) together with the
generation it was rendered under. Every change that a public page shows (an Aktionsraum, a
contact, a year, a fund, a booking, an Antrag) sets a new generation once it is committed, and
a page of an older generation is never served again: the next visitor in any process renders it
afresh. The generation is read before rendering, so a page rendered while a change commits is
stored under the old generation and thrown away.

Only visitors without a session or messages are served from and stored into the cache, and only
pages that used no CSRF token and wrote nothing into the session: nothing one visitor sees that
belongs to them reaches another.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

ALIAS = "seiten"
GENERATION = "seiten:generation"
# Shown on every page served from the cache, for the tests and the benchmark.
KOPFZEILE = "X-Seitencache"


def _cache():
    return caches[ALIAS]


def teilbar(request, parameter=()) -> bool:
    """A visitor whom nothing personal is shown: no session, no pending messages, no query
    (but for the given parameters)."""
    return (
        request.method in ("GET", "HEAD")
        and set(request.GET) <= set(parameter)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _speicherbar(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def _schluessel(request, parameter=()) -> str:
    """The page's path and the value each allowed parameter is read as (the last one), never
    the raw query string: its spellings (repeats, escapes, order) would each fill the cache.
    The year is in the key: the pages show this year's budget, and a new year renders anew."""
    werte = [(name, request.GET.get(name)) for name in sorted(parameter) if name in request.GET]
    teile = f"{get_language()}|{timezone.localdate().year}|{request.path}|{werte!r}"
    return "seite:" + hashlib.sha256(teile.encode()).hexdigest()


def _generation(cache) -> str:
    generation = cache.get(GENERATION)
    if generation is None:
        cache.add(GENERATION, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION)
    return generation


def oeffentlich(view):
    """Serves the view's page from the shared cache while nothing it shows has changed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not teilbar(request):
            return view(request, *args, **kwargs)
        cache = _cache()
        schluessel = _schluessel(request)
        werte = cache.get_many([schluessel, GENERATION])
        eintrag, generation = werte.get(schluessel), werte.get(GENERATION)
        if eintrag is not None and generation is not None and eintrag[0] == generation:
            response = HttpResponse(eintrag[1], content_type=eintrag[2])
            response[KOPFZEILE] = "1"
            patch_vary_headers(response, ["Cookie"])
            return response
        if generation is None:
            generation = _generation(cache)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _speicherbar(request, response):
            cache.set(schluessel, (generation, response.content, response["Content-Type"]))
            patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _neue_generation() -> None:
    _cache().set(GENERATION, uuid.uuid4().hex, None)


def vorlage(request, erzeugen, parameter=()) -> tuple[bytes, str]:
    """(content, content type) of a page that is the same for every visitor but for values that
    the caller fills in per request (a CSRF token), rendered by `erzeugen` once per generation.

    The caller makes sure that the page shows nothing of the visitor (`teilbar`)."""
    cache = _cache()
    schluessel = _schluessel(request, parameter) + ":vorlage"
    werte = cache.get_many([schluessel, GENERATION])
    eintrag, generation = werte.get(schluessel), werte.get(GENERATION)
    if eintrag is not None and generation is not None and eintrag[0] == generation:
        return eintrag[1], eintrag[2]
    if generation is None:
        generation = _generation(cache)
    response = erzeugen()
    if response.status_code == 200:
        cache.set(schluessel, (generation, response.content, response["Content-Type"]))
    return response.content, response["Content-Type"]


def veraltet(**_kwargs) -> None:
    """Every cached page is out of date: at once, and again when the transaction commits.

    At once, so that this process never serves the old page; again after the commit, because
    another process may have rendered the page in between from what was committed before.
    """
    _neue_generation()
    transaction.on_commit(_neue_generation, robust=True)


def neu_gestartet(**_kwargs) -> None:
    """A new start (or changed settings) may bring other templates and texts: no old page."""
    _neue_generation()


setting_changed.connect(neu_gestartet, dispatch_uid="seitencache:settings")


def beobachten(*models) -> None:
    """A saved or deleted row of these models (and their many-to-many links) renews the pages."""
    for model in models:
        uid = f"seitencache:{model._meta.label}"
        post_save.connect(veraltet, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(veraltet, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for feld in model._meta.many_to_many:
            m2m_changed.connect(
                veraltet, sender=feld.remote_field.through, dispatch_uid=uid + ":" + feld.name
            )
