"""Running the portal: /healthz while the database answers and after it has gone."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from .throwaway_postgres import cluster, find_bindir, free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_ok_without_cookie_or_cache(client):
    antwort = client.get("/healthz")
    assert antwort.status_code == 200 and antwort.content == b"ok\n"
    assert antwort["Cache-Control"] == "no-store"
    assert not antwort.cookies


@pytest.mark.django_db
def test_healthz_answers_503_in_german_when_the_database_fails(client, monkeypatch):
    def kaputt(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", kaputt)
    antwort = client.get("/healthz")
    assert antwort.status_code == 503
    seite = antwort.content.decode()
    assert "Vorübergehend nicht erreichbar" in seite and "Traceback" not in seite
    assert "connection refused" not in seite and antwort["Retry-After"] == "30"


def _holen(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as antwort:
            return antwort.status, antwort.read().decode()
    except urllib.error.HTTPError as fehler:
        return fehler.code, fehler.read().decode()


def _warten(port, prozess, sekunden=30):
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if prozess.poll() is not None:
            raise AssertionError(prozess.stdout.read())
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


@pytest.mark.postgres_only
def test_healthz_under_gunicorn_turns_503_when_postgresql_stops():
    """The production set-up (gunicorn with the repository's config, DEBUG=0) on a cluster of
    its own, which the test then stops."""
    if find_bindir() is None:
        pytest.fail("PostgreSQL server binaries not found")
    with cluster() as (url, stop):
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
            "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
            "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
            "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
            "SECRET_KEY": "t" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
        prozess = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "aktionsplan/gunicorn.conf.py",
             "aktionsplan.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            _warten(port, prozess)
            assert _holen(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
            stop()
            status, seite = _holen(f"http://127.0.0.1:{port}/healthz")
            assert status == 503
            assert "Vorübergehend nicht erreichbar" in seite and "Traceback" not in seite
        finally:
            prozess.terminate()
            prozess.wait(timeout=20)


def _make_serve(**env):
    umgebung = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env={**umgebung, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Once per `make test` (make serve compiles the translations in the working tree).
@pytest.mark.sqlite_lauf
def test_make_serve_refuses_to_start_without_debug_0():
    ergebnis = _make_serve(DEBUG="1")
    assert ergebnis.returncode != 0
    assert "make serve starts production: set DEBUG=0" in ergebnis.stdout + ergebnis.stderr
    assert "gunicorn" not in ergebnis.stdout.split("set DEBUG=0")[-1]


@pytest.mark.sqlite_lauf
@pytest.mark.parametrize(
    "env, meldung",
    [
        ({"SECRET_KEY": "kurz"}, "SECRET_KEY"),
        ({"SECRET_KEY": "s" * 60, "EMAIL_URL": "consolemail://"}, "EMAIL_URL"),
    ],
)
def test_make_serve_refuses_unsafe_production_settings(env, meldung):
    ergebnis = _make_serve(DEBUG="0", ALLOWED_HOSTS="portal.example.org", **env)
    assert ergebnis.returncode != 0
    ausgabe = ergebnis.stdout + ergebnis.stderr
    assert meldung in ausgabe and "Booting worker" not in ausgabe


def test_static_files_get_hashed_names_with_gzip_and_brotli(statische_dateien):
    css = list((statische_dateien / "css").glob("portal.*.css"))
    assert css, "no hashed portal.css"
    for datei in css:
        assert Path(f"{datei}.gz").exists() and Path(f"{datei}.br").exists()
