"""The Verwendungsnachweis through the status link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from aktionsplan.kern import drosselung
from antraege import ablauf
from antraege.selectors import hauptbuch
from antraege.services import einreichung

from ..antragsformular import nachweis_fehler
from ..forms.felder import fehler_je_feld
from ..forms.nachweis import NachweisForm
from ..models import Status
from .status import antrag_by_token


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def nachweis_einreichen(request, token):
    """The applicant hands in the Verwendungsnachweis after the payout, or corrects it: the
    report and planned against actual per cost row, then a check page with the unspent
    difference, where the receipts are chosen and the Nachweis is sent."""
    antrag = antrag_by_token(token)
    if antrag.status not in ablauf.NACHWEIS_MOEGLICH:
        messages.info(
            request, _("Ein Verwendungsnachweis ist für diesen Antrag jetzt nicht möglich.")
        )
        return redirect("antraege:status", token=token)
    korrektur = None
    initial = {}
    if antrag.status == Status.NACHWEIS_KORREKTUR:
        korrektur = antrag.verlauf.filter(nach=Status.NACHWEIS_KORREKTUR).last()
        initial = _nachweis_initial(antrag.verwendungsnachweise.last())
    ausgezahlt = hauptbuch.antrag_geldstand(antrag).netto_ausgezahlt
    seite = {"antrag": antrag, "token": token, "ausgezahlt": ausgezahlt, "korrektur": korrektur}

    if request.method != "POST":
        return _nachweis_formular(request, seite, NachweisForm(antrag=antrag, initial=initial))
    post = request.POST
    if "aendern" in post:
        form = NachweisForm(post, antrag=antrag)
        form.is_valid()
        return _nachweis_formular(request, seite, form)
    absenden = "absenden" in post
    form = NachweisForm(post, request.FILES or None, antrag=antrag, mit_belegen=absenden)
    if form.is_valid() and absenden and _nachweis_senden(antrag, form):
        messages.success(request, _("Danke! Ihr Verwendungsnachweis ist eingegangen."))
        return redirect("antraege:status", token=token)
    # Only the receipts wrong: back to the check page, where they are chosen.
    nur_belege = absenden and set(form.errors) <= {"belege"}
    if not form.errors or nur_belege:
        return _nachweis_pruefseite(request, seite, form, post)
    return _nachweis_formular(request, seite, form)


def _nachweis_senden(antrag, form) -> bool:
    """Hands the checked Nachweis to the service; its refusals land on the form's fields."""
    try:
        einreichung.verwendungsnachweis_einreichen(
            antrag=antrag, **form.service_data(), dateien=form.cleaned_data["belege"]
        )
    except ValidationError as exc:
        for field, errors in fehler_je_feld(exc).items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return False
    return True


def _nachweis_formular(request, seite, form):
    return render(
        request, "antraege/nachweis.html", {**seite, "form": form, "errors": nachweis_fehler(form)}
    )


def _nachweis_pruefseite(request, seite, form, post):
    """The check page with the unspent difference; the figures go again with the page."""
    return render(
        request,
        "antraege/nachweis_pruefen.html",
        {
            **seite,
            "form": form,
            "errors": nachweis_fehler(form),
            "tabelle": form.tabelle(),
            "rechnung": form.rechnung(ausgezahlt=seite["ausgezahlt"]),
            "versteckt": [
                (name, wert)
                for name, werte in post.lists()
                if name in form.fields and name != "belege"
                for wert in werte
            ],
        },
    )


def _nachweis_initial(letzter) -> dict:
    """A Nachweis given back for correction: its values stand in the form again."""
    if letzter is None:
        return {}
    initial = {
        "bericht": letzter.bericht,
        "eigenmittel": letzter.eigenmittel,
        "eigenleistung": letzter.eigenleistung,
        "drittmittel": letzter.drittmittel,
    }
    for position in letzter.positionen.all():
        if position.kostenposition_id:
            initial[f"ausgabe_{position.kostenposition_id}"] = position.ausgegeben
    return initial
