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
            return self._zu_gross(start_response)
        return self.app(environ, start_response)

    def _zu_gross(self, start_response):
        from django.template.loader import render_to_string

        # A page of its own, without the request: nothing of Django has run yet.
        body = render_to_string("413.html").encode()
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                # The client's body is not read: the connection cannot be used again.
                ("Connection", "close"),
            ],
        )
        return [body]


def _anwendung():
    from django.conf import settings

    return KoerperGrenze(get_wsgi_application(), settings.MAX_REQUEST_BYTES)


application = _anwendung()
