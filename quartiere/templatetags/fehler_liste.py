"""The error summary of every change form of the Verwaltung, like the public form's: each
error with its field's name and a link to that field, the inline rows counted."""

from django import template

register = template.Library()


@register.simple_tag
def fehler_zusammenfassung(adminform, inline_admin_formsets) -> list[tuple[str, str]]:
    """(text, anchor) for every error of the page, in the page's order; anchor "" for an
    error of the whole form or of a whole list of rows."""
    fehler = [(str(m), "") for m in adminform.form.non_field_errors()]
    fehler += _felder(adminform.form, "")
    for inline in inline_admin_formsets or []:
        formset = inline.formset
        titel = str(inline.opts.verbose_name)
        fehler += [(f"{titel}: {m}", "") for m in formset.non_form_errors()]
        for nummer, form in enumerate(formset.forms, start=1):
            fehler += [(f"{titel}: {m}", "") for m in form.non_field_errors()]
            fehler += _felder(form, f"{titel} {nummer}, ")
    return fehler


def _felder(form, vorne: str) -> list[tuple[str, str]]:
    return [
        (f"{vorne}{feld.label}: {meldung}", feld.id_for_label or feld.auto_id or "")
        for feld in form
        if not feld.is_hidden
        for meldung in feld.errors
    ]
