"""The KERN crispy pack's controls (templates/kern/field.html): a bound field's widget with
KERN's classes, marked invalid and described by its hint and its errors."""

from django import forms, template

register = template.Library()


# Each control's KERN class and its variant after an error, written out: `make kern` keeps
# only the rules of the class names it finds in the code.
KLASSEN = {
    "checkbox": ("kern-form-check__checkbox", "kern-form-check__checkbox--error"),
    "select": ("kern-form-input__select", "kern-form-input__select--error"),
    "input": ("kern-form-input__input", "kern-form-input__input--error"),
}


def _klassen(widget) -> tuple[str, str]:
    if isinstance(widget, forms.CheckboxInput):
        return KLASSEN["checkbox"]
    if isinstance(widget, forms.Select):
        return KLASSEN["select"]
    return KLASSEN["input"]


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
    klasse, fehlerklasse = _klassen(widget)
    if field.errors:
        klasse += f" {fehlerklasse}"
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class", ""), klasse]))}
    if beschrieben := kern_beschrieben(field):
        attrs["aria-describedby"] = beschrieben
    return field.as_widget(attrs=attrs)
