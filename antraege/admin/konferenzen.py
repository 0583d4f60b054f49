"""Admin for Projektkonferenzen: attendees, agenda, Beschlüsse, agenda and protocol prints."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from antraege.services import konferenz as konferenz_dienst
from antraege.services.konferenz import (
    konferenz_datum_pruefen,
    konferenz_pruefen,
    tagesordnung_pruefen,
)
from quartiere.admin_basis import BeschriftetesInlineFormSet

from ..models import Projektkonferenz, Teilnahme
from .formulare import OFFEN, BeschlussZeile
from .inlines import BeschlussInline
from .mixins import BereichMixin, meldung


class AgendaAutocomplete(AutocompleteSelectMultiple):
    """select2 without its "clear all" cross: it sits in the list of choices as a non-item,
    which screen readers announce wrongly (axe: list). Each choice keeps its own ×."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class TeilnahmeInline(admin.TabularInline):
    model = Teilnahme
    extra = 3
    formset = BeschriftetesInlineFormSet


class ProjektkonferenzForm(forms.ModelForm):
    class Meta:
        model = Projektkonferenz
        fields = [
            "aktionsraum",
            "datum",
            "ort",
            "oeffentlich",
            "antragsschluss",
            "nachtrag_begruendung",
            "tagesordnung",
            "protokoll",
        ]

    # Set per request by the admin's get_form: the account that enters the conference.
    user = None

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or {"datum", "nachtrag_begruendung"} & set(self.changed_data):
            try:
                konferenz_datum_pruefen(
                    datum=data.get("datum"),
                    user=self.user,
                    begruendung=data.get("nachtrag_begruendung", ""),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        if self.instance.pk and data.get("tagesordnung") is not None:
            behalten = {a.pk for a in data["tagesordnung"]}
            entschieden = self.instance.beschluesse.exclude(antrag_id__in=behalten)
            namen = sorted(entschieden.values_list("antrag__aktenzeichen", flat=True))
            if namen:
                self.add_error(
                    "tagesordnung",
                    _(
                        "Zu %(liste)s hat diese Konferenz schon beschlossen: Der Antrag bleibt "
                        "auf ihrer Tagesordnung."
                    )
                    % {"liste": ", ".join(namen)},
                )
        if data.get("aktionsraum") and data.get("tagesordnung") is not None:
            try:
                tagesordnung_pruefen(aktionsraum=data["aktionsraum"], antraege=data["tagesordnung"])
            except ValidationError as exc:
                self.add_error("tagesordnung", exc)
        return data


@admin.register(Projektkonferenz)
class ProjektkonferenzAdmin(BereichMixin, SimpleHistoryAdmin):
    form = ProjektkonferenzForm
    list_display = ["datum", "aktionsraum", "ort", "anzahl_antraege"]
    list_filter = ["aktionsraum"]
    search_fields = ["ort", "aktionsraum__name", "tagesordnung__aktenzeichen"]
    list_select_related = ["aktionsraum"]
    autocomplete_fields = ["tagesordnung"]
    inlines = [TeilnahmeInline, BeschlussInline]
    date_hierarchy = "datum"
    change_form_template = "admin/antraege/projektkonferenz/change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tagesordnung":
            kwargs["widget"] = AgendaAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    @admin.display(description=_("Anträge auf der Tagesordnung"))
    def anzahl_antraege(self, obj):
        return obj.tagesordnung.count()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        konferenz = self.get_object(request, object_id)
        if konferenz is not None:
            extra_context = {
                **(extra_context or {}),
                "offen": len(self._offene_punkte(konferenz)),
                "kann_beschliessen": request.user.has_perm("antraege.add_beschluss"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _offene_punkte(konferenz):
        """The agenda items without a Beschluss of this conference, in the agenda's order."""
        entschieden = set(konferenz.beschluesse.values_list("antrag_id", flat=True))
        return [
            a
            for a in konferenz.tagesordnung.select_related("aktionsraum").order_by("aktenzeichen")
            if a.pk not in entschieden
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:konferenz_id>/beschluesse/",
                view(require_http_methods(["GET", "HEAD", "POST"])(self.beschluesse)),
                name="antraege_projektkonferenz_beschluesse",
            ),
            path(
                "<int:konferenz_id>/tagesordnung/",
                view(self.tagesordnung_drucken),
                name="antraege_projektkonferenz_tagesordnung",
            ),
            path(
                "<int:konferenz_id>/protokoll/",
                view(self.protokoll),
                name="antraege_projektkonferenz_protokoll",
            ),
            *super().get_urls(),
        ]

    def beschluesse(self, request, konferenz_id):
        """ "Beschlüsse erfassen": one row per open agenda item, saved in one transaction; a
        refused save shows every row as typed, with each error at its row and field."""
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        if not request.user.has_perm("antraege.add_beschluss"):
            raise PermissionDenied
        try:
            konferenz_pruefen(konferenz)
            hindernis = ""
        except ValidationError as exc:
            hindernis = meldung(exc)
        punkte = self._offene_punkte(konferenz)
        daten = request.POST if request.method == "POST" and not hindernis else None
        zeilen = [BeschlussZeile(daten, antrag=a) for a in punkte]
        veraltet = []
        if daten is not None:
            veraltet = _veraltete_zeilen(konferenz, daten, {a.pk for a in punkte})
            antwort = None if veraltet else self._beschluesse_speichern(request, konferenz, zeilen)
            if antwort is not None:
                return antwort
        return TemplateResponse(
            request,
            "admin/antraege/projektkonferenz/beschluesse.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Beschlüsse erfassen"),
                "opts": self.model._meta,
                "original": konferenz,
                "konferenz": konferenz,
                "hindernis": hindernis,
                "zeilen": zeilen,
                "fehler": _fehlerliste(zeilen),
                "veraltet": veraltet,
                "gefasst": konferenz.beschluesse.select_related("antrag").order_by(
                    "antrag__aktenzeichen"
                ),
            },
        )

    def _beschluesse_speichern(self, request, konferenz, zeilen):
        """Books the rows through the service, or returns None to show the page again."""
        if not all([z.is_valid() for z in zeilen]):
            return None
        eintraege = [e for e in (z.eintrag() for z in zeilen) if e is not None]
        if not eintraege:
            self.message_user(
                request,
                _("Es wurde nichts eingetragen: Wählen Sie bei mindestens einem Antrag ein "
                  "Ergebnis."),
                messages.WARNING,
            )  # fmt: skip
            return None
        try:
            gefasst = konferenz_dienst.beschluesse_fassen(
                konferenz=konferenz, eintraege=eintraege, by=request.user
            )
        except konferenz_dienst.ZeilenAbgelehnt as abgelehnt:
            for zeile in zeilen:
                if zeile.antrag.pk in abgelehnt.fehler:
                    zeile.dienst_fehler(abgelehnt.fehler[zeile.antrag.pk])
            return None
        except PermissionDenied as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
            return None
        liste = ", ".join(f"{b.antrag.aktenzeichen} {b.get_ergebnis_display()}" for b in gefasst)
        self.message_user(request, _("Eingetragen: %(liste)s.") % {"liste": liste})
        return redirect("admin:antraege_projektkonferenz_beschluesse", konferenz.pk)

    def tagesordnung_drucken(self, request, konferenz_id):
        """The agenda to send out before the meeting: every Antrag with what it asks for."""
        return self._drucken(request, konferenz_id, "tagesordnung")

    def protokoll(self, request, konferenz_id):
        """A clean page to print the protocol (or save it as PDF from the browser)."""
        return self._drucken(request, konferenz_id, "protokoll")

    def _drucken(self, request, konferenz_id, vorlage):
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        return TemplateResponse(
            request,
            f"admin/antraege/projektkonferenz/{vorlage}.html",
            {
                "konferenz": konferenz,
                "teilnahmen": konferenz.teilnahmen.all(),
                "tagesordnung": konferenz.tagesordnung.select_related("aktionsraum").order_by(
                    "aktenzeichen"
                ),
                "beschluesse": konferenz.beschluesse.select_related("antrag"),
                "punkte": _punkte(konferenz),
            },
        )


def _fehlerliste(zeilen) -> list[tuple[str, str]]:
    """(text, anchor) for every error of the page, row by row: the Antrag, the field, the
    message, and a link to the field (or to the row for an error of the whole row)."""
    liste = []
    for zeile in zeilen:
        az = zeile.antrag.aktenzeichen
        for meldung_ in zeile.non_field_errors():
            liste.append((f"{az}: {meldung_}", f"zeile-{zeile.antrag.pk}"))
        for feld in zeile:
            for meldung_ in feld.errors:
                ziel = f"{feld.auto_id}_0" if feld.name == "ergebnis" else feld.auto_id
                liste.append((f"{az}, {feld.label}: {meldung_}", ziel))
    return liste


def _punkte(konferenz) -> list:
    """Every agenda item with its Beschluss of this conference (None: ohne Beschluss), and
    every Beschluss of it, also one whose Antrag is no longer on the agenda."""
    beschluesse = {b.antrag_id: b for b in konferenz.beschluesse.select_related("antrag")}
    antraege = {a.pk: a for a in konferenz.tagesordnung.all()}
    antraege |= {pk: b.antrag for pk, b in beschluesse.items()}
    return [
        (antrag, beschluesse.get(antrag.pk))
        for antrag in sorted(antraege.values(), key=lambda a: a.aktenzeichen)
    ]


_ZEILE = re.compile(r"tp-(\d{1,10})-ergebnis")


def _veraltete_zeilen(konferenz, post, offen: set) -> list[str]:
    """Rows the post decides that are no longer open (decided meanwhile, e.g. in another tab,
    or taken off the agenda): their Aktenzeichen if they belong to this conference, else [""]
    (an Antrag the conference never had is not named). Such a save books nothing: the
    person's picture of the meeting is outdated."""
    ids = {
        int(treffer.group(1))
        for name in post
        if (treffer := _ZEILE.fullmatch(name)) and post.get(name) not in ("", OFFEN)
    }
    fremd = ids - offen
    if not fremd:
        return []
    bekannt = set(
        konferenz.tagesordnung.filter(pk__in=fremd).values_list("aktenzeichen", flat=True)
    )
    bekannt |= set(
        konferenz.beschluesse.filter(antrag_id__in=fremd).values_list(
            "antrag__aktenzeichen", flat=True
        )
    )
    return sorted(bekannt) or [""]
