"""The browser tests' own helpers, where they decide something."""

import pytest
from playwright.sync_api import Error

from .helpers import bildschirmfoto


class Seite:
    """Stands in for a page whose screenshots fail with `fehler`, `mal` times."""

    def __init__(self, fehler, mal):
        self.fehler, self.mal, self.aufnahmen = fehler, mal, []

    def screenshot(self, path, full_page):
        self.aufnahmen.append(path)
        if len(self.aufnahmen) <= self.mal:
            raise Error(self.fehler)

    def wait_for_timeout(self, ms):
        pass


def test_a_refused_capture_is_taken_once_more(tmp_path):
    seite = Seite("Protocol error (Page.captureScreenshot): Unable to capture screenshot", 1)
    bildschirmfoto(seite, tmp_path / "a.png")
    assert len(seite.aufnahmen) == 2


def test_a_capture_refused_twice_fails(tmp_path):
    seite = Seite("Protocol error (Page.captureScreenshot): Unable to capture screenshot", 2)
    with pytest.raises(Error, match="Unable to capture"):
        bildschirmfoto(seite, tmp_path / "a.png")


def test_any_other_screenshot_error_fails_at_once(tmp_path):
    seite = Seite("Target page, context or browser has been closed", 1)
    with pytest.raises(Error, match="closed"):
        bildschirmfoto(seite, tmp_path / "a.png")
    assert len(seite.aufnahmen) == 1
