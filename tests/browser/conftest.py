"""Playwright driving Debian's Chromium against the portal on loopback.

Never downloads a browser. The tests run in Debian's headless shell of Chromium
(`chromium-headless-shell`: the same engine without the browser around it, about a third less
CPU per test, measured on the accessibility and Verwaltung journey files: 21 against 32 core
seconds); a test that opens a PDF in the browser's own viewer is marked `pdf_ansicht` and runs
in the full Chromium. Without them the tests skip with a message (without the headless shell,
all run in the full Chromium); with REQUIRE_BROWSER=1 (CI) a missing one is a failure. Every
page a test opens is watched: a request to any origin but the portal's own fails the test.

The watch only listens, it does not intercept: Playwright's request routing would send every
request through Python and switch off the browser's cache (measured: the accessibility and
Verwaltung journey files took 42.5 s routed, 39.7 s listened). Blocking is Chromium's own: its
resolver knows no host but loopback, so a foreign request never leaves the machine, and the
listener still names it (test_resident_path.py tries it).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Every name but loopback resolves to nothing: no request can reach a foreign host.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _fehlt(pfad: str, paket: str) -> None:
    message = f"{pfad} not found (apt-get install {paket})"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message}, but REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{message}: browser tests skipped")


@pytest.fixture(scope="session")
def _playwright():
    if not os.path.exists(CHROMIUM):
        _fehlt(CHROMIUM, "chromium")
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls that the
    # tests make around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def voller_browser(_playwright):
    """The full Chromium, with its PDF viewer."""
    chromium = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser(_playwright, request):
    """The headless shell (the full Chromium on a machine without it, unless CI)."""
    if not os.path.exists(HEADLESS_SHELL):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            _fehlt(HEADLESS_SHELL, "chromium-headless-shell")
        yield request.getfixturevalue("voller_browser")
        return
    chromium = _playwright.chromium.launch(executable_path=HEADLESS_SHELL, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class OriginGuard:
    """Listens to every request of a context and lists those to any origin but `origin`.

    `OriginGuard(origin).watch(context)`; the browser's resolver (CHROMIUM_ARGS) makes sure
    such a request fails, the list makes sure the test does.
    """

    # chrome:// and chrome-extension:// are the browser's own files (its PDF viewer), never
    # the network.
    OWN_SCHEMES = ("data", "blob", "chrome", "chrome-extension")

    def __init__(self, origin):
        self.origin = origin
        self.foreign = []

    def watch(self, context):
        context.on("request", self)
        return self

    def __call__(self, request):
        parts = urlsplit(request.url)
        eigen = parts.scheme in self.OWN_SCHEMES
        if not eigen and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)


@pytest.fixture
def new_page(request, live_server):
    """Opens pages in fresh contexts (language, width, JavaScript) on the live server, in the
    full Chromium for tests marked `pdf_ansicht`."""
    pdf = request.node.get_closest_marker("pdf_ansicht") is not None
    browser = request.getfixturevalue("voller_browser" if pdf else "browser")
    contexts, guards = [], []

    def _new_page(*, locale="de-DE", width=1280, height=900, javascript=True):
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            base_url=live_server.url,
        )
        guard = OriginGuard(live_server.url).watch(context)
        context.set_default_timeout(20_000)
        contexts.append(context)
        guards.append(guard)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
    foreign = [url for guard in guards for url in guard.foreign]
    assert not foreign, f"requests to other origins: {foreign}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
