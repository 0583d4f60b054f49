"""Template tags of the staff pages: the start page's work list for the logged-in account."""

from django import template

from antraege.selectors import fristen

register = template.Library()


@register.simple_tag(takes_context=True)
def startseite(context):
    """Numbers, open Rückfragen, conferences and fund figures for the account's areas."""
    return fristen.startseite(user=context["request"].user)
