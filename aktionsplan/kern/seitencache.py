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

A stored page is answered by `SeitencacheMiddleware` (aktionsplan/middleware.py) right below the
security headers and the static files, before sessions, language, CSRF, login and the URL
resolver run (`antwort_aus_cache`); the views' decorator `oeffentlich` stores the pages and
answers too where the middleware is not installed. The key is the language read from the path
(the default language has no prefix: `tests/test_seitencache_middleware.py` holds it), the day,
the path and the value each query parameter is read as. A page that is the same for everyone
but a CSRF token and a signed time (the first page of the form) is kept as a template
(`vorlage`) and filled in per visitor by the function registered for its URL in the project
(`fuellung_eintragen`), never by anything the cache entry names. Each process keeps a copy of
the bodies it served, valid only for the generation it was read under.
"""

import hashlib
import os
import threading
import time
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

ALIAS = "seiten"
GENERATION = "seiten:generation"
# Shown on every page served from the cache, for the tests and the benchmark.
KOPFZEILE = "X-Seitencache"


_cache_dieses_prozesses = None


def _cache():
    """The page cache (one object per process: the folder and Redis backends are safe to
    share between threads; renewed when settings change)."""
    global _cache_dieses_prozesses
    if _cache_dieses_prozesses is None:
        _cache_dieses_prozesses = caches[ALIAS]
    return _cache_dieses_prozesses


def teilbar(request, parameter=()) -> bool:
    """A visitor whom nothing personal is shown: no session, no pending messages, no query
    (but for the given parameters)."""
    return (
        request.method in ("GET", "HEAD")
        and (not request.META.get("QUERY_STRING") or set(request.GET) <= set(parameter))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _speicherbar(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not getattr(response, "nicht_teilen", False)
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


_praefixe: frozenset | None = None


def _sprache_im_pfad(request) -> str | None:
    """The language a path names by its prefix ("/en/…"), or None: LocaleMiddleware's reading
    for every path the portal answers with a page (a prefix it does not know is a 404)."""
    global _praefixe
    if _praefixe is None:
        _praefixe = frozenset(code for code, _n in settings.LANGUAGES)
    teil = request.path_info[1:].partition("/")[0]
    return teil if teil in _praefixe else None


def sprache(request) -> str:
    """The page's language as LocaleMiddleware will set it: from the path's prefix, the default
    language without one (`prefix_default_language=False`)."""
    return _sprache_im_pfad(request) or settings.LANGUAGE_CODE


_tag: tuple[int, str] = (-1, "")


def _heute() -> str:
    """Today's date (local time) as text, worked out once a minute."""
    global _tag
    minute = int(time.time() // 60)
    if _tag[0] != minute:
        _tag = (minute, timezone.localdate().isoformat())
    return _tag[1]


def _schluessel(request, parameter=()) -> str:
    """The page's language, the day, the path and the value each query parameter is read as
    (the last one), never the raw query string: its spellings (repeats, escapes, order) would
    each fill the cache. A page is stored only when every parameter is one the view allows
    (`teilbar`), so the middleware, which does not know them, finds exactly what was stored.
    The day is in the key: pages show this year's budget and the next dates, and a new day
    renders them anew."""
    werte = []
    if request.META.get("QUERY_STRING"):
        werte = sorted((name, request.GET.get(name)) for name in request.GET)
    teile = f"{sprache(request)}|{_heute()}|{request.path}|{werte!r}"
    return "seite:" + hashlib.sha256(teile.encode()).hexdigest()


def _generation(cache) -> str:
    generation = cache.get(GENERATION)
    if generation is None:
        cache.add(GENERATION, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION)
    return generation


def oeffentlich(view=None, *, parameter=()):
    """Serves the view's page from the shared cache while nothing it shows has changed.
    `parameter`: the query parameters the view reads; a view that shows nothing particular
    for a value (an unknown area) sets `response.nicht_teilen = True` and is not stored."""
    if view is None:
        return lambda v: oeffentlich(v, parameter=parameter)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not teilbar(request, parameter):
            return view(request, *args, **kwargs)
        cache = _cache()
        schluessel = _schluessel(request)
        werte = cache.get_many([schluessel, GENERATION])
        eintrag, generation = werte.get(schluessel), werte.get(GENERATION)
        gueltig = eintrag is not None and _gueltig(eintrag)
        if gueltig and generation is not None and eintrag[0] == generation:
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
            _speichern(cache, schluessel, generation, response)
            patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


# Pages kept as a template, by URL name: the function that fills in one visitor's values.
_FUELLUNGEN: dict[str, object] = {}
_fuellung_pfade: dict[str, object] | None = None
# This process's copies of bodies: key -> (generation, entry). Cleared when settings change.
_LOKAL: dict[str, tuple] = {}
_LOKAL_HOECHSTENS = 1000


def fuellung_eintragen(url_name: str, fuellen) -> None:
    """The page of `url_name` (in every language) is kept as a template; `fuellen(request,
    inhalt, art)` makes one visitor's answer of it. Only code of the project registers."""
    global _fuellung_pfade
    _FUELLUNGEN[url_name] = fuellen
    _fuellung_pfade = None


def _fuellung(pfad: str):
    global _fuellung_pfade
    if _fuellung_pfade is None:
        pfade = {}
        for name, fuellen in _FUELLUNGEN.items():
            for code, _label in settings.LANGUAGES:
                with translation.override(code):
                    try:
                        pfade[reverse(name)] = fuellen
                    except NoReverseMatch:
                        pass
        _fuellung_pfade = pfade
    return _fuellung_pfade.get(pfad)


# The generation file this process read last, kept open, its (device, inode) and its value.
_generation_gelesen: tuple = (None, None, None)
_generation_sperre = threading.Lock()


_pfade: dict = {}


def _generation_pfad(cache):
    """The generation's file in the folder cache (None for other backends)."""
    zu_datei = getattr(cache, "_key_to_file", None)
    if zu_datei is None:
        return None
    pfad = _pfade.get(cache._dir)
    if pfad is None:
        pfad = _pfade[cache._dir] = zu_datei(GENERATION)
    return pfad


def _aktuelle_generation(cache):
    """The generation. From the folder cache it is read again only when its file was replaced
    (a new generation is a new file: Django writes a temporary file and renames it); this
    process keeps the file it read open, so no new file can get its inode while it compares
    them. Other backends are asked every time."""
    global _generation_gelesen
    pfad = _generation_pfad(cache)
    if pfad is None:
        return cache.get(GENERATION)
    try:
        stand = os.stat(pfad)
    except FileNotFoundError:
        return None
    offen, datei, generation = _generation_gelesen
    if offen is not None and datei == (stand.st_dev, stand.st_ino):
        return generation
    with _generation_sperre:  # threads of one process swap the kept file one at a time
        try:
            neu = os.open(pfad, os.O_RDONLY)
        except FileNotFoundError:
            return None
        neu_stand = os.fstat(neu)
        # Read after the file was opened: at least as new as it (a newer one is read next time).
        generation = cache.get(GENERATION)
        alt = _generation_gelesen[0]
        _generation_gelesen = (neu, (neu_stand.st_dev, neu_stand.st_ino), generation)
        if alt is not None:
            os.close(alt)
    return generation


def _eintrag(cache, schluessel: str):
    """The stored entry of the current generation (this process's copy when it has one),
    never past the time the shared cache would keep it (`SEITENCACHE_SEKUNDEN`)."""
    generation = _aktuelle_generation(cache)
    if generation is None:
        return None
    lokal = _LOKAL.get(schluessel)
    if lokal is not None and lokal[0] == generation and _gueltig(lokal):
        return lokal
    eintrag = cache.get(schluessel)
    if eintrag is None or eintrag[0] != generation or not _gueltig(eintrag):
        return None
    if len(_LOKAL) >= _LOKAL_HOECHSTENS:
        _LOKAL.clear()
    _LOKAL[schluessel] = eintrag
    return eintrag


def _gueltig(eintrag) -> bool:
    return len(eintrag) < 4 or eintrag[3] > time.time()


def _speichern(cache, schluessel: str, generation, response) -> None:
    """Stores a page with its generation and the moment it runs out."""
    bis = time.time() + (cache.default_timeout or 10**9)
    cache.set(schluessel, (generation, response.content, response["Content-Type"], bis))


def antwort_aus_cache(request):
    """The stored answer for a visitor to whom nothing personal is shown, or None. Called
    before sessions, language, CSRF and the URL resolver (SeitencacheMiddleware): the host is
    checked here, the security headers are set by the middleware above."""
    if not teilbar(request, request.GET):
        return None
    request.get_host()  # an unknown host is refused (400) as CommonMiddleware would
    fuellen = _fuellung(request.path_info)
    schluessel = _schluessel(request) + (":vorlage" if fuellen else "")
    eintrag = _eintrag(_cache(), schluessel)
    if eintrag is None:
        return None
    if fuellen is not None:
        response = fuellen(request, eintrag[1], eintrag[2])
    else:
        response = HttpResponse(eintrag[1], content_type=eintrag[2])
    # What LocaleMiddleware would have added, and Cookie: the answer depends on having none.
    im_pfad = _sprache_im_pfad(request)
    response["Content-Language"] = im_pfad or settings.LANGUAGE_CODE
    vary = ["Cookie"] if im_pfad else ["Accept-Language", "Cookie"]
    if response.has_header("Vary"):
        patch_vary_headers(response, vary)
    else:
        response["Vary"] = ", ".join(vary)
    # "1": the stored page; "vorlage": the stored template, filled in for this visitor.
    response[KOPFZEILE] = "vorlage" if fuellen is not None else "1"
    return response


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
        if _gueltig(eintrag):
            return eintrag[1], eintrag[2]
    if generation is None:
        generation = _generation(cache)
    response = erzeugen()
    if response.status_code == 200:
        _speichern(cache, schluessel, generation, response)
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
    global _fuellung_pfade, _praefixe, _tag, _generation_gelesen, _cache_dieses_prozesses
    _LOKAL.clear()
    _pfade.clear()
    _cache_dieses_prozesses = None
    _fuellung_pfade = _praefixe = None
    _tag = (-1, "")
    with _generation_sperre:
        alt, _generation_gelesen = _generation_gelesen[0], (None, None, None)
        if alt is not None:
            os.close(alt)
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
