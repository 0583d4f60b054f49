"""axe-core finds no WCAG 2.1 A/AA violation on any public page, in German and English,
and nothing needs horizontal scrolling at 320 px."""

import pytest

from .helpers import (
    assert_no_axe_violations,
    assert_no_horizontal_scrolling,
    bildschirmfoto,
    fill_application,
    write_pdf,
)
from .journey import status_link_aus_mail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

PAGES = [
    "/",
    "/aktionsraeume/",
    "/aktionsraeume/hoerde/",
    "/aktionsraeume/wickede/",
    "/antrag/?aktionsraum=hoerde",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/antrag/offene-daten/",
    "/projekte/",
    "/gibt-es-nicht/",
]


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
def test_public_pages_have_no_axe_violations(page, prefix):
    for path in PAGES:
        page.goto(prefix + path)
        assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
def test_form_with_errors_has_no_axe_violations(page, prefix):
    page.goto(prefix + "/antrag/")
    page.get_by_role("button", name="Weiter" if not prefix else "Continue", exact=True).click()
    page.wait_for_selector("#fehler")
    page.wait_for_load_state("load")
    # The first step's four questions, each with its message; no later step is named yet.
    assert page.locator("#fehler li").count() == 4
    assert page.locator("#weitere-fehler").count() == 0
    assert_no_axe_violations(page)


def test_english_confirmation_and_status_pages_have_no_axe_violations(page, tmp_path):
    from antraege.models import Antrag

    page.goto("/en/antrag/")
    fill_application(page, write_pdf(tmp_path), sprache="en")
    page.get_by_role("button", name="Continue to check your answers").click()
    page.get_by_role("heading", name="Please check your answers").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Thank you! Your application has been received.").wait_for()
    assert_no_axe_violations(page)
    page.goto(status_link_aus_mail(Antrag.objects.get(), "received"))
    assert "What happens next?" in page.content()
    assert_no_axe_violations(page)


def test_nothing_scrolls_sideways_at_320_px(new_page, output_dir):
    page = new_page(width=320, height=640)
    for prefix in ["", "/en"]:
        for path in PAGES:
            page.goto(prefix + path)
            assert_no_horizontal_scrolling(page)
    page.goto("/antrag/")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector("#fehler")
    page.wait_for_load_state("load")
    assert_no_horizontal_scrolling(page)
    bildschirmfoto(page, output_dir / "antrag-fehler-320px.png")
    page.goto("/aktionsraeume/hoerde/")
    bildschirmfoto(page, output_dir / "aktionsraum-320px.png")


def test_the_axe_check_fails_on_a_page_with_barriers(page):
    page.set_content('<html lang="de"><body><main><img src="data:,"><input></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_the_axe_check_fails_when_axe_fetches_what_is_not_a_static_file(page, live_server):
    # axe-core reads imported stylesheets again; a wrongly resolved @import (axe-core 4.12.1
    # did that on every admin page) asks the server for a page instead.
    falsch = f"{live_server.url}/aktionsraeume/nicht-da.css"
    page.set_content(
        f'<html lang="de"><head><title>Test</title><style>@import url("{falsch}");</style>'
        "</head><body><main><h1>Test</h1></main></body></html>"
    )
    with pytest.raises(AssertionError, match="axe asked for more than static files"):
        assert_no_axe_violations(page)


def test_the_width_check_fails_on_a_page_that_is_too_wide(new_page):
    page = new_page(width=320)
    page.set_content("<html><body><table><tr><td>" + "x" * 200 + "</td></tr></table></body></html>")
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_no_horizontal_scrolling(page)
