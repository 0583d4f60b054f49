"""Admin parts every app of the portal shares: choices narrowed to the account's areas, list
lookups only from the list's own filters, and table forms whose fields have accessible names.

Every ModelAdmin of the portal uses `GesichertMixin` (or antraege's `BereichMixin` built on
it), so a list, a search, a change page and a choice field never show what the account may
not see, and a list accepts only the filters it offers (no `?status_token__regex=` guessing,
no 500 for `?x__regex=(`).
"""

from django.contrib.admin.filters import SimpleListFilter
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.utils.translation import gettext as _

from quartiere.bereich import auswahl_im_bereich

# What a filter in the list adds to the query string, after the field's path.
_FILTER_SUFFIXES = {"", "exact", "isnull", "isempty", "id__exact", "pk__exact"}
_DATE_SUFFIXES = {"gte", "lt", "year", "month", "day"}


class BereichsAuswahlMixin:
    """Every choice field (select, autocomplete, filter_horizontal) offers and accepts only
    objects of the account's areas, whatever ids arrive in GET parameters or a POST."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._auswahl_eingrenzen(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._auswahl_eingrenzen(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _auswahl_eingrenzen(self, db_field, request, kwargs):
        erlaubt = auswahl_im_bereich(db_field.related_model, user=request.user)
        if erlaubt is not None:
            vorher = kwargs.get("queryset")
            kwargs["queryset"] = vorher & erlaubt if vorher is not None else erlaubt


class GesichertMixin(BereichsAuswahlMixin):
    """Accepts only the lookups of the list's own filters and date hierarchy (else a 400), and
    shows an old version from the history only to read."""

    def history_form_view(self, request, *args, **kwargs):
        # simple-history saves a POST to an old version's page (a revert) with nothing but the
        # right to view the history, past every rule of the services: refused, whoever asks.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, *args, **kwargs)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.erlaubte_lookups(request)

    def erlaubte_lookups(self, request=None) -> set[str]:
        list_filter = self.get_list_filter(request) if request else self.list_filter
        erlaubt = set()
        pfade = [self.date_hierarchy] if self.date_hierarchy else []
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                erlaubt.add(item.parameter_name)
            else:
                pfade.append(item[0] if isinstance(item, list | tuple) else item)
        for pfad in pfade:
            suffixe = _FILTER_SUFFIXES | (_DATE_SUFFIXES if self._ist_datum(pfad) else set())
            erlaubt |= {f"{pfad}__{s}" if s else pfad for s in suffixe}
        return erlaubt

    def _ist_datum(self, pfad: str) -> bool:
        model = self.model
        for teil in pfad.split("__"):
            try:
                feld = model._meta.get_field(teil)
            except FieldDoesNotExist:
                return False
            if feld.is_relation and feld.related_model:
                model = feld.related_model
        return isinstance(feld, models.DateField)


class BeschrifteteZeilenMixin:
    """Rows of a table form (inline, editable list) have their labels only in the column
    headers; each field also gets an accessible name: column and row ("Name, Teilnahme 2")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk:
            zeile = str(form.instance)
        elif index is None:
            zeile = _("neue Zeile")
        else:
            zeile = f"{self.model._meta.verbose_name} {index + 1}"
        for feld in form.fields.values():
            if not feld.widget.is_hidden:
                feld.widget.attrs["aria-label"] = f"{feld.label}, {zeile}"


class BeschriftetesInlineFormSet(BeschrifteteZeilenMixin, BaseInlineFormSet):
    pass


class BeschriftetesModelFormSet(BeschrifteteZeilenMixin, BaseModelFormSet):
    pass
