"""Template tags of the staff pages: the start page's work list for the logged-in account."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def startseite(context):
    """Numbers, open Rückfragen, conferences and fund figures for the account's areas."""
    return selectors.startseite(user=context["request"].user)
