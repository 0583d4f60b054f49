"""Public, server-rendered pages: home, list of Aktionsräume, one Aktionsraum, its documents."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from aktionsplan.kern.seitencache import oeffentlich

from . import karte, seiten
from .models import Dokument
from .selectors import aktionsraeume_public, gebiete, kennzahlen_neueste, nach_amt


@require_safe
@oeffentlich
def home(request):
    liste = _liste()
    aktuell = liste["gebiete"]["aktionsraeume"] + liste["gebiete"]["aktionsquartiere"]
    return render(request, "quartiere/home.html", {**liste, "karte": karte.karte(aktuell)})


@require_safe
@oeffentlich
def aktionsraum_list(request):
    return render(request, "quartiere/aktionsraum_list.html", _liste())


def _liste() -> dict:
    """The areas as the lists group them (one read of the areas and their contacts)."""
    gruppen = gebiete()
    return {"groups": nach_amt(gruppen["aktionsraeume"]), "gebiete": gruppen}


def _text(aktionsraum, feld):
    """(text, language) in the page's language, falling back to German."""
    if get_language() == "en" and getattr(aktionsraum, f"{feld}_en").strip():
        return getattr(aktionsraum, f"{feld}_en"), "en"
    return getattr(aktionsraum, feld), "de"


@require_safe
@oeffentlich
def aktionsraum_detail(request, slug):
    alle = list(aktionsraeume_public())
    aktionsraum = next((a for a in alle if a.slug == slug), None)
    if aktionsraum is None:
        raise Http404
    einfuehrung, einfuehrung_sprache = _text(aktionsraum, "einfuehrung")
    arbeit, arbeit_sprache = _text(aktionsraum, "arbeit")
    return render(
        request,
        "quartiere/aktionsraum_detail.html",
        {
            "aktionsraum": aktionsraum,
            "einfuehrung": einfuehrung,
            "einfuehrung_sprache": einfuehrung_sprache,
            "arbeit": arbeit,
            "arbeit_sprache": arbeit_sprache,
            "dokumente": list(aktionsraum.dokumente.all()),
            "kennzahlen": kennzahlen_neueste(aktionsraum=aktionsraum),
            "karte": karte.karte(alle, aktuell=aktionsraum),
            "teile": seiten.teile(aktionsraum=aktionsraum, request=request),
        },
    )


def _dokument(slug, pk):
    return get_object_or_404(
        Dokument.objects.select_related("aktionsraum"),
        pk=pk,
        aktionsraum__slug=slug,
        aktionsraum__is_active=True,
    )


@require_safe
def dokument(request, slug, pk):
    """The document's lasting address: leads to its current version (never cached long)."""
    doc = _dokument(slug, pk)
    response = redirect(
        "quartiere:dokument_fassung",
        slug=slug,
        pk=pk,
        version=doc.version,
        name=(slugify(doc.titel) or "dokument")[:80] + ".pdf",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def dokument_fassung(request, slug, pk, version, name):
    """One version of a document: the same bytes for ever, so cached for a year."""
    doc = _dokument(slug, pk)
    if version != doc.version:
        return redirect("quartiere:dokument", slug=slug, pk=pk)
    response = FileResponse(doc.datei.open("rb"), content_type="application/pdf", filename=name)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
