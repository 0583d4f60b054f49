"""WSGI entry point for gunicorn: `gunicorn aktionsplan.wsgi`.

In front of Django sits one check: a request body longer than MAX_REQUEST_BYTES (five
attachments of 10 MB and the form) is answered with 413 before a byte of it is read.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktionsplan.settings")


class KoerperGrenze:
    """WSGI middleware: refuses an announced body above `grenze` bytes without reading it."""

    def __init__(self, app, grenze: int):
        self.app = app
        self.grenze = grenze

    def __call__(self, environ, start_response):
        try:
            laenge = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            laenge = 0  # Django reads no body then
        if laenge > self.grenze:
            return self._zu_gross(environ, start_response)
        return self.app(environ, start_response)

    def _zu_gross(self, environ, start_response):
        from django.conf import settings
        from django.template.loader import render_to_string

        from aktionsplan.middleware import sicherheitskopfzeilen

        # A page of its own, without the request: nothing of Django has run yet.
        body = render_to_string("413.html").encode()
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                # The client's body is not read: the connection cannot be used again.
                ("Connection", "close"),
                # What Django's SecurityMiddleware and ours set on every other answer.
                *sicherheitskopfzeilen().items(),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
                ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY),
                *self._hsts(environ, settings),
            ],
        )
        return [body]

    @staticmethod
    def _hsts(environ, settings):
        """HSTS as SecurityMiddleware sends it: only over HTTPS (directly or per the proxy)."""
        https = environ.get("wsgi.url_scheme") == "https"
        if settings.SECURE_PROXY_SSL_HEADER:
            kopf, wert = settings.SECURE_PROXY_SSL_HEADER
            https = https or environ.get(kopf) == wert
        if not (https and settings.SECURE_HSTS_SECONDS):
            return []
        wert = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            wert += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            wert += "; preload"
        return [("Strict-Transport-Security", wert)]


def _anwendung():
    from django.conf import settings

    return KoerperGrenze(get_wsgi_application(), settings.MAX_REQUEST_BYTES)


application = _anwendung()
