"""Settings for `make bench` only (tests/bench/seiten.py): production's, plus a bare view to
compare with, served over plain HTTP on loopback, without the limits that stop one client
posting 400 applications. Never used by `make serve` or the production set-up."""

from aktionsplan.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
# Loopback without TLS in front: no redirect to HTTPS, cookies over HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# One client posts 400 applications within a minute.
RATELIMIT_ENABLE = False
ANTRAG_MINDESTZEIT_SEKUNDEN = 0
