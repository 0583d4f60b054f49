"""Money as people read it, formatted in this one place for pages, letters, messages and form
fields: 5.000,00 in German and 5,000.00 in English, and with the euro sign (after a
non-breaking space) where an amount stands on its own."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def betrag(value: Decimal) -> str:
    """An amount in the active language's format without the sign: 1.350,50."""
    return number_format(value, 2, force_grouping=True)


def euro(value) -> str:
    """An amount with the euro sign, 1.350,50 €; "" for anything that is no amount."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{betrag(value)}\u00a0€"


def euro_rund(value) -> str:
    """An amount for a headline: whole euros without cents (3.200 €), others as `euro`."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if value == value.to_integral_value():
        return f"{number_format(value, 0, force_grouping=True)}\u00a0€"
    return euro(value)
