"""Security headers on every answer the portal controls (issue 35, finding 9): pages, static
files, error pages and the 413 answered before Django runs."""

import io

import pytest
from django.conf import settings as django_settings

from aktionsplan.middleware import ContentSecurityPolicyMiddleware
from aktionsplan.wsgi import KoerperGrenze

PFLICHT = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pfad",
    [
        "/static/css/portal.css",
        "/static/js/antrag.js",
        "/static/css/verwaltung.css",
        "/",
        "/gibt-es-nicht/",
        "/admin/login/",
    ],
)
def test_every_answer_carries_the_security_headers(settings, pfad):
    from django.test import Client

    # WhiteNoise serves the files themselves (as after collectstatic in production).
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get(pfad)
    if pfad.startswith("/static/"):
        assert response.status_code == 200 and response.streaming  # WhiteNoise's own answer
    else:
        assert response.status_code in (200, 404)
    fehlend = [name for name in PFLICHT if name not in response]
    assert not fehlend, (pfad, fehlend)
    assert response["X-Frame-Options"] == "DENY"


def test_the_headers_are_set_above_everything_that_may_answer_early():
    """WhiteNoise (static files), the rate-limit page and every middleware below answer
    through the header middleware; nothing but Django's SecurityMiddleware sits above it."""
    reihe = django_settings.MIDDLEWARE
    kopf = reihe.index("aktionsplan.middleware.ContentSecurityPolicyMiddleware")
    assert reihe[:kopf] == ["django.middleware.security.SecurityMiddleware"]
    assert kopf < reihe.index("whitenoise.middleware.WhiteNoiseMiddleware")


class _NichtLesen(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


@pytest.mark.parametrize("https", [False, True])
def test_the_413_before_django_carries_them_too(settings, https):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = KoerperGrenze(lambda environ, start: [b""], settings.MAX_REQUEST_BYTES)
    antworten = []
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(10**12),
        "wsgi.input": _NichtLesen(),
    }
    if https:
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
    app(environ, lambda status, headers: antworten.append((status, dict(headers))))
    ((status, headers),) = antworten
    assert status.startswith("413")
    assert not [name for name in PFLICHT if name not in headers]
    assert ("Strict-Transport-Security" in headers) == https


def test_a_view_that_allows_framing_keeps_its_choice(rf):
    from django.http import HttpResponse

    def ansicht(request):
        response = HttpResponse("x")
        response.xframe_options_exempt = True
        return response

    response = ContentSecurityPolicyMiddleware(ansicht)(rf.get("/"))
    assert "X-Frame-Options" not in response
    assert "Content-Security-Policy" in response
