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


TABELLEN = """() => [...document.querySelectorAll('.tabelle-scroll, #changelist-form .results')]
  .map(el => el.scrollWidth - el.clientWidth)"""


def test_the_key_tables_fit_1280_px_and_stay_usable_at_768(new_page, output_dir):
    """Issue 36 point 6: the Antrag list, the budget overview and the yearly report show all
    their columns at 1280 px without scrolling; at 768 px only the table scrolls, in its own
    labelled region, never the page."""
    pb = projektbuero_user()
    titel = "Nachbarschaftsfest mit Flohmarkt, Kinderprogramm und Musik im Quartier"
    for n in range(6):
        antrag = submitted_antrag(titel=f"{titel} {n}", beantragter_betrag=Decimal("4800.00"))
    fonds_bewilligen(entscheidungsreif(antrag, pb), Decimal("4800.00"), pb)
    seiten = [
        ("liste", "/admin/antraege/antrag/"),
        ("uebersicht", "/admin/antraege/haushaltsjahr/uebersicht/"),
        ("bericht", "/admin/antraege/haushaltsjahr/bericht/"),
    ]
    j = Journey(new_page(width=1280, height=900), "tabellen", output_dir)
    j.anmelden(pb.username)
    for name, pfad in seiten:
        j.page.goto(pfad)
        j.foto(f"{name}-1280")
        assert j.page.evaluate(TABELLEN) == [0], name
        for spalte in ("Status", "Beantragt", "Eingereicht am") if name == "liste" else ():
            assert j.page.get_by_role("columnheader", name=spalte).is_visible(), spalte
    j.page.set_viewport_size({"width": 768, "height": 900})
    for name, pfad in seiten:
        j.page.goto(pfad)
        j.foto(f"{name}-768")
        assert_no_horizontal_scrolling(j.page)
        assert j.page.evaluate(SCROLLBEREICHE_BENANNT), name
