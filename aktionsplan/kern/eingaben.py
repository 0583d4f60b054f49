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
