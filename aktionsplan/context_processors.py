"""Values every page template needs: the Projektbüro's contact, the language switch and the
address of the application form (so that the district pages link it without naming its app)."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info


def portal(request):
    return {
        "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
        "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
        "language_links": _language_links(request),
        "antrag_stellen_url": reverse("antraege:start"),
        # Back to a draft saved for later or an Antrag sent: its link is mailed again.
        "wiederkommen_url": reverse("antraege:statuslink_anfordern"),
    }


def _language_links(request):
    """This page in every language, for the switch: translated here, where the URL resolves."""
    current = get_language()
    # The path and the value each parameter is read as, not the raw query string: a page the
    # page cache keeps for everyone carries nothing of the first visitor's spelling.
    path = request.path
    if request.GET:
        path += "?" + urlencode(sorted((name, request.GET.get(name)) for name in request.GET))
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "next": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
