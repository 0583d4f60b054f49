"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts `manage.py` with its own environment; `check` and the settings read no
# database, so a second run would repeat them unchanged: once, in the PostgreSQL run (the
# SQLite run has the browser tests and the other tests that read no database).
pytestmark = pytest.mark.postgres_lauf

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Runs manage.py in a fresh process; an env value of None removes that variable."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process only.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in clean.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="aktionsplan.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY and ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "SECRET_KEY and ALLOWED_HOSTS must be set" in result.stderr


PRODUKTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7!" + "a1B2c3D4e5F6g7H8i9J0" * 3,
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp+tls://portal:geheim@mail.example.org:587",
    "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
    "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
    "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
    "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
}


def test_production_refuses_to_start_without_the_projektbueros_contact():
    for wert in (None, "", "projektbuero@localhost"):
        result = manage("check", **{**PRODUKTION, "PROJEKTBUERO_EMAIL": wert})
        assert result.returncode != 0
        assert "PROJEKTBUERO_EMAIL must be the Projektbüro's public address" in result.stderr
    assert manage("check", **PRODUKTION).returncode == 0


@pytest.mark.parametrize("wert", [None, "", " | "])
def test_production_refuses_to_start_without_the_projektbueros_postal_address(wert):
    result = manage("check", **{**PRODUKTION, "PROJEKTBUERO_ANSCHRIFT": wert})
    assert result.returncode != 0
    assert "PROJEKTBUERO_ANSCHRIFT must be the Projektbüro's postal address" in result.stderr


@pytest.mark.parametrize(
    "aenderung",
    [
        {"RUECKZAHLUNG_IBAN": None},
        {"RUECKZAHLUNG_IBAN": ""},
        {"RUECKZAHLUNG_IBAN": "DE00 1234 5678 9012 3456 78"},  # wrong check digits
        {"RUECKZAHLUNG_KONTOINHABER": None},
        {"RUECKZAHLUNG_KONTOINHABER": "  "},
    ],
    ids=["iban-fehlt", "iban-leer", "iban-falsch", "inhaber-fehlt", "inhaber-leer"],
)
def test_production_refuses_to_start_without_the_repayment_account(aenderung):
    """Issue 36 point 3: a Rückforderung is never impossible for want of a setting."""
    result = manage("check", **{**PRODUKTION, **aenderung})
    assert result.returncode != 0
    assert "RUECKZAHLUNG_IBAN (a valid IBAN) and RUECKZAHLUNG_KONTOINHABER" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUKTION, "SECRET_KEY": "x" * 49})
    assert result.returncode != 0
    assert "SECRET_KEY needs at least 50 characters" in result.stderr


def test_production_refuses_the_console_mail_backend():
    result = manage("check", **{**PRODUKTION, "EMAIL_URL": None})
    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server" in result.stderr


def test_debug_refuses_a_public_host():
    result = manage("check", DEBUG="1", ALLOWED_HOSTS="127.0.0.1,portal.example.org")
    assert result.returncode != 0
    assert "DEBUG=1 is for this machine only" in result.stderr


def test_deploy_check_reports_no_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k7!" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        ALLOWED_HOSTS="portal.example.org",
        EMAIL_URL="smtp+tls://portal:geheim@mail.example.org:587",
        PROJEKTBUERO_EMAIL="projektbuero@example.org",
        PROJEKTBUERO_ANSCHRIFT="Beispielstraße 1 | 44135 Dortmund",
        RUECKZAHLUNG_IBAN="DE89 3704 0044 0532 0130 00",
        RUECKZAHLUNG_KONTOINHABER="Stadt Dortmund",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_default_database_is_sqlite_in_the_project_folder():
    result = manage(
        "shell",
        "-c",
        "from django.db import connection as c; "
        "print(c.settings_dict['ENGINE'], c.settings_dict['NAME'])",
        DATABASE_URL=None,
    )
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()[-2:]
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "db.sqlite3"


def test_database_url_switches_to_postgresql_through_psycopg3():
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; print(connection.vendor, connection.Database.__name__)",
        DATABASE_URL="postgres://u:p@127.0.0.1:1/x",
    )
    assert result.stdout.split()[-2:] == ["postgresql", "psycopg"]
