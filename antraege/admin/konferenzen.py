"""Admin for Projektkonferenzen: attendees, agenda, Beschlüsse, agenda and protocol prints."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from antraege.services import konferenz as konferenz_dienst
from antraege.services.budget import gebiet_pruefen
from antraege.services.konferenz import (
    konferenz_datum_pruefen,
    konferenz_pruefen,
    tagesordnung_pruefen,
)
from quartiere.admin_basis import BeschriftetesInlineFormSet

from ..models import Befangenheit, Einladung, Mitglied, Projektkonferenz, Teilnahme
from ..selectors.konferenz import moegliche_befangenheiten, protokoll_punkte
from .formulare import OFFEN, BefangenheitFormular, BeschlussZeile, ProtokollAbschluss
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
    """The people of the meeting: the area's members (put on the list when the conference is
    created) and others entered by hand; the meeting marks who was present."""

    model = Teilnahme
    extra = 3
    formset = BeschriftetesInlineFormSet
    fields = ["name", "rolle", "organisation", "stimmberechtigt", "anwesend"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None and obj.teilnahmen.exists() else self.extra

    def has_add_permission(self, request, obj=None):
        return not _abgeschlossen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _abgeschlossen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A person entered in error may go; one recorded as befangen stays (the admin refuses
        # to delete a row that a Befangenheit protects and names it).
        return not _abgeschlossen(obj) and super().has_delete_permission(request, obj)


def _abgeschlossen(konferenz) -> bool:
    return konferenz is not None and konferenz.abgeschlossen


@admin.register(Mitglied)
class MitgliedAdmin(BereichMixin, SimpleHistoryAdmin):
    """The members of each area's Projektkonferenz: who is invited, who votes."""

    list_display = ["name", "rolle", "organisation", "aktionsraum", "stimmberechtigt",
                    "aktiv_von", "aktiv_bis"]  # fmt: skip
    list_filter = ["aktionsraum", "stimmberechtigt"]
    search_fields = ["name", "organisation"]
    list_select_related = ["aktionsraum"]
    fields = ["aktionsraum", "name", "rolle", "organisation", "email", "stimmberechtigt",
              "aktiv_von", "aktiv_bis"]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return False  # a member who leaves gets "Mitglied bis"; old protocols keep the name

    def get_fields(self, request, obj=None):
        # Members' addresses only for those who see contact data (not the read-only role).
        felder = super().get_fields(request, obj)
        if request.user.has_perm("antraege.kontaktdaten_sehen"):
            return felder
        return [f for f in felder if f != "email"]

    def get_changeform_initial_data(self, request):
        from django.utils import timezone

        return {"aktiv_von": timezone.localdate(), **super().get_changeform_initial_data(request)}


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
        aendert = self.instance.pk is None or {"aktionsraum", "datum"} & set(self.changed_data)
        if aendert and data.get("aktionsraum") and data.get("datum"):
            try:
                gebiet_pruefen(aktionsraum=data["aktionsraum"], jahr=data["datum"].year)
            except ValidationError as exc:
                self.add_error("aktionsraum", exc.message_dict["aktionsraum"])
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

    def has_change_permission(self, request, obj=None):
        # A signed-off conference is a record: its page is read-only for everyone.
        return not _abgeschlossen(obj) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Saves under the conference's lock, after checking that its protocol is still open
        (a sign-off between opening and saving the page must not be undone by the save)."""
        if change:
            try:
                konferenz_dienst.offen_pruefen(konferenz_dienst.sperren(obj))
            except ValidationError as exc:
                raise PermissionDenied(meldung(exc)) from exc
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """A new conference gets the area's members on its list of people; a changed agenda
        after the invitation goes out again as "geänderte Tagesordnung"."""
        super().save_related(request, form, formsets, change)
        konferenz = form.instance
        if not change or "datum" in form.changed_data:
            # The members of the meeting's day (a new date may have others).
            konferenz_dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=request.user)
        elif {"tagesordnung", "datum", "ort"} & set(form.changed_data) and (
            konferenz.einladungen.exists()
        ):
            try:
                einladung = konferenz_dienst.einladung_versenden(
                    konferenz=konferenz, by=request.user
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, meldung(exc), messages.WARNING)
            else:
                self.message_user(request, _einladung_meldung(einladung))

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
                "kann_pflegen": self.has_change_permission(request, konferenz),
                "einladungen": konferenz.einladungen.order_by("nummer"),
                "moegliche_befangenheiten": moegliche_befangenheiten(konferenz),
                "abschluss": ProtokollAbschluss(
                    initial={"protokollfuehrung": _voller_name(request.user)}
                ),
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
                "<int:konferenz_id>/einladung/",
                view(require_http_methods(["POST"])(self.einladung_senden)),
                name="antraege_projektkonferenz_einladung",
            ),
            path(
                "<int:konferenz_id>/einladung/<int:nummer>/",
                view(self.einladung_drucken),
                name="antraege_projektkonferenz_einladung_druck",
            ),
            path(
                "<int:konferenz_id>/befangenheit/",
                view(require_http_methods(["GET", "HEAD", "POST"])(self.befangenheit)),
                name="antraege_projektkonferenz_befangenheit",
            ),
            path(
                "<int:konferenz_id>/abschliessen/",
                view(require_http_methods(["POST"])(self.abschliessen)),
                name="antraege_projektkonferenz_abschliessen",
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
        befangen = {}
        for b in konferenz.befangenheiten.select_related("teilnahme"):
            befangen.setdefault(b.antrag_id, []).append(b)
        zeilen = [
            BeschlussZeile(
                daten,
                antrag=a,
                befangen=befangen.get(a.pk, []),
                moeglich=konferenz_dienst.stimmen_moeglich(konferenz, a),
            )
            for a in punkte
        ]
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
                "quorum": konferenz_dienst.quorum(konferenz),
                "anwesend": konferenz.teilnahmen.filter(anwesend=True),
                "moegliche_befangenheiten": moegliche_befangenheiten(konferenz),
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

    def _zum_pflegen(self, request, konferenz_id):
        """The conference if the account may change it: 404 outside its areas, else 403."""
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        if not self.has_change_permission(request, konferenz):
            raise PermissionDenied
        return konferenz

    def _dienst(self, request, konferenz, schritt, erfolg, ziel="change"):
        """Runs one service step; a refusal comes back as its message, nothing done; back to
        the conference's page (`ziel`: its "change" page or another of its pages)."""
        try:
            ergebnis = schritt()
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(request, erfolg(ergebnis))
        return redirect(f"admin:antraege_projektkonferenz_{ziel}", konferenz.pk)

    def einladung_senden(self, request, konferenz_id):
        """ "Einladung versenden": mails to the members with an address, a copy to print for
        the others; the agenda as sent is kept."""
        konferenz = self._zum_pflegen(request, konferenz_id)
        return self._dienst(
            request,
            konferenz,
            lambda: konferenz_dienst.einladung_versenden(konferenz=konferenz, by=request.user),
            _einladung_meldung,
        )

    def einladung_drucken(self, request, konferenz_id, nummer):
        """The invitation as sent, one page per member without an e-mail address."""
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        einladung = get_object_or_404(Einladung, konferenz=konferenz, nummer=nummer)
        return TemplateResponse(
            request,
            "admin/antraege/projektkonferenz/einladung.html",
            {"konferenz": konferenz, "einladung": einladung},
        )

    def befangenheit(self, request, konferenz_id):
        """Conflicts of interest: record one before the agenda item, or take one back that
        was entered in error; possible ones (same organisation) are named."""
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        darf = self.has_change_permission(request, konferenz) and request.user.has_perm(
            "antraege.add_befangenheit"
        )
        formular = BefangenheitFormular(konferenz=konferenz)
        if request.method == "POST":
            if not darf:
                raise PermissionDenied
            if aufheben := request.POST.get("aufheben"):
                eintrag = get_object_or_404(
                    Befangenheit, konferenz=konferenz, pk=_ganzzahl(aufheben)
                )
                return self._dienst(
                    request,
                    konferenz,
                    lambda: konferenz_dienst.befangenheit_aufheben(
                        befangenheit=eintrag, by=request.user
                    ),
                    lambda _ergebnis: (
                        _("Die Befangenheit von %(name)s bei %(az)s ist gestrichen.")
                        % {"name": eintrag.teilnahme.name, "az": eintrag.antrag.aktenzeichen}
                    ),
                    ziel="befangenheit",
                )
            formular = BefangenheitFormular(request.POST, konferenz=konferenz)
            if formular.is_valid():
                daten = formular.cleaned_data
                try:
                    konferenz_dienst.befangenheit_erfassen(
                        konferenz=konferenz,
                        teilnahme=daten["teilnahme"],
                        antrag=daten["antrag"],
                        grund=daten["grund"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    formular.dienst_fehler(exc)
                except PermissionDenied as exc:
                    self.message_user(request, meldung(exc), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("Eingetragen: %(name)s ist bei %(az)s befangen.")
                        % {"name": daten["teilnahme"].name, "az": daten["antrag"].aktenzeichen},
                    )
                    return redirect("admin:antraege_projektkonferenz_befangenheit", konferenz.pk)
        return TemplateResponse(
            request,
            "admin/antraege/projektkonferenz/befangenheit.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Befangenheit"),
                "opts": self.model._meta,
                "original": konferenz,
                "konferenz": konferenz,
                "darf": darf and not konferenz.abgeschlossen,
                "formular": formular,
                "eintraege": konferenz.befangenheiten.select_related("teilnahme", "antrag"),
                "entschieden": set(konferenz.beschluesse.values_list("antrag_id", flat=True)),
                "moegliche_befangenheiten": moegliche_befangenheiten(konferenz),
            },
        )

    def abschliessen(self, request, konferenz_id):
        """ "Protokoll abschließen": name and date of the person keeping it; then frozen."""
        konferenz = self._zum_pflegen(request, konferenz_id)
        formular = ProtokollAbschluss(request.POST)
        if not formular.is_valid():
            for fehler in formular.errors.values():
                self.message_user(request, " ".join(fehler), messages.ERROR)
            return redirect("admin:antraege_projektkonferenz_change", konferenz.pk)
        return self._dienst(
            request,
            konferenz,
            lambda: konferenz_dienst.protokoll_abschliessen(
                konferenz=konferenz,
                protokollfuehrung=formular.cleaned_data["protokollfuehrung"],
                by=request.user,
            ),
            lambda k: (
                _("Das Protokoll ist abgeschlossen (%(name)s, %(datum)s).")
                % {
                    "name": k.protokollfuehrung,
                    "datum": timezone.localtime(k.protokoll_abgeschlossen_am).strftime("%d.%m.%Y"),
                }
            ),
        )

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
                "punkte": protokoll_punkte(konferenz),
                # What applied: frozen at the sign-off, else the area's quorum now.
                "quorum": konferenz.quorum or konferenz_dienst.quorum(konferenz),
                "letzte_einladung": konferenz.einladungen.order_by("-nummer").first(),
            },
        )


def _voller_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _ganzzahl(text) -> int:
    return int(text) if str(text).isdigit() and len(str(text)) < 10 else 0


def _einladung_meldung(einladung) -> str:
    teile = [
        ngettext(
            "Einladung %(nummer)d versandt: per E-Mail an %(mail)d Mitglied.",
            "Einladung %(nummer)d versandt: per E-Mail an %(mail)d Mitglieder.",
            len(einladung.per_mail),
        )
        % {"nummer": einladung.nummer, "mail": len(einladung.per_mail)}
    ]
    if einladung.ausgedruckt:
        teile.append(
            _("Bitte drucken Sie sie für %(namen)s aus.")
            % {"namen": ", ".join(einladung.ausgedruckt)}
        )
    return " ".join(str(t) for t in teile)


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
