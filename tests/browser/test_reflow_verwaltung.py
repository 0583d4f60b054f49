"""At 320 CSS px (400 % zoom of 1280) the start page, an Antrag page and a Projektkonferenz
page need no sideways scrolling; wide tables scroll inside their own labelled region."""

from decimal import Decimal

import pytest

from tests.factories import entscheidungsreif, fonds_bewilligen, projektbuero_user, submitted_antrag

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

SCROLLBEREICHE_BENANNT = """() => [...document.querySelectorAll('.tabelle-scroll')].every(
  el => el.getAttribute('role') === 'region' && el.tabIndex === 0 &&
        (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))"""


def test_the_staff_pages_reflow_at_320_px(new_page, output_dir):
    pb = projektbuero_user()
    antrag = entscheidungsreif(submitted_antrag(titel="Kiezfest"), pb)
    fonds_bewilligen(antrag, Decimal("100.00"), pb)
    konferenz = antrag.projektkonferenzen.get()
    j = Journey(new_page(width=320, height=800), "reflow-320", output_dir)
    j.anmelden(pb.username)
    for name, pfad in [
        ("start", "/admin/"),
        ("antrag", f"/admin/antraege/antrag/{antrag.pk}/change/"),
        ("konferenz", f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/"),
    ]:
        j.page.goto(pfad)
        j.foto(name)
        assert_no_horizontal_scrolling(j.page)
        assert j.page.evaluate(SCROLLBEREICHE_BENANNT), pfad
        assert_no_axe_violations(j.page)
