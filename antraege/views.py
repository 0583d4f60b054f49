"""Public views of the application process; every rule they rely on is in services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quartiere.models import Aktionsraum

from . import services
from .forms import AntragForm, KostenFormSet
from .models import Antrag, Status

SESSION_KEY = "antrag_eingereicht"


@require_http_methods(["GET", "HEAD", "POST"])
def antrag_form(request):
    if request.method != "POST":
        slug = request.GET.get("aktionsraum", "")
        area = Aktionsraum.objects.active().filter(slug=slug).first() if slug else None
        form = AntragForm(initial={"aktionsraum": area, "wohnort": "Dortmund"})
        return _render_form(request, form, KostenFormSet(prefix="kosten"))

    data = request.POST
    if "kosten_hinzufuegen" in data:
        # Without JavaScript a new row comes from a round trip; nothing is checked yet.
        data = data.copy()
        total = _int(data.get("kosten-TOTAL_FORMS"), 2)
        data["kosten-TOTAL_FORMS"] = str(min(total + 1, 30))
        form = AntragForm(data)
        formset = KostenFormSet(data, prefix="kosten")
        # Keep every value but show no error yet: the applicant is still filling in the form.
        for f in [form, *formset.forms]:
            f._errors = ErrorDict()
        return _render_form(request, form, formset, unbound_errors=True)

    form = AntragForm(data, request.FILES)
    formset = KostenFormSet(data, prefix="kosten")
    form.is_valid()
    if formset.is_valid():
        form.check_money(formset.amounts())
    if not form.errors and formset.is_valid():
        try:
            antrag = services.antrag_einreichen(
                daten=form.service_data(),
                kosten=formset.rows(),
                dateien=form.cleaned_data["anlagen"],
            )
        except ValidationError as exc:
            form._add_errors(exc)
        else:
            request.session[SESSION_KEY] = antrag.pk
            return redirect("antraege:eingereicht")
    return _render_form(request, form, formset, status=200)


def _render_form(request, form, formset, status=200, unbound_errors=False):
    errors = [] if unbound_errors else _error_summary(form, formset)
    return render(
        request,
        "antraege/antrag_form.html",
        {"form": form, "formset": formset, "errors": errors, "show_errors": not unbound_errors},
        status=status,
    )


def _error_summary(form, formset):
    """(label, message, anchor) for every error, in the order of the page."""
    if not form.is_bound:
        return []
    summary = []
    for message in form.non_field_errors():
        summary.append(("", message, "antrag-fehler"))
    for field in form:
        for message in field.errors:
            summary.append((field.label, message, _anchor(field)))
    for message in formset.non_form_errors():
        summary.append((_("Kostenplan"), message, "kostenplan"))
    for index, row in enumerate(formset.forms, start=1):
        for field in row:
            for message in field.errors:
                label = _("Kostenposition %(n)d, %(feld)s") % {"n": index, "feld": field.label}
                summary.append((label, message, _anchor(field)))
    return summary


def _anchor(field):
    # Radio buttons and checkbox lists get one id per option; the first one is the target.
    if isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_safe
def antrag_eingereicht(request):
    antrag = Antrag.objects.filter(pk=request.session.get(SESSION_KEY)).first()
    if antrag is None:
        return redirect("antraege:form")
    return render(request, "antraege/eingereicht.html", {"antrag": antrag})


def _antrag_by_token(token):
    antrag = (
        Antrag.objects.select_related("aktionsraum", "haushaltsjahr")
        .filter(status_token=token)
        .first()
    )
    if antrag is None:
        raise Http404
    return antrag


@require_safe
def antrag_status(request, token):
    antrag = _antrag_by_token(token)
    return render(
        request,
        "antraege/status.html",
        {
            "antrag": antrag,
            "kosten": antrag.kosten.all(),
            "anlagen": antrag.anlagen.all(),
            "verlauf": antrag.verlauf.all(),
            "kann_zurueckziehen": antrag.status in services.WITHDRAWABLE,
            "Status": Status,
        },
    )


@require_POST
def antrag_zurueckziehen(request, token):
    antrag = _antrag_by_token(token)
    try:
        services.antrag_zurueckziehen(antrag=antrag, kommentar=request.POST.get("kommentar", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ihr Antrag wurde zurückgezogen."))
    return redirect("antraege:status", token=token)


@require_safe
def anlage_download(request, token, anlage_id):
    antrag = _antrag_by_token(token)
    anlage = get_object_or_404(antrag.anlagen, pk=anlage_id)
    return serve_anlage(anlage)


def serve_anlage(anlage):
    """Streams a private attachment as a download; callers have checked access."""
    response = FileResponse(
        anlage.datei.open("rb"),
        as_attachment=True,
        filename=anlage.dateiname,
        content_type=anlage.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
