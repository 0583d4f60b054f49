"""Funded projects for residents: the programme's list with filters (area, year, goal), one
page per project whose applicant agreed, its photo, and the pages as an Atom feed."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aktionsplan.kern import eingaben, seitencache
from quartiere.models import Aktionsraum

from ..forms.antrag import ZIELE
from ..selectors import projekte

FILTER = ["aktionsraum", "jahr", "ziel", "seite"]
JE_SEITE = 30


@require_safe
@seitencache.oeffentlich(parameter=FILTER)
def liste(request):
    """Every funded project, newest first: a page for those whose applicants agreed, an
    anonymous row of area, goal and amount for the others. Unknown filter values are
    dropped (the page says which filters apply)."""
    gebiete = list(Aktionsraum.objects.active())
    slug = eingaben.slug(request.GET.get("aktionsraum"))
    aktionsraum = next((a for a in gebiete if a.slug == slug), None)
    jahre = projekte.jahre()
    jahr = eingaben.ganzzahl(request.GET.get("jahr"))
    jahr = jahr if jahr in jahre else None
    ziel = request.GET.get("ziel", "")
    ziel = ziel if ziel in projekte.ZIEL_KURZ else ""
    treffer = projekte.liste(aktionsraum=aktionsraum, jahr=jahr, ziel=ziel)
    gefragt = eingaben.ganzzahl(request.GET.get("seite"))
    seite = Paginator(treffer, JE_SEITE).get_page(gefragt)
    filter_werte = {
        k: v
        for k, v in (("aktionsraum", slug if aktionsraum else ""), ("jahr", jahr), ("ziel", ziel))
        if v
    }
    antwort = render(
        request,
        "antraege/projekte/liste.html",
        {
            "seite": seite,
            "anzahl": len(treffer),
            "gebiete": gebiete,
            "jahre": jahre,
            "ziele": [(f.removeprefix("ziel_"), label) for f, label in ZIELE],
            "gewaehlt": {"aktionsraum": aktionsraum, "jahr": jahr, "ziel": ziel},
            "filter_werte": filter_werte,
        },
    )
    # A value the list does not know (or a page it has not) is not stored: each spelling
    # would otherwise fill the shared page cache.
    bekannt = {
        "aktionsraum": aktionsraum is not None,
        "jahr": request.GET.get("jahr") == str(jahr),
        "ziel": bool(ziel),
        "seite": request.GET.get("seite") == str(seite.number),
    }
    if any(request.GET.get(name) and not ok for name, ok in bekannt.items()):
        antwort.nicht_teilen = True
    return antwort


@require_safe
@seitencache.oeffentlich
def profil(request, aktenzeichen):
    projekt = projekte.profil(aktenzeichen)
    if projekt is None:
        raise Http404
    return render(request, "antraege/projekte/profil.html", {"projekt": projekt})


@require_safe
@never_cache
def foto(request, aktenzeichen):
    """The project's photo, only while its page is public (asked anew each time, so that a
    withdrawn consent takes it down at once)."""
    projekt = projekte.profil(aktenzeichen)
    if projekt is None or not projekt.antrag.foto:
        raise Http404
    return FileResponse(projekt.antrag.foto.open("rb"), content_type="image/jpeg")


class ProjekteFeed(Feed):
    """The public project pages as an Atom feed, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Geförderte Projekte – Aktionsplan Soziale Stadt Dortmund")
    subtitle = gettext_lazy("Neue Projektseiten des Aktionsplans Soziale Stadt Dortmund")

    def link(self):
        return reverse("projekte:liste")

    def items(self):
        return projekte.profile()

    def item_title(self, item):
        return item.antrag.titel

    def item_description(self, item):
        # The feed carries HTML: the applicant's text as text, its line breaks kept.
        return linebreaksbr(item.antrag.vorstellung_text, autoescape=True)

    def item_link(self, item):
        return reverse("projekte:profil", kwargs={"aktenzeichen": item.antrag.aktenzeichen})

    def item_guid(self, item):
        return self.item_link(item)

    def item_updateddate(self, item):
        # When it was applied for: stable, and it tells nothing about the office's work on it.
        return item.antrag.eingereicht_am

    def item_categories(self, item):
        return [str(z) for z in item.antrag.ziele] + [item.antrag.aktionsraum.name]


def feed(request):
    return seitencache.oeffentlich(ProjekteFeed())(request)
