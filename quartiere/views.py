"""Public, server-rendered pages: home, list of Aktionsräume, one Aktionsraum."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from aktionsplan.seitencache import oeffentlich
from antraege.selectors import fonds_transparenz

from .selectors import aktionsraeume_by_office, aktionsraeume_public


@require_safe
@oeffentlich
def home(request):
    return render(request, "quartiere/home.html", {"groups": aktionsraeume_by_office()})


@require_safe
@oeffentlich
def aktionsraum_list(request):
    return render(request, "quartiere/aktionsraum_list.html", {"groups": aktionsraeume_by_office()})


@require_safe
@oeffentlich
def aktionsraum_detail(request, slug):
    aktionsraum = aktionsraeume_public().filter(slug=slug).first()
    if aktionsraum is None:
        raise Http404
    return render(
        request,
        "quartiere/aktionsraum_detail.html",
        {"aktionsraum": aktionsraum, "fonds": fonds_transparenz(aktionsraum=aktionsraum)},
    )
