"""Money formatting for templates: `{{ betrag|euro }}` gives 5.000,00 € in German."""

from decimal import Decimal, InvalidOperation

from django import template

from aktionsplan.kern import geld

register = template.Library()


# The format itself is aktionsplan/kern/geld.py's, as everywhere else.
euro = register.filter("euro", geld.euro)
# Whole euros without cents, for headlines ("Noch verfügbar: 3.200 € von 5.000 €").
euro_rund = register.filter("euro_rund", geld.euro_rund)
# An amount without the sign, as an input field shows it ("12.000,00").
betrag = register.filter("betrag", geld.betrag)


@register.filter
def prozent_von(value, total):
    """Share of value in total as a whole percentage between 0 and 100 (for bars)."""
    try:
        share = int(Decimal(value) * 100 / Decimal(total))
    except (InvalidOperation, ZeroDivisionError, TypeError, ValueError):
        return 0
    return max(0, min(100, share))


@register.filter
def feld(mapping, key):
    """`{{ zeile|feld:key }}`: one column of a table row given as a dict."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return ""
