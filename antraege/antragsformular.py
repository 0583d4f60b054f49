"""The form engine of every Antrag form (online, paper, correction): binds the form and its
Kostenplan, takes the round trips (a new cost row, the sums without JavaScript), checks,
and hands a valid form to the check page or to saving. Used by the public views and the
admin alike; it knows nothing of either."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _

from .forms.antrag import KostenFormSet
from .forms.felder import EuroField

# Buttons that only come back with the form filled in as it was: nothing is checked yet.
RUNDE = ("kosten_hinzufuegen", "neu_berechnen", "aendern", "anlage_entfernen")


@dataclass
class Formularergebnis:
    """What one post of an Antrag form came to."""

    form: forms.Form
    formset: KostenFormSet
    # What `speichern` or `pruefen` returned; None when nothing was saved or checked.
    ergebnis: Any = None
    # A round trip (a row added, the sums computed): the values stay, no error is shown yet.
    nur_runde: bool = False

    def fehlerliste(self) -> list:
        """The error summary at the top of the page (empty after a round trip)."""
        return [] if self.nur_runde else error_summary(self.form, self.formset)


def formular_verarbeiten(
    request,
    *,
    form_class,
    speichern,
    form_kwargs=None,
    pruefen=None,
    data=None,
    dateien=None,
    fehler=None,
) -> Formularergebnis:
    """Binds an Antrag form and its Kostenplan, adds a row or validates and saves.

    A new cost row, and without JavaScript the sums, come from a round trip ("Weitere
    Kostenposition hinzufügen", "Neu berechnen"); then nothing is checked yet. With `pruefen`,
    a valid form goes to it (the check page) unless the post says "absenden". `fehler`
    ({field: [messages]}) are added in any case (files refused before binding).

    Each date and money rule runs once per post: here when the post goes no further (the
    check page, or other errors), otherwise in the service that `speichern` calls, under the
    year's lock; its errors come back to the fields.
    """
    form_kwargs = form_kwargs or {}
    data = request.POST if data is None else data
    dateien = request.FILES if dateien is None else dateien
    fehler = fehler or {}
    if any(name in data for name in RUNDE):
        data = data.copy()
        if "kosten_hinzufuegen" in data:
            total = _int(data.get("kosten-TOTAL_FORMS"), 2)
            data["kosten-TOTAL_FORMS"] = str(min(max(total, 0) + 1, 30))
        form = form_class(data, **form_kwargs)
        formset = KostenFormSet(data, prefix="kosten")
        ohne_fehler(form, formset)
        _fehler_zufuegen(form, fehler)
        return Formularergebnis(form, formset, nur_runde=True)
    form = form_class(data, dateien, **form_kwargs)
    formset = KostenFormSet(data, prefix="kosten")
    form.is_valid()
    kosten = formset.amounts() if formset.is_valid() else None
    if kosten is not None:
        form.betrag_ableiten(kosten)
    _fehler_zufuegen(form, fehler)
    sendet = pruefen is None or "absenden" in data
    if form.errors or kosten is None or not sendet:
        # This post does not reach the service: the date and money rules run here, so that
        # every error shows at once. Otherwise the service runs them, under its lock.
        form.regeln_pruefen(kosten)
    if not form.errors and kosten is not None:
        try:
            if not sendet:
                return Formularergebnis(form, formset, ergebnis=pruefen(form, formset))
            return Formularergebnis(form, formset, ergebnis=speichern(form, formset))
        except ValidationError as exc:
            form._add_errors(exc)
    return Formularergebnis(form, formset)


def ohne_fehler(form, formset=None):
    """Keeps every value but shows no error yet: the person is still filling in the form."""
    for f in [form, *(formset.forms if formset is not None else [])]:
        f._errors = ErrorDict()
        f.cleaned_data = {}


def _fehler_zufuegen(form, fehler):
    for name, meldungen in fehler.items():
        for meldung in meldungen:
            form.add_error(name, meldung)


def error_summary(form, formset):
    """(label, message, anchor) for every error, in the order of the page."""
    if not form.is_bound:
        return []
    summary = []
    for message in form.non_field_errors():
        summary.append(("", message, "antrag-fehler"))
    for field in form:
        for message in field.errors:
            # The message says what is wrong; only an amount's (the same for every amount)
            # needs its field's name before it.
            label = field.label if isinstance(field.field, EuroField) else ""
            summary.append((label, message, _anchor(field)))
    for message in formset.non_form_errors():
        summary.append(("", message, "kostenplan"))
    for index, row in enumerate(formset.forms, start=1):
        for field in row:
            for message in field.errors:
                label = _("Kostenposition %(n)d") % {"n": index}
                summary.append((label, message, _anchor(field)))
    return summary


def _anchor(field):
    # The computed amount is shown, not typed: its error leads to the calculation.
    if field.is_hidden:
        return f"{field.auto_id}_anzeige"
    # Radio buttons and checkbox lists get one id per option; the first one is the target.
    if isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def nachweis_fehler(form) -> list:
    return [
        (
            form[name].label if name in form.fields else "",
            message,
            form[name].auto_id if name in form.fields else "nachweis-fehler",
        )
        for name, messages_ in form.errors.items()
        for message in messages_
    ] + form.weitere_fehler()
