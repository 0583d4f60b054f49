"""A key figure as people write it: 12,5 % and 1.234 Personen, not 12,50 or 1234,00."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def zahl(wert):
    if wert is None:
        return ""
    d = Decimal(wert)
    stellen = (
        0 if d == d.to_integral_value() else 1 if d * 10 == (d * 10).to_integral_value() else 2
    )
    return number_format(d, decimal_pos=stellen, use_l10n=True, force_grouping=True)
