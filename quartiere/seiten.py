"""Parts other apps add to a district page (the fund's figures from the Anträge): registered
from their AppConfig.ready, so that this app shows them without naming those apps."""

from django.template.loader import render_to_string

# (template, function from the Aktionsraum to the template's context), in registration order.
_TEILE: list[tuple[str, object]] = []


def teil_eintragen(vorlage: str, kontext) -> None:
    """Adds a part to every district page: `vorlage` rendered with `kontext(aktionsraum)`."""
    if all(eintrag[0] != vorlage for eintrag in _TEILE):
        _TEILE.append((vorlage, kontext))


def teile(*, aktionsraum, request) -> list[str]:
    """The registered parts of one district page, rendered."""
    return [
        render_to_string(vorlage, kontext(aktionsraum), request=request)
        for vorlage, kontext in _TEILE
    ]
