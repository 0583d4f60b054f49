"""Shared fixtures: the database flavour, the browser switch and mail defaults."""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from antraege.services import budget

REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"

# The property tests' two profiles. "ci" (`make test`, so CI) tries 300 examples per test
# (three times Hypothesis's default; 500 cost the suite a minute and a half on two cores),
# always the same ones (derandomised: a red run fails again the same way); "dev" (the default,
# `make test-one`) tries 50 new ones each run. Both: no deadline (a page render on a busy
# machine is no bug) and function-scoped fixtures are fine (each example rolls back itself).
_HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", max_examples=300, derandomize=True, **_HYPOTHESIS)
hypothesis_settings.register_profile("dev", max_examples=50, **_HYPOTHESIS)
hypothesis_settings.load_profile("dev")


def on_postgres():
    return connection.vendor == "postgresql"


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        _browser_tests_last(items)
        return
    skip = pytest.mark.skip(reason="runs on PostgreSQL only (row locks, real concurrency)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def _browser_tests_last(items):
    """In the PostgreSQL run, which has every browser test, those come after the rest (stable
    sort): a browser test runs against the live server in a transaction-less test case whose
    flush empties every table, the 13 Aktionsräume the migrations load included, and the unit
    tests after it on the same worker would find none (tried on 2026-12-07: 6 failed)."""
    browser = Path(__file__).parent / "browser"
    items.sort(key=lambda item: Path(item.fspath).is_relative_to(browser))


@pytest.fixture(scope="session")
def statische_dateien():
    """`manage.py collectstatic` as production runs it: the folder that the tests of the
    production start serve their static files from. It hashes and compresses every file
    (about 5 s of both cores' time); the test processes of one `make test` share one folder,
    keyed by the static sources, the settings and the locked packages, made by the first
    process under a lock and only read afterwards."""
    wurzel = Path(__file__).resolve().parent.parent
    schluessel = hashlib.sha256()
    quellen = sorted((wurzel / "static").rglob("*")) + [
        wurzel / "aktionsplan" / "settings.py",
        wurzel / "requirements-dev.lock",
    ]
    for datei in quellen:
        if datei.is_file():
            schluessel.update(str(datei.relative_to(wurzel)).encode())
            schluessel.update(datei.read_bytes())
    ziel = Path(tempfile.gettempdir()) / f"aktionsplan-static-{schluessel.hexdigest()[:16]}"
    with open(f"{ziel}.lock", "w") as sperre:
        fcntl.flock(sperre, fcntl.LOCK_EX)
        if not (ziel / ".fertig").exists():
            shutil.rmtree(ziel, ignore_errors=True)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=wurzel,
                env={**os.environ, "STATIC_ROOT": str(ziel)},
                check=True,
                timeout=300,
            )
            (ziel / ".fertig").touch()
    return ziel


@pytest.fixture(autouse=True)
def _zweiter_faktor_bei_force_login(monkeypatch):
    """`client.force_login` stands for a whole staff login, password and second factor.

    The second factor itself is tested through the real pages (test_login_zweifaktor.py and
    the browser journeys), which log in with a password and a code.
    """
    from django.test import Client

    from aktionsplan.kern.zweifaktor import sitzung_bestaetigen

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        sitzung_bestaetigen(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _deutsch():
    """Each test starts in German: a request to /en/ leaves English active in this thread."""
    from django.utils import translation

    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.PROJEKTBUERO_EMAIL = "projektbuero@example.org"
    # The city's account for repayments (a Rückforderung needs one): the test IBAN that
    # banks publish for trials, no real account.
    settings.RUECKZAHLUNG_KONTOINHABER = "Stadtkasse (Testkonto)"
    settings.RUECKZAHLUNG_IBAN = "DE02 1203 0000 0000 2020 51"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Every test meets the page cache as production has it (SEITENCACHE=datei), empty.
    settings.CACHES = {
        **settings.CACHES,
        "seiten": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "seitencache"),
        },
    }
    # Work after the response runs at the commit in the test's own thread: the tests share
    # one uncommitted transaction, which another thread cannot see. The thread itself is
    # tested in test_antraege_statusseite.py.
    settings.HINTERGRUND_THREADS = False
    # A fast hash for the many test accounts; production keeps Django's PBKDF2 default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _bot_schutz_aus(settings, request):
    """The suite posts many forms at once from one address, at once: the rate limits and the
    least fill time are off, except in the tests marked `bot_schutz` that try them."""
    if request.node.get_closest_marker("bot_schutz") is None:
        settings.RATELIMIT_ENABLE = False
        settings.ANTRAG_MINDESTZEIT_SEKUNDEN = 0
    elif set(request.fixturenames) & DB_FIXTURES:
        from django.core.cache import cache

        request.getfixturevalue("db")
        cache.clear()  # counts from an earlier test that committed


DB_FIXTURES = {"db", "transactional_db", "live_server", "client", "admin_client"}


# Shared fixtures: the accounts and the area most tests act with.
@pytest.fixture
def staff():
    """A Projektbüro account (the role, not a superuser)."""
    from .factories import projektbuero_user

    return projektbuero_user()


@pytest.fixture
def staff_client(client, staff):
    """The test client logged in as `staff` (password and second factor stand for it)."""
    client.force_login(staff)
    return client


@pytest.fixture
def hoerde():
    """The Aktionsraum Hörde, as the migrations load it."""
    from quartiere.models import Aktionsraum

    return Aktionsraum.objects.get(slug="hoerde")


def haushaltsjahr_einrichten():
    """The current budget year set up with the yearly amounts (226,000 EUR, 5,000 EUR per
    fund), as the Projektbüro does at the start of a year; made only if missing."""
    from django.utils import timezone

    from antraege.models import Haushaltsjahr

    jahr = timezone.localdate().year
    if not Haushaltsjahr.objects.filter(jahr=jahr, eingerichtet=True).exists():
        hj, _neu = Haushaltsjahr.objects.update_or_create(
            jahr=jahr, defaults={"eingerichtet": True}
        )
        budget.haushaltsjahr_einrichten(haushaltsjahr=hj)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The set-up year is in the test database once; tests roll back to it."""
    with django_db_blocker.unblock():
        haushaltsjahr_einrichten()


@pytest.fixture(autouse=True)
def _haushaltsjahr_eingerichtet(request):
    """Every test meets the current year set up (without it every grant is refused); a test
    that commits and flushes gets it again. Tests marked `ohne_haushaltsjahr` meet no year."""
    namen = set(request.fixturenames)
    if not (namen & DB_FIXTURES or request.node.get_closest_marker("django_db")):
        yield
        return
    transaktional = bool(namen & {"transactional_db", "live_server"}) or any(
        m.kwargs.get("transaction") for m in request.node.iter_markers("django_db")
    )
    request.getfixturevalue("transactional_db" if transaktional else "db")
    if "aktionsraeume_geladen" in namen:
        # After a flush the areas come back first, so that every one gets its fund.
        request.getfixturevalue("aktionsraeume_geladen")
    if request.node.get_closest_marker("ohne_haushaltsjahr") is None:
        haushaltsjahr_einrichten()
    else:
        from antraege.models import Aktionsraumfonds, Haushaltsjahr

        Aktionsraumfonds.objects.all().delete()
        Haushaltsjahr.objects.all().delete()
    yield


@pytest.fixture
def aktionsraeume_geladen(transactional_db):
    """Loads the 13 Aktionsräume again for tests that commit (a flush empties every table)."""
    import importlib

    from django.apps import apps

    importlib.import_module("quartiere.migrations.0002_load_aktionsraeume").load(apps, None)
    importlib.import_module("quartiere.migrations.0004_positionen").mitten_eintragen(apps, None)


@pytest.fixture
def zum_schluss_aktuell():
    """Migration tests: leaves the database at the newest migration for the tests after."""
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def ohne_vorlagen_aufzeichnung(monkeypatch):
    """Renders templates without the test runner's instrumentation (a signal and a context
    copy per template, a third of a form page's time), as production renders them."""
    from django.template.base import Template
    from django.test import utils

    monkeypatch.setattr(Template, "_render", utils._TestState.saved_data.template_render)


@pytest.fixture(autouse=True)
def _vorlagen_ohne_aufzeichnung(request):
    """The suite checks pages by their text, status and the database, and browsers read the
    page: `response.context` is there only in tests marked `vorlagen_aufzeichnung`."""
    if request.node.get_closest_marker("vorlagen_aufzeichnung") is None:
        request.getfixturevalue("ohne_vorlagen_aufzeichnung")


@pytest.fixture
def rueckfrage():
    """An Antrag of 500 € in Rückfrage: the Projektbüro asked what the hall rent is for."""
    from decimal import Decimal

    from antraege.models import Status
    from antraege.services import workflow

    from .factories import projektbuero_user, submitted_antrag

    staff = projektbuero_user()
    antrag = submitted_antrag(beantragter_betrag=Decimal("500.00"))
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    return workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Wofür ist die Saalmiete?"
    )


class Collector:
    """The SMTP sink's mailbox: (recipients, raw message) for every mail received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives: (port, Collector)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler
    controller.stop()
