"""With REDIS_URL both caches (rate limits and pages) are Redis through Django's own backend; the
page cache works and is renewed there as in the folder (against a throwaway redis-server)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from aktionsplan.kern import seitencache
from antraege.models import Aktionsraumfonds

from .test_seitencache import HIT
from .test_settings import manage
from .throwaway_postgres import free_port

ZEIGEN = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"


# Settings only, no database: once, in the SQLite run.
@pytest.mark.sqlite_lauf
def test_redis_url_puts_both_caches_on_redis():
    import json

    ergebnis = manage("shell", "-c", ZEIGEN, REDIS_URL="redis://cache.example.org:6379/2")
    assert ergebnis.returncode == 0, ergebnis.stderr
    caches = json.loads(ergebnis.stdout.strip().splitlines()[-1])
    for alias in ("default", "seiten"):
        assert caches[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches[alias]["LOCATION"] == "redis://cache.example.org:6379/2"
    assert caches["seiten"]["KEY_PREFIX"] == "seiten"


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("redis-server not found, but REQUIRE_REDIS=1")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        prozess = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp],
            stdout=subprocess.DEVNULL,
        )
        ende = time.monotonic() + 20
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < ende, "redis-server did not start"
            time.sleep(0.05)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            prozess.terminate()
            prozess.wait(timeout=10)


@pytest.fixture
def auf_redis(settings, redis_url):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    settings.CACHES = {"default": redis, "seiten": {**redis, "KEY_PREFIX": "seiten"}}
    from django.core.cache import caches

    caches["seiten"].clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("auf_redis")
def test_pages_are_cached_in_redis_and_renewed_by_a_change():
    assert HIT not in Client().get("/aktionsraeume/hoerde/")
    assert Client().get("/aktionsraeume/hoerde/")[HIT] == "1"
    fonds = Aktionsraumfonds.objects.get(
        aktionsraum__slug="hoerde", haushaltsjahr__jahr=timezone.localdate().year
    )
    fonds.betrag = Decimal("7000.00")
    fonds.save()
    antwort = Client().get("/aktionsraeume/hoerde/")
    assert HIT not in antwort and "7.000,00\xa0€" in antwort.content.decode()


@pytest.mark.usefixtures("auf_redis")
def test_the_rate_limit_counter_counts_in_redis():
    from django.core.cache import cache

    cache.add("zaehler", 0, 60)
    for _ in range(5):
        cache.incr("zaehler")
    assert cache.get("zaehler") == 5
    assert seitencache._generation(seitencache._cache())  # the pages' generation lives there too
