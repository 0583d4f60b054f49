"""The page cache answers first (issue 38): before sessions, language, CSRF, login and the URL
resolver; with a key of language, day, path and query values; never for a visitor with a
session or messages, never for a post, never for another host; the start page and the form's
template stored too."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import timezone

from aktionsplan.kern import seitencache
from quartiere.models import Aktionsraum

from .factories import konferenz_fuer, projektbuero_user

pytestmark = pytest.mark.django_db
HIT = seitencache.KOPFZEILE
CACHE = "aktionsplan.middleware.SeitencacheMiddleware"


def zweimal(url, **extra):
    Client().get(url, **extra)
    return Client().get(url, **extra)


def test_middleware_that_must_run_on_every_answer_sits_above_the_page_cache():
    reihe = django_settings.MIDDLEWARE
    cache = reihe.index(CACHE)
    for oben in [
        "django.middleware.security.SecurityMiddleware",
        "aktionsplan.middleware.ContentSecurityPolicyMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]:
        assert reihe.index(oben) < cache, oben
    # Everything below is skipped on a hit: only what a stored page does not need.
    unten = set(reihe[cache + 1 :])
    assert unten <= {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "aktionsplan.middleware.ZweiFaktorMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "aktionsplan.middleware.MethodNotAllowedPageMiddleware",
        "simple_history.middleware.HistoryRequestMiddleware",
        "axes.middleware.AxesMiddleware",
    }, unten


@pytest.mark.parametrize(
    "pfad", ["/", "/en/", "/aktionsraeume/hoerde/", "/en/aktionsraeume/", "/datenschutz/"]
)
def test_the_language_in_the_key_is_the_one_the_page_is_rendered_in(pfad):
    """The key reads the language from the path: the default language has no prefix."""
    from django.urls import get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    praefixe = [
        p.pattern for p in get_resolver().url_patterns if isinstance(p.pattern, LocalePrefixPattern)
    ]
    assert praefixe and all(not p.prefix_default_language for p in praefixe)
    erste = Client(HTTP_ACCEPT_LANGUAGE="en").get(pfad)  # the browser's wish changes nothing
    assert erste["Content-Language"] == seitencache.sprache(RequestFactory().get(pfad))
    zweite = Client().get(pfad)
    assert zweite[HIT] == "1" and zweite.content == erste.content
    assert zweite["Content-Language"] == erste["Content-Language"]
    assert sorted(zweite["Vary"].split(", ")) == sorted(erste["Vary"].split(", "))


def test_a_hit_runs_nothing_below_the_page_cache(monkeypatch):
    Client().get("/aktionsraeume/hoerde/")

    def nicht_erreicht(*args, **kwargs):
        raise AssertionError("ran below the page cache")

    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.locale import LocaleMiddleware

    monkeypatch.setattr(LocaleMiddleware, "process_request", nicht_erreicht)
    monkeypatch.setattr(SessionMiddleware, "process_request", nicht_erreicht)
    monkeypatch.setattr("django.urls.resolvers.URLResolver.resolve", nicht_erreicht)
    antwort = Client().get("/aktionsraeume/hoerde/")
    assert antwort.status_code == 200 and antwort[HIT] == "1"
    for kopf in ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"]:
        assert kopf in antwort


@pytest.mark.parametrize(
    ("art", "erwartet_treffer"),
    [("ohne", True), ("sitzung", False), ("meldungen", False), ("post", False), ("head", True)],
)
def test_who_is_served_from_the_cache(art, erwartet_treffer):
    Client().get("/aktionsraeume/")
    client = Client()
    if art == "sitzung":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = "irgendeine"
    if art == "meldungen":
        client.cookies[CookieStorage.cookie_name] = "x"
    if art == "post":
        antwort = client.post("/aktionsraeume/")
        assert antwort.status_code == 405 and HIT not in antwort
        return
    antwort = client.head("/aktionsraeume/") if art == "head" else client.get("/aktionsraeume/")
    assert (antwort.get(HIT) == "1") is erwartet_treffer


def test_staff_are_never_served_from_the_cache():
    Client().get("/aktionsraeume/hoerde/")
    staff = Client()
    staff.force_login(projektbuero_user())
    assert HIT not in staff.get("/aktionsraeume/hoerde/")


def test_another_host_is_refused_even_for_a_stored_page():
    Client().get("/aktionsraeume/")
    antwort = Client().get("/aktionsraeume/", HTTP_HOST="boese.example.org")
    assert antwort.status_code == 400 and HIT not in antwort


def test_a_query_value_the_view_does_not_read_is_never_stored():
    zweimal("/aktionsraeume/")
    assert HIT not in zweimal("/aktionsraeume/?utm_source=x")
    assert not caches["seiten"].get(
        seitencache._schluessel(RequestFactory().get("/aktionsraeume/?utm_source=x"))
    )


def test_the_day_is_in_the_key(time_machine):
    time_machine.move_to(timezone.now())
    assert zweimal("/aktionsraeume/")[HIT] == "1"
    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert HIT not in Client().get("/aktionsraeume/")
    assert Client().get("/aktionsraeume/")[HIT] == "1"


def test_the_start_page_is_stored_and_renewed_when_a_conference_is_planned():
    assert zweimal("/antrag/start/?aktionsraum=hoerde")[HIT] == "1"
    assert zweimal("/antrag/start/")[HIT] == "1"
    konferenz_fuer(
        Aktionsraum.objects.get(slug="hoerde"),
        datum=timezone.localdate() + timedelta(days=20),
    )
    antwort = Client().get("/antrag/start/?aktionsraum=hoerde")
    assert HIT not in antwort
    assert "Geplante Projektkonferenzen in Hörde" in antwort.content.decode()


@pytest.mark.parametrize("abfrage", ["aktionsraum=ausgedacht", "aktionsraum=%00", "x=1"])
def test_an_unknown_area_on_the_start_page_is_never_stored(abfrage):
    antwort = zweimal(f"/antrag/start/?{abfrage}")
    assert antwort.status_code == 200 and HIT not in antwort
    schluessel = seitencache._schluessel(RequestFactory().get(f"/antrag/start/?{abfrage}"))
    assert caches["seiten"].get(schluessel) is None


def test_the_form_template_is_filled_in_per_visitor_before_the_csrf_middleware():
    Client().get("/antrag/")
    anna, bert = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a, b = anna.get("/antrag/"), bert.get("/antrag/")
    assert a[HIT] == b[HIT] == "vorlage"
    assert "csrftoken" in a.cookies and "csrftoken" in b.cookies
    assert a.cookies["csrftoken"].value != b.cookies["csrftoken"].value
    # A returning visitor keeps her secret (Django sends the cookie again to renew it).
    alt = anna.cookies["csrftoken"].value
    wieder = anna.get("/antrag/")
    assert wieder[HIT] == "vorlage" and wieder.cookies["csrftoken"].value == alt
    assert "marke" not in wieder.content.decode()


def test_each_process_keeps_bodies_only_for_the_generation_they_were_read_under():
    zweimal("/aktionsraeume/")
    assert seitencache._LOKAL
    seitencache.veraltet()
    assert HIT not in Client().get("/aktionsraeume/")


def test_changed_settings_clear_the_process_copies(settings):
    zweimal("/aktionsraeume/")
    assert seitencache._LOKAL
    settings.SEITENCACHE_SEKUNDEN = 1
    assert not seitencache._LOKAL


def test_the_two_factor_middleware_returns_on_public_pages_before_touching_the_user(rf):
    from django.utils.functional import SimpleLazyObject

    from aktionsplan.middleware import ZweiFaktorMiddleware

    request = rf.get("/aktionsraeume/")
    request.resolver_match = type("M", (), {"namespace": "quartiere", "view_name": "x"})()

    def laden():
        raise AssertionError("the user was loaded")

    request.user = SimpleLazyObject(laden)
    assert ZweiFaktorMiddleware(lambda r: None).process_view(request, None, (), {}) is None


def test_a_process_copy_never_outlives_the_shared_cache_timeout(time_machine):
    time_machine.move_to(timezone.now())
    assert zweimal("/aktionsraeume/")[HIT] == "1"
    sekunden = caches["seiten"].default_timeout
    time_machine.shift(timedelta(seconds=sekunden + 1))
    assert HIT not in Client().get("/aktionsraeume/")


def test_a_new_generation_is_seen_even_when_its_file_looks_like_the_old_one():
    """The generation is compared by the file's bytes, not by its inode and time stamp."""
    assert zweimal("/aktionsraeume/")[HIT] == "1"
    seitencache._neue_generation()
    assert HIT not in Client().get("/aktionsraeume/")


def test_the_stored_start_page_carries_nothing_of_the_first_visitors_query_spelling():
    html = Client().get("/antrag/start/?aktionsraum=ausgedacht&aktionsraum=hoerde")
    html = html.content.decode()
    assert "ausgedacht" not in html
    assert "/en/antrag/start/?aktionsraum=hoerde" in html
