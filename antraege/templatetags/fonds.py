"""The fund's figures on a district page: the district app shows them without importing the
Anträge (`{% load fonds %}{% fonds_transparenz aktionsraum as fonds %}`)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def fonds_transparenz(aktionsraum):
    return selectors.fonds_transparenz(aktionsraum=aktionsraum)
