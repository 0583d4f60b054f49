"""Money is formatted in one place (aktionsplan/kern/geld.py) for templates, messages and forms."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from aktionsplan.kern import geld


def test_one_format_in_german_and_english_for_every_caller():
    faelle = [("de", "1.350,50", "1.350,50\xa0€"), ("en", "1,350.50", "1,350.50\xa0€")]
    for sprache, ohne, mit in faelle:
        with translation.override(sprache):
            wert = Decimal("1350.5")
            assert geld.betrag(wert) == ohne
            vorlage = Template("{% load geld %}{{ wert|euro }}").render(Context({"wert": wert}))
            assert geld.euro(wert) == vorlage == mit


def test_what_is_no_amount_shows_as_nothing():
    assert geld.euro(None) == geld.euro("abc") == ""
