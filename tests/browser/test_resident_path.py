"""A resident finds her Aktionsraum and its contact, on a phone, in German and English."""

import pytest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_goes_from_home_to_an_aktionsraum_and_sees_the_contact(new_page, javascript):
    page = new_page(width=390, height=844, javascript=javascript)
    page.goto("/")
    # The list of areas (the map below links them again).
    page.get_by_role("link", name="Hörde", exact=True).first.click()
    page.wait_for_url("**/aktionsraeume/hoerde/")
    assert page.get_by_role("heading", level=1).inner_text() == "Aktionsraum Hörde"
    phone = page.get_by_role("link", name="(0231) 50-27316")
    assert phone.get_attribute("href") == "tel:+492315027316"
    mail = page.get_by_role("link", name="aweiermann@stadtdo.de")
    assert mail.get_attribute("href") == "mailto:aweiermann@stadtdo.de"
    assert page.get_by_role("link", name="Antrag stellen").last.is_visible()


def test_language_switch_works_without_javascript(new_page, live_server):
    page = new_page(javascript=False)
    page.goto("/aktionsraeume/hoerde/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/aktionsraeume/hoerde/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url(f"{live_server.url}/aktionsraeume/hoerde/")
    assert page.locator("html").get_attribute("lang") == "de"


def test_blocked_third_party_request_would_fail_the_test(browser, live_server):
    # The guard itself must work: a page that asks for a foreign file is named, and the
    # browser never reaches the foreign host (its resolver knows only loopback). Its own
    # context, so that the foreign request it provokes does not fail this very test.
    from .conftest import OriginGuard

    context = browser.new_context(base_url=live_server.url)
    guard = OriginGuard(live_server.url).watch(context)
    page = context.new_page()
    with page.expect_event("requestfailed") as failed:
        page.set_content('<img src="https://cdn.example.com/x.png">')
    assert failed.value.url == "https://cdn.example.com/x.png"
    assert "NAME_NOT_RESOLVED" in failed.value.failure
    assert guard.foreign == ["https://cdn.example.com/x.png"]
    # The portal's own origin still loads.
    with page.expect_response(f"{live_server.url}/") as own:
        page.goto("/")
    assert own.value.ok
    assert guard.foreign == ["https://cdn.example.com/x.png"]
    context.close()
