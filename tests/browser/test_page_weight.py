"""Served the production way (gunicorn, DEBUG=0, collectstatic, whitenoise), the home page
transfers at most 150 KB, and static files are cached for a year under hashed names."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import OriginGuard

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 150 * 1024


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, statische_dateien):
    tmp = tmp_path_factory.mktemp("prod")
    port = _free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DEBUG": "0",
        "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
        "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
        "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
        "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
        "SECRET_KEY": "page-weight-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # Production refuses the console backend; no page here sends a mail.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "STATIC_ROOT": str(statische_dateien),
        "PRIVATE_MEDIA_ROOT": str(tmp / "media"),
    }
    python = sys.executable
    migrate = [python, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            "aktionsplan/gunicorn.conf.py",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "aktionsplan.wsgi",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def test_home_page_transfers_at_most_150_kb_and_static_files_are_cached(browser, production_server):
    context = browser.new_context(base_url=production_server)
    guard = OriginGuard(production_server).watch(context)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/", wait_until="networkidle")
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    static = [r for r in responses if "/static/" in r.url]
    context.close()

    assert not guard.foreign
    print(f"home page: {len(responses)} responses, {total} bytes transferred")
    assert total <= BUDGET, f"{total} bytes > {BUDGET}"
    assert static, "the page loads its CSS from /static/"
    for response in static:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", response.url), response.url
        headers = response.headers
        assert "max-age=31536000" in headers["cache-control"], response.url
        if not response.url.endswith(".woff2"):  # a font is compressed in itself
            assert headers.get("content-encoding") in ("gzip", "br"), response.url
