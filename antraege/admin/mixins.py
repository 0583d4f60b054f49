"""The admin parts of the Anträge: lists narrowed to the account's areas, read-only inlines,
money columns and refusals as messages. What every app shares (narrowed choices, allowed
lookups, labelled table rows) is in quartiere/admin_basis.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from quartiere.admin_basis import GesichertMixin
from quartiere.bereich import im_bereich


class BereichMixin(GesichertMixin):
    """Narrows the admin's queryset to the staff member's Aktionsräume."""

    bereich_feld = "aktionsraum"

    def get_queryset(self, request):
        return im_bereich(super().get_queryset(request), user=request.user, feld=self.bereich_feld)

    def _im_bereich_oder_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the history rows for objects the queryset hides.
        self._im_bereich_oder_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._im_bereich_oder_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def euro_spalte(feld: str, beschreibung):
    """A read-only column showing a money field as on every page: 1.950,00 €."""
    from ..templatetags.geld import euro

    @admin.display(description=beschreibung, ordering=feld)
    def anzeigen(self, obj):
        wert = getattr(obj, feld)
        return "–" if wert is None else euro(wert)

    anzeigen.__name__ = f"{feld}_euro"
    return anzeigen


def meldung(exc) -> str:
    """The German message of a refused step, for `message_user`."""
    if isinstance(exc, PermissionDenied):
        return str(exc) or str(_("Dafür fehlt Ihnen die Berechtigung."))
    return " ".join(exc.messages)


class AntragAufgabe:
    """What the task modules of the Antrag's admin share (steps, money, paper, access):
    the Antrag narrowed to the account, a service step with its refusal as a message, and
    an admin page of their own."""

    def _antrag_zum_bearbeiten(self, request, antrag_id):
        """The Antrag if the account may change it: 404 outside its areas, else 403."""
        antrag = get_object_or_404(self.get_queryset(request), pk=antrag_id)
        if not self.has_change_permission(request, antrag):
            raise PermissionDenied
        return antrag

    def _ausfuehren(self, request, antrag, schritt, erfolg):
        """Runs one service step; a refusal comes back as its German message, nothing done."""
        try:
            schritt()
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(request, erfolg() if callable(erfolg) else erfolg)
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def _seite(self, request, vorlage: str, titel, **context):
        """A page of its own in the admin's frame (title, breadcrumbs, the Antrag's model)."""
        return TemplateResponse(
            request,
            f"admin/antraege/antrag/{vorlage}",
            {
                **self.admin_site.each_context(request),
                "title": titel,
                "opts": self.model._meta,
                **context,
            },
        )
