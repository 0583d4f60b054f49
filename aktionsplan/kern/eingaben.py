"""Values from a query string or a form, narrowed before they reach a lookup.

`str.isdigit` takes "²" and "٣" (which `int` then refuses or reads) and a NUL character makes
PostgreSQL refuse the whole query: both were 500s. What does not match is simply not there.
"""

import re

_GANZZAHL = re.compile(r"[0-9]{1,9}")
_SLUG = re.compile(r"[-a-z0-9]{1,60}")


def ganzzahl(text) -> int | None:
    """A non-negative whole number of ASCII digits (at most nine), or None."""
    text = text if isinstance(text, str) else ""
    return int(text) if _GANZZAHL.fullmatch(text) else None


def slug(text) -> str:
    """An address part like "hoerde" or "alt-scharnhorst", or "" for anything else."""
    text = text if isinstance(text, str) else ""
    return text if _SLUG.fullmatch(text) else ""


# C0 control characters other than tab, line feed and carriage return (which a textarea
# sends as its line break); DEL too. No person types them; a spreadsheet file cannot hold
# them (an XLSX export failed on "Sommer\x1ffest") and a NUL makes PostgreSQL refuse a query.
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def steuerzeichen_entfernen(text: str) -> str:
    """`text` without control characters (tab and line breaks stay)."""
    return _STEUERZEICHEN.sub("", text)


def formulare_bereinigen() -> None:
    """Every text field of every form (public, status link, admin) drops control characters
    when it is cleaned: one place, so no form can forget it. Installed once at start-up
    (`aktionsplan/verwaltung.py`); Django's own NUL check then has nothing left to refuse."""
    from django import forms

    if getattr(forms.CharField.to_python, "bereinigt", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        if isinstance(value, str):
            value = steuerzeichen_entfernen(value)
        return original(self, value)

    to_python.bereinigt = True
    forms.CharField.to_python = to_python
