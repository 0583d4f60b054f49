"""The KERN crispy pack's controls (templates/kern/field.html): a bound field's widget with
KERN's classes, marked invalid and described by its hint and its errors."""

from django import forms, template

register = template.Library()


def _klasse(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    return "kern-form-input__input"


@register.filter
def kern_beschrieben(field) -> str:
    """The ids that describe the field: its hint and each of its errors."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    ids += [f"{field.auto_id}_fehler{n}" for n in range(1, len(field.errors) + 1)]
    return " ".join(ids)


@register.filter
def kern_eingabe(field):
    """The field's control with KERN's class (its error variant after an error)."""
    widget = field.field.widget
    klasse = _klasse(widget)
    if field.errors:
        klasse += f" {klasse}--error"
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class", ""), klasse]))}
    if beschrieben := kern_beschrieben(field):
        attrs["aria-describedby"] = beschrieben
    return field.as_widget(attrs=attrs)
