"""The applicant's name of a status ("Wird geprüft", never "in_pruefung" or "in Prüfung"):
`{{ antrag.status|stufe }}` on the applicant's pages, in mails and letters."""

from django import template

from .. import ablauf

register = template.Library()


@register.filter
def stufe(status: str) -> str:
    return ablauf.stufe(status)
