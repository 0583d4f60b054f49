"""Admin for budget years, Anträge, Projektkonferenzen and the mail outbox.

Every list, page, search, autocomplete, export and download is narrowed to the Aktionsräume
the staff member may see (`selectors.im_bereich`); every step goes through the services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from . import emails, exports, selectors, services
from .forms import EuroField, KostenFormSet, PapierantragForm
from .models import (
    Aktionsraumfonds,
    Anlage,
    Antrag,
    AusgehendeMail,
    Auszahlung,
    Beschluss,
    Finanzierungsquelle,
    Haushaltsjahr,
    Kostenposition,
    Projektkonferenz,
    Status,
    StatusAenderung,
    Teilnahme,
    Verwendungsnachweis,
)
from .templatetags.geld import euro
from .views import error_summary, formular_verarbeiten, serve_anlage


class BereichMixin:
    """Narrows the admin's queryset to the staff member's Aktionsräume."""

    bereich_feld = "aktionsraum"

    def get_queryset(self, request):
        return selectors.im_bereich(
            super().get_queryset(request), user=request.user, feld=self.bereich_feld
        )

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


# --- budget years ------------------------------------------------------------------------------


class FondsFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        betraege = [
            f.cleaned_data["betrag"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        gesamt = self.instance.gesamtbudget
        if gesamt is not None:
            services.fonds_summe_pruefen(gesamtbudget=gesamt, fonds_betraege=betraege)


class AktionsraumfondsInline(admin.TabularInline):
    model = Aktionsraumfonds
    formset = FondsFormSet
    extra = 0
    autocomplete_fields = ["aktionsraum"]
    can_delete = False


@admin.register(Haushaltsjahr)
class HaushaltsjahrAdmin(SimpleHistoryAdmin):
    list_display = ["jahr", "gesamtbudget_euro", "fonds_je_aktionsraum", "uebersicht_link"]
    inlines = [AktionsraumfondsInline]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Übersicht"))
    def uebersicht_link(self, obj):
        url = reverse("admin:antraege_haushaltsjahr_uebersicht")
        return format_html('<a href="{}?jahr={}">{}</a>', url, obj.jahr, _("Budgetübersicht"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("uebersicht/", view(self.uebersicht), name="antraege_haushaltsjahr_uebersicht"),
            path(
                "uebersicht/<str:fmt>/",
                view(self.uebersicht_export),
                name="antraege_haushaltsjahr_uebersicht_export",
            ),
            path("bericht/", view(self.bericht), name="antraege_haushaltsjahr_bericht"),
            path("bericht/csv/", view(self.bericht_csv), name="antraege_haushaltsjahr_bericht_csv"),
            *super().get_urls(),
        ]

    def _jahr(self, request):
        """The year asked for with ?jahr=, else the current one."""
        if not request.user.has_perm("antraege.view_antrag"):
            raise PermissionDenied
        jahr = request.GET.get("jahr", "")
        hj = Haushaltsjahr.objects.filter(jahr=int(jahr)).first() if jahr.isdigit() else None
        return hj or services.haushaltsjahr_fuer(jahr=timezone.localdate().year)

    def _context(self, request, hj, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "hj": hj,
            "jahre": list(Haushaltsjahr.objects.values_list("jahr", flat=True)) or [hj.jahr],
        }

    def uebersicht(self, request):
        """Budget, granted, paid and available per fund and for the central budget."""
        hj = self._jahr(request)
        context = {
            **self._context(request, hj, _("Budgetübersicht %(jahr)s") % {"jahr": hj.jahr}),
            **selectors.budget_uebersicht(haushaltsjahr=hj, user=request.user),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/uebersicht.html", context)

    def uebersicht_export(self, request, fmt):
        if fmt not in exports.FORMATE:
            raise Http404
        hj = self._jahr(request)
        daten = selectors.budget_uebersicht(haushaltsjahr=hj, user=request.user)
        spalten = ["budget", "gebunden", "ausgezahlt", "verfuegbar"]
        return exports.tabelle_herunterladen(
            kopf=["Topf", "Budget", "Bewilligt", "Ausgezahlt", "Verfügbar"],
            zeilen=[[z["name"], *[z[s] for s in spalten]] for z in daten["zeilen"]]
            + [["Gesamt", *[daten["summe"][s] for s in spalten]]],
            name=f"budgetuebersicht-{hj.jahr}",
            fmt=fmt,
        )

    def bericht(self, request):
        """Yearly report per Aktionsraum and goal: count, granted, paid."""
        hj = self._jahr(request)
        context = {
            **self._context(request, hj, _("Jahresbericht %(jahr)s") % {"jahr": hj.jahr}),
            "zeilen": selectors.jahresbericht(haushaltsjahr=hj, user=request.user),
        }
        return TemplateResponse(request, "admin/antraege/haushaltsjahr/bericht.html", context)

    def bericht_csv(self, request):
        hj = self._jahr(request)
        zeilen = selectors.jahresbericht(haushaltsjahr=hj, user=request.user)
        return exports.tabelle_herunterladen(
            kopf=["Aktionsraum", "Ziel", "Anzahl bewilligt", "Bewilligt", "Ausgezahlt"],
            zeilen=[
                [z["aktionsraum"], z["ziel"], z["anzahl"], z["bewilligt"], z["ausgezahlt"]]
                for z in zeilen
            ],
            name=f"jahresbericht-{hj.jahr}",
            fmt="csv",
        )

    @admin.display(description=_("Projektbudget gesamt"), ordering="gesamtbudget")
    def gesamtbudget_euro(self, obj):
        return euro(obj.gesamtbudget)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new year gets one fund per active Aktionsraum with the default amount.
            services.fonds_anlegen(haushaltsjahr=obj)


# --- Anträge -----------------------------------------------------------------------------------


class KostenpositionInline(ReadOnlyInline):
    model = Kostenposition
    fields = ["beschreibung", "betrag"]
    readonly_fields = fields


class AnlageInline(ReadOnlyInline):
    model = Anlage
    fields = ["download", "verwendungsnachweis", "content_type", "groesse", "hochgeladen_am"]
    readonly_fields = fields

    @admin.display(description=_("Datei"))
    def download(self, obj):
        url = reverse("admin:antraege_anlage_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.dateiname)


class StatusAenderungInline(ReadOnlyInline):
    model = StatusAenderung
    fields = ["zeitpunkt", "von", "nach", "user", "durch_antragsteller", "kommentar"]
    readonly_fields = fields


class AuszahlungInline(ReadOnlyInline):
    model = Auszahlung
    fields = ["datum", "betrag", "referenz", "user", "gebucht_am"]
    readonly_fields = fields


class VerwendungsnachweisInline(ReadOnlyInline):
    model = Verwendungsnachweis
    fields = ["eingereicht_am", "ausgegebener_betrag", "bericht"]
    readonly_fields = fields


class BeschlussInline(ReadOnlyInline):
    model = Beschluss
    fields = ["konferenz", "ergebnis", "betrag", "begruendung", "user", "gefasst_am"]
    readonly_fields = fields


class AntragResourceAdminMixin(ExportActionMixin):
    resource_classes = [exports.AntragResource]
    export_formats = [CSV, XLSX]

    def has_export_permission(self, request):
        return self.has_view_permission(request)


# Contact data staff may correct by hand; everything else changes only through the services.
KORRIGIERBAR = ["ansprechperson", "strasse", "plz", "wohnort", "email", "telefon"]


@admin.register(Antrag)
class AntragAdmin(BereichMixin, AntragResourceAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "aktenzeichen",
        "titel",
        "aktionsraum",
        "finanzierungsquelle",
        "status",
        "beantragter_betrag_euro",
        "eingereicht_am",
    ]
    list_filter = [
        "status",
        "aktionsraum",
        "aktionsraum__zustaendigkeit",
        "haushaltsjahr",
        "finanzierungsquelle",
        "eingang",
    ]
    search_fields = ["aktenzeichen", "titel", "organisation", "ansprechperson", "email"]
    list_select_related = ["aktionsraum"]
    list_per_page = 50
    show_full_result_count = False
    inlines = [
        KostenpositionInline,
        AnlageInline,
        StatusAenderungInline,
        BeschlussInline,
        AuszahlungInline,
        VerwendungsnachweisInline,
    ]
    date_hierarchy = "eingereicht_am"
    change_form_template = "admin/antraege/antrag/change_form.html"
    history_list_display = ["status", "bewilligter_betrag"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Antrag._meta.fields if f.name not in KORRIGIERBAR] + [
            "ziele_anzeige"
        ]

    def get_fields(self, request, obj=None):
        return [
            f.name for f in Antrag._meta.fields if f.editable or f.name in ("eingereicht_am",)
        ] + ["ziele_anzeige"]

    def get_exclude(self, request, obj=None):
        return ["status_token"]

    @admin.display(description=_("Ziele"))
    def ziele_anzeige(self, obj):
        return ", ".join(str(z) for z in obj.ziele)

    def has_delete_permission(self, request, obj=None):
        # Anträge are records of the administration: never deleted, at most withdrawn.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:antraege_antrag_papier")

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            # The agenda of a Projektkonferenz: only fund Anträge that are ready for decision.
            queryset = queryset.filter(
                finanzierungsquelle=Finanzierungsquelle.AKTIONSRAUMFONDS,
                status=Status.ENTSCHEIDUNGSREIF,
            )
        return queryset, duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        antrag = self.get_object(request, object_id)
        if antrag is not None:
            schritte = services.naechste_schritte(antrag=antrag, user=request.user)
            if not self.has_change_permission(request, antrag):
                schritte = []
            extra_context = {
                **(extra_context or {}),
                "naechste_schritte": [
                    (s, Status(s).label) for s in schritte if s != Status.AUSGEZAHLT
                ],
                "kann_bewilligen": Status.BEWILLIGT in schritte,
                "kann_auszahlen": Status.AUSGEZAHLT in schritte
                or (
                    antrag.status == Status.AUSGEZAHLT
                    and request.user.has_perm("antraege.auszahlen")
                    and self.has_change_permission(request, antrag)
                ),
                "kann_rueckfordern": Status.RUECKFORDERUNG in schritte,
                "ausgezahlt": antrag.ausgezahlt,
                "offen": (antrag.bewilligter_betrag or 0) - antrag.ausgezahlt,
                "nachweis": antrag.verwendungsnachweise.last(),
                "heute": timezone.localdate(),
                "fonds_antrag": antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Beantragt"), ordering="beantragter_betrag")
    def beantragter_betrag_euro(self, obj):
        return euro(obj.beantragter_betrag)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("papier/", view(self.papierantrag), name="antraege_antrag_papier"),
            path(
                "<int:antrag_id>/schritt/",
                view(require_POST(self.schritt)),
                name="antraege_antrag_schritt",
            ),
            path(
                "<int:antrag_id>/auszahlung/",
                view(require_POST(self.auszahlung)),
                name="antraege_antrag_auszahlung",
            ),
            path(
                "anlage/<int:anlage_id>/",
                view(self.anlage_download),
                name="antraege_anlage_download",
            ),
            *super().get_urls(),
        ]

    def _antrag_zum_bearbeiten(self, request, antrag_id):
        antrag = get_object_or_404(self.get_queryset(request), pk=antrag_id)
        if not self.has_change_permission(request, antrag):
            raise PermissionDenied
        return antrag

    def schritt(self, request, antrag_id):
        """Takes one workflow step through the services; refusals come back as messages."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        nach = request.POST.get("nach", "")
        kommentar = request.POST.get("kommentar", "")[:2000]
        user = request.user
        try:
            if nach not in services.naechste_schritte(antrag=antrag, user=user):
                raise ValidationError(_("Dieser Schritt ist nicht möglich."))
            if nach == Status.BEWILLIGT:
                betrag = EuroField().clean(request.POST.get("betrag", ""))
                services.antrag_bewilligen(
                    antrag=antrag, betrag=betrag, by=user, kommentar=kommentar
                )
            elif nach == Status.RUECKFORDERUNG:
                betrag = EuroField().clean(request.POST.get("rueckforderung", ""))
                services.antrag_rueckfordern(
                    antrag=antrag, betrag=betrag, by=user, kommentar=kommentar
                )
            elif nach == Status.AUFGEHOBEN:
                services.bewilligung_aufheben(antrag=antrag, by=user, kommentar=kommentar)
            elif nach == Status.ABGESCHLOSSEN:
                services.antrag_abschliessen(antrag=antrag, by=user, kommentar=kommentar)
            else:
                services.antrag_status_setzen(
                    antrag=antrag, nach=nach, by=user, kommentar=kommentar
                )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, _meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request, _("Neuer Status: %(status)s") % {"status": Status(nach).label}
            )
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def auszahlung(self, request, antrag_id):
        """Books one payout through the services."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        form = AuszahlungForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.auszahlung_buchen(antrag=antrag, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, _meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Auszahlung über %(betrag)s gebucht.")
                % {"betrag": euro(form.cleaned_data["betrag"])},
            )
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def papierantrag(self, request):
        """Staff type in an application that came on paper, under the same rules."""
        if not request.user.has_perm("antraege.add_antrag"):
            raise PermissionDenied
        form_kwargs = {"aktionsraeume": selectors.aktionsraeume_fuer(user=request.user)}
        unbound_errors = False
        if request.method == "POST":
            antrag, form, formset, unbound_errors = formular_verarbeiten(
                request,
                form_class=PapierantragForm,
                form_kwargs=form_kwargs,
                speichern=lambda form, formset: services.antrag_einreichen(
                    daten=form.service_data(),
                    kosten=formset.rows(),
                    dateien=form.cleaned_data["anlagen"],
                    erfasst_von=request.user,
                ),
            )
            if antrag is not None:
                self.message_user(
                    request,
                    _("Papierantrag erfasst: %(az)s") % {"az": antrag.aktenzeichen},
                )
                return redirect("admin:antraege_antrag_change", antrag.pk)
        else:
            form = PapierantragForm(initial={"wohnort": "Dortmund"}, **form_kwargs)
            formset = KostenFormSet(prefix="kosten")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Papierantrag erfassen"),
            "opts": self.model._meta,
            "form": form,
            "formset": formset,
            "errors": [] if unbound_errors else error_summary(form, formset),
        }
        return TemplateResponse(request, "admin/antraege/antrag/papier.html", context)

    def anlage_download(self, request, anlage_id):
        anlage = Anlage.objects.filter(pk=anlage_id, antrag__in=self.get_queryset(request)).first()
        if anlage is None:
            raise Http404
        return serve_anlage(anlage)


class AuszahlungForm(forms.Form):
    betrag = EuroField(min_value=None)
    datum = forms.DateField(
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum ein.")}
    )
    referenz = forms.CharField(max_length=100)


def _meldung(exc) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc) or str(_("Dafür fehlt Ihnen die Berechtigung."))
    return " ".join(exc.messages)


# --- Projektkonferenz --------------------------------------------------------------------------


class TeilnahmeInline(admin.TabularInline):
    model = Teilnahme
    extra = 3


class ProjektkonferenzForm(forms.ModelForm):
    class Meta:
        model = Projektkonferenz
        fields = ["aktionsraum", "datum", "ort", "tagesordnung", "protokoll"]

    def clean(self):
        data = super().clean()
        if data.get("aktionsraum") and data.get("tagesordnung") is not None:
            try:
                services.tagesordnung_pruefen(
                    aktionsraum=data["aktionsraum"], antraege=data["tagesordnung"]
                )
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

    @admin.display(description=_("Anträge auf der Tagesordnung"))
    def anzahl_antraege(self, obj):
        return obj.tagesordnung.count()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "aktionsraum":
            kwargs["queryset"] = selectors.aktionsraeume_fuer(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        konferenz = self.get_object(request, object_id)
        if konferenz is not None:
            entschieden = set(konferenz.beschluesse.values_list("antrag_id", flat=True))
            extra_context = {
                **(extra_context or {}),
                "offene_antraege": [
                    a for a in konferenz.tagesordnung.all() if a.pk not in entschieden
                ],
                "ergebnisse": Beschluss.Ergebnis.choices,
                "kann_beschliessen": request.user.has_perm("antraege.add_beschluss"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:konferenz_id>/beschluss/",
                view(require_POST(self.beschluss)),
                name="antraege_projektkonferenz_beschluss",
            ),
            path(
                "<int:konferenz_id>/protokoll/",
                view(self.protokoll),
                name="antraege_projektkonferenz_protokoll",
            ),
            *super().get_urls(),
        ]

    def beschluss(self, request, konferenz_id):
        """Records one Beschluss through the services."""
        konferenz = get_object_or_404(self.get_queryset(request), pk=konferenz_id)
        if not request.user.has_perm("antraege.add_beschluss"):
            raise PermissionDenied
        antrag_id = request.POST.get("antrag", "")
        antrag = (
            konferenz.tagesordnung.filter(pk=int(antrag_id)).first()
            if antrag_id.isdigit()
            else None
        )
        try:
            if antrag is None:
                raise ValidationError(_("Bitte wählen Sie einen Antrag der Tagesordnung."))
            ergebnis = request.POST.get("ergebnis", "")
            betrag = None
            if ergebnis == Beschluss.Ergebnis.BEWILLIGT:
                betrag = EuroField().clean(request.POST.get("betrag", ""))
            services.beschluss_fassen(
                konferenz=konferenz,
                antrag=antrag,
                ergebnis=ergebnis,
                betrag=betrag,
                begruendung=request.POST.get("begruendung", "")[:2000],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, _meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request, _("Beschluss zu %(az)s eingetragen.") % {"az": antrag.aktenzeichen}
            )
        return redirect("admin:antraege_projektkonferenz_change", konferenz.pk)

    def protokoll(self, request, konferenz_id):
        """A clean page to print the protocol (or save it as PDF from the browser)."""
        konferenz = get_object_or_404(
            self.get_queryset(request).select_related("aktionsraum"), pk=konferenz_id
        )
        return TemplateResponse(
            request,
            "admin/antraege/projektkonferenz/protokoll.html",
            {
                "konferenz": konferenz,
                "teilnahmen": konferenz.teilnahmen.all(),
                "tagesordnung": konferenz.tagesordnung.select_related("aktionsraum"),
                "beschluesse": konferenz.beschluesse.select_related("antrag"),
            },
        )


# --- mail outbox -------------------------------------------------------------------------------


@admin.register(AusgehendeMail)
class AusgehendeMailAdmin(BereichMixin, admin.ModelAdmin):
    bereich_feld = "antrag__aktionsraum"
    list_display = ["betreff", "erstellt_am", "gesendet_am", "versuche", "letzter_fehler"]
    list_filter = [("gesendet_am", admin.EmptyFieldListFilter)]
    search_fields = ["betreff", "antrag__aktenzeichen"]
    readonly_fields = [
        "antrag",
        "empfaenger",
        "betreff",
        "text",
        "html",
        "erstellt_am",
        "gesendet_am",
        "versuche",
        "letzter_fehler",
    ]
    actions = ["erneut_senden"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Ausgewählte E-Mails erneut senden"))
    def erneut_senden(self, request, queryset):
        sent = sum(emails.mail_senden(mail_id=m.pk) for m in queryset.filter(gesendet_am=None))
        self.message_user(request, _("%(n)d E-Mail(s) gesendet.") % {"n": sent}, messages.INFO)
