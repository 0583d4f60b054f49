"""A Rückforderung without the city's account configured is shown unavailable, with its
reason, before anyone types (issue 36 point 3), at 1280 and 768 px."""

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag, Status
from tests.factories import projektbuero_user, zentral_bewilligt

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.mark.parametrize("breite", [1280, 768])
def test_a_rueckforderung_without_account_is_shown_unavailable(
    new_page, output_dir, settings, breite
):
    settings.RUECKZAHLUNG_IBAN = ""
    pb = projektbuero_user()
    antrag = zentral_bewilligt(pb)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.AUSGEZAHLT)
    j = Journey(new_page(width=1280, height=900), "schritt-gesperrt", output_dir)
    j.anmelden(pb.username)
    j.page.goto(f"/admin/antraege/antrag/{antrag.pk}/change/")
    knopf = j.page.get_by_role("button", name="Geld zurückfordern")
    expect(knopf).to_be_disabled()
    expect(knopf).to_have_accessible_description(
        "Jetzt nicht möglich: Für Rückzahlungen ist kein Konto eingerichtet: Die "
        "Systembetreuung muss das Konto der Stadt eintragen. Bis dahin ist keine "
        "Rückforderung möglich."
    )
    expect(j.page.get_by_label("Betrag der Rückforderung")).to_have_count(0)
    for breite in (1280, 768):
        j.page.set_viewport_size({"width": breite, "height": 900})
        j.page.locator(".schritt-gesperrt").scroll_into_view_if_needed()
        j.foto(f"rueckforderung-gesperrt-{breite}")
        assert_no_horizontal_scrolling(j.page)
        assert_no_axe_violations(j.page)
