"""Settings for `make bench` only (tests/bench/seiten.py): production's, served over plain HTTP
on loopback, without the limits that stop one client posting 400 applications. Never used by
`make serve` or the production set-up. The bare Django project it is compared with is
tests/bench/leer/."""

from aktionsplan.settings import *  # noqa: F403

# Loopback without TLS in front: no redirect to HTTPS, cookies over HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# One client posts 400 applications within a minute.
RATELIMIT_ENABLE = False
ANTRAG_MINDESTZEIT_SEKUNDEN = 0
