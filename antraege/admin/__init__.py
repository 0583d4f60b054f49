"""The staff side (Verwaltung): one module per subject, shared scope and lookup rules in
`mixins`. Every list, page, search, autocomplete, export and download is narrowed to the
Aktionsräume the staff member may see (`selectors.im_bereich`); every step goes through the
services."""

from . import antraege, haushalt, konferenzen, mails  # noqa: F401  (registers the admins)
