"""Admin for Anträge: list, change page with the workflow steps, payouts, paper applications."""

import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from .. import ablauf, emails, exports, selectors, services
from ..forms import (
    EuroField,
    KostenFormSet,
    PapierantragForm,
    PapierNachweisForm,
    euro_schreiben,
    fehler_je_feld,
    freitext,
    kostenrechnung,
)
from ..models import (
    Anlage,
    Antrag,
    Auszahlung,
    Beschluss,
    Buchung,
    Finanzierungsquelle,
    Haushaltsjahr,
    Kostenposition,
    Status,
    StatusAenderung,
    Verwendungsnachweis,
)
from ..services import datenschutz
from ..templatetags.geld import euro
from ..views import error_summary, formular_verarbeiten, nachweis_fehler, serve_anlage
from .mixins import BereichMixin, ReadOnlyInline, euro_spalte, meldung


class KostenpositionInline(ReadOnlyInline):
    model = Kostenposition
    fields = ["beschreibung", "betrag_euro"]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class AnlageInline(ReadOnlyInline):
    model = Anlage
    fields = ["download", "verwendungsnachweis", "dateityp", "groesse_lesbar", "hochgeladen"]
    readonly_fields = fields

    @admin.display(description=_("Dateityp"))
    def dateityp(self, obj):
        return obj.content_type.split("/")[-1].upper()

    @admin.display(description=_("Größe"))
    def groesse_lesbar(self, obj):
        return filesizeformat(obj.groesse)

    @admin.display(description=_("Hochgeladen am"))
    def hochgeladen(self, obj):
        return date_format(timezone.localtime(obj.hochgeladen_am), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("Datei"))
    def download(self, obj):
        url = reverse("admin:antraege_anlage_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.dateiname)


class StatusAenderungInline(ReadOnlyInline):
    model = StatusAenderung
    fields = [
        "zeitpunkt",
        "von",
        "nach",
        "user",
        "durch_antragsteller",
        "kommentar",
        "interne_notiz",
    ]
    readonly_fields = fields


class AuszahlungInline(ReadOnlyInline):
    model = Auszahlung
    fields = [
        "datum",
        "betrag_euro",
        "referenz",
        "festgestellt_von",
        "angeordnet_von",
        "angeordnet_am",
    ]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class BuchungInline(ReadOnlyInline):
    """The Antrag's ledger: every euro granted, paid, asked back, received back or lost."""

    model = Buchung
    fields = ["zeitpunkt", "art", "betrag_euro", "datum", "referenz", "kommentar", "user"]
    readonly_fields = fields
    verbose_name_plural = _("Buchungen (Hauptbuch)")
    betrag_euro = euro_spalte("betrag", _("Betrag"))


class VerwendungsnachweisInline(ReadOnlyInline):
    model = Verwendungsnachweis
    fields = [
        "eingereicht_am",
        "eingang",
        "eingegangen_am",
        "erfasst_von",
        "gesamtausgaben_euro",
        "ausgegebener_betrag_euro",
        "bericht",
    ]
    readonly_fields = fields
    gesamtausgaben_euro = euro_spalte("gesamtausgaben", _("Tatsächliche Ausgaben"))
    ausgegebener_betrag_euro = euro_spalte("ausgegebener_betrag", _("Aus der Förderung verwendet"))


class BeschlussInline(ReadOnlyInline):
    model = Beschluss
    fields = ["konferenz", "ergebnis", "betrag_euro", "begruendung", "user", "gefasst_am"]
    readonly_fields = fields
    betrag_euro = euro_spalte("betrag", _("Bewilligter Betrag"))


class AntragResourceAdminMixin(ExportActionMixin):
    resource_classes = [exports.AntragResource]
    export_formats = [exports.DeutschesCSV, XLSX]

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_resource_classes(self, request):
        verborgen = selectors.verborgene_felder(user=request.user)
        return [exports.AntragResource.fuer(verborgen)]


class PersonendatenHistorie(HistoricalRecordContextHelper):
    """The history's list of changes without the fields the account may not see."""

    def __init__(self, *args, verborgen, **kwargs):
        super().__init__(*args, **kwargs)
        self.verborgen = set(verborgen)

    def context_for_delta_changes(self, delta):
        sichtbar = [c for c in delta.changes if c.field not in self.verborgen]
        delta = ModelDelta(
            changes=sichtbar,
            changed_fields=[c.field for c in sichtbar],
            old_record=delta.old_record,
            new_record=delta.new_record,
        )
        return super().context_for_delta_changes(delta)


class ArbeitslisteFilter(admin.SimpleListFilter):
    """The start page's numbers as a filter, so that each number links to its rows."""

    title = _("Arbeitsliste")
    parameter_name = "aufgabe"

    def lookups(self, request, model_admin):
        return selectors.arbeitsliste_titel()

    def queryset(self, request, queryset):
        if self.value() not in dict(selectors.arbeitsliste_titel()):
            return queryset
        treffer = selectors.arbeitsliste_filter(self.value(), heute=timezone.localdate())
        return queryset.filter(pk__in=treffer.values("pk"))


# What a step does, shown beside its button before anyone clicks it.
# The button ladder's texts live with the step table.
ERKLAERUNGEN = ablauf.ERKLAERUNGEN
SCHRITT_NAMEN = ablauf.SCHRITT_NAMEN


# Money fields of an Antrag, shown read-only as "1.950,00 €".
GELDFELDER = [
    "eigenmittel",
    "eigenleistung",
    "drittmittel",
    "beantragter_betrag",
    "bewilligter_betrag",
]

# Contact data staff may correct by hand; everything else changes only through the services.
KORRIGIERBAR = ["ansprechperson", "strasse", "plz", "wohnort", "email", "telefon"]
# The bank account: only accounts that may see it may correct it (and a second one confirms).
BANK_KORRIGIERBAR = ["kontoinhaber", "iban"]


@admin.register(Antrag)
class AntragAdmin(BereichMixin, AntragResourceAdminMixin, SimpleHistoryAdmin):
    # The base under django-import-export's list template: adds "Auskunft (DSGVO)".
    change_list_template = "admin/antraege/antrag/change_list.html"
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
        ArbeitslisteFilter,
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
        BuchungInline,
        VerwendungsnachweisInline,
    ]
    date_hierarchy = "eingereicht_am"
    change_form_template = "admin/antraege/antrag/change_form.html"
    history_list_display = ["status", "bewilligter_betrag"]

    def get_readonly_fields(self, request, obj=None):
        korrigierbar = KORRIGIERBAR + (
            BANK_KORRIGIERBAR if request.user.has_perm("antraege.iban_sehen") else []
        )
        return [f.name for f in Antrag._meta.fields if f.name not in korrigierbar] + [
            "ziele_anzeige",
            "personendaten_verborgen",
            *(f"{name}_euro" for name in GELDFELDER),
        ]

    def get_fields(self, request, obj=None):
        # The database id and the running number are technical; the Aktenzeichen names it.
        verborgen = selectors.verborgene_felder(user=request.user)
        felder = [
            f"{f.name}_euro" if f.name in GELDFELDER else f.name
            for f in Antrag._meta.fields
            if (f.editable or f.name == "eingereicht_am")
            and f.name not in ("id", "laufende_nummer", *verborgen)
        ] + ["ziele_anzeige"]
        return felder + (["personendaten_verborgen"] if verborgen else [])

    def get_search_fields(self, request):
        # Searching by e-mail would tell an account the addresses it may not see.
        verborgen = selectors.verborgene_felder(user=request.user)
        return [f for f in self.search_fields if f not in verborgen]

    def get_historical_record_context_helper(self, request, historical_record):
        return PersonendatenHistorie(
            self.model,
            historical_record,
            verborgen=selectors.verborgene_felder(user=request.user),
        )

    eigenmittel_euro = euro_spalte("eigenmittel", _("Eigenmittel"))
    eigenleistung_euro = euro_spalte("eigenleistung", _("Eigenleistung (in Euro bewertet)"))
    drittmittel_euro = euro_spalte("drittmittel", _("Andere Förderung"))
    bewilligter_betrag_euro = euro_spalte(
        "bewilligter_betrag", _("Bewilligter Betrag (laut Entscheidung)")
    )

    @admin.display(description=_("Persönliche Daten"))
    def personendaten_verborgen(self, obj):
        return _(
            "Nicht alle persönlichen Daten (Adresse, Telefon, E-Mail, Bankverbindung) sind für "
            "Ihre Rolle sichtbar."
        )

    def get_exclude(self, request, obj=None):
        return ["status_token_hash", "status_token_salt"]

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
            vorgemerkt = list(antrag.auszahlungen.vorgemerkt().select_related("festgestellt_von"))
            stand = selectors.antrag_geldstand(antrag)
            offen = stand.noch_auszuzahlen - sum(a.betrag for a in vorgemerkt)
            darf = self.has_change_permission(request, antrag) and (
                selectors.darf_aktionsraum_bearbeiten(
                    user=request.user, aktionsraum_id=antrag.aktionsraum_id
                )
            )
            schritte = services.naechste_schritte(antrag=antrag, user=request.user)
            nachweis = antrag.verwendungsnachweise.last()
            if not darf:
                schritte = []
            extra_context = {
                **(extra_context or {}),
                "naechste_schritte": [
                    (
                        s,
                        SCHRITT_NAMEN.get(s, Status(s).label),
                        ERKLAERUNGEN.get(s, ""),
                        s not in emails.STILLE_SCHRITTE,
                    )
                    for s in schritte
                    if s != Status.AUSGEZAHLT
                ],
                "kann_bewilligen": Status.BEWILLIGT in schritte,
                # A payout (or a further instalment) while part of the grant is still open.
                "kann_auszahlen": darf
                and offen > 0
                and antrag.status in services.AUSZAHLBAR
                and not antrag.iban_pruefung_offen
                and request.user.has_perm("antraege.auszahlung_feststellen"),
                "vorgemerkt": vorgemerkt,
                "darf_anordnen": darf and request.user.has_perm("antraege.auszahlen"),
                "darf_verwerfen": darf and request.user.has_perm("antraege.auszahlung_feststellen"),
                "iban_bestaetigen": darf
                and antrag.iban_pruefung_offen
                and request.user.has_perm("antraege.iban_bestaetigen"),
                "kann_rueckfordern": Status.RUECKFORDERUNG in schritte,
                "rueckforderung_vorschlag": self._rueckforderung_vorschlag(antrag, stand)
                if Status.RUECKFORDERUNG in schritte
                else "",
                "jahre_zur_wahl": self._bewilligungsjahre(antrag)
                if Status.BEWILLIGT in schritte
                else [],
                "rueckzahlung_offen": darf
                and antrag.status == Status.RUECKFORDERUNG
                and stand.rueckzahlung_offen > 0
                and request.user.has_perm("antraege.auszahlen"),
                "forderung": antrag.buchungen.filter(art=Buchung.Art.RUECKFORDERUNG)
                .select_related("user")
                .first(),
                "stand": stand,
                "ausgezahlt": stand.netto_ausgezahlt,
                "offen": offen,
                "nachweis": nachweis,
                "nachweis_abzuege": nachweis
                and nachweis.eigenmittel + nachweis.eigenleistung + nachweis.drittmittel,
                "kann_papiernachweis": darf
                and antrag.status in services.NACHWEIS_MOEGLICH
                and self.has_change_permission(request, antrag),
                "heute": timezone.localdate(),
                "fonds_antrag": antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS,
                "kann_statuslink": darf,
                "kann_brief_drucken": darf
                and request.user.has_perm("antraege.kontaktdaten_sehen"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _rueckforderung_vorschlag(antrag, stand) -> str:
        """Paid out less spent according to the latest Verwendungsnachweis, if positive."""
        nachweis = antrag.verwendungsnachweise.last()
        if nachweis is None:
            return ""
        differenz = selectors.nicht_verbraucht(
            ausgezahlt=stand.netto_ausgezahlt, verwendet=nachweis.ausgegebener_betrag
        )
        return euro_schreiben(differenz) if differenz > 0 else ""

    @staticmethod
    def _bewilligungsjahre(antrag):
        """The budget years a grant may be booked in: the Antrag's own and, if set up, the
        year of the decision (today), when that is a different one."""
        jahre = [antrag.haushaltsjahr]
        heute = Haushaltsjahr.objects.filter(
            jahr=timezone.localdate().year, eingerichtet=True
        ).first()
        if heute is not None and heute.pk != antrag.haushaltsjahr_id:
            jahre.append(heute)
        return jahre if len(jahre) > 1 else []

    beantragter_betrag_euro = euro_spalte("beantragter_betrag", _("Beantragt"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("papier/", view(self.papierantrag), name="antraege_antrag_papier"),
            path("auskunft/", view(self.auskunft), name="antraege_antrag_auskunft"),
            path(
                "<int:antrag_id>/nachweis/",
                view(self.papiernachweis),
                name="antraege_antrag_papiernachweis",
            ),
            path(
                "<int:antrag_id>/brief/",
                view(self.brief_drucken),
                name="antraege_antrag_brief",
            ),
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
                "<int:antrag_id>/auszahlung/<int:auszahlung_id>/anordnen/",
                view(require_POST(self.auszahlung_anordnen)),
                name="antraege_antrag_auszahlung_anordnen",
            ),
            path(
                "<int:antrag_id>/auszahlung/<int:auszahlung_id>/verwerfen/",
                view(require_POST(self.auszahlung_verwerfen)),
                name="antraege_antrag_auszahlung_verwerfen",
            ),
            path(
                "<int:antrag_id>/rueckzahlung/",
                view(require_POST(self.rueckzahlung)),
                name="antraege_antrag_rueckzahlung",
            ),
            path(
                "<int:antrag_id>/niederschlagung/",
                view(require_POST(self.niederschlagung)),
                name="antraege_antrag_niederschlagung",
            ),
            path(
                "<int:antrag_id>/bankverbindung/",
                view(require_POST(self.bankverbindung_bestaetigen)),
                name="antraege_antrag_bankverbindung",
            ),
            path(
                "<int:antrag_id>/statuslink/",
                view(require_POST(self.statuslink)),
                name="antraege_antrag_statuslink",
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

    def papiernachweis(self, request, antrag_id):
        """Staff type in a Verwendungsnachweis that came by post, row by row as online: the
        same service, with who typed it in and the day it arrived."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        if antrag.status not in services.NACHWEIS_MOEGLICH:
            self.message_user(
                request,
                _("Für diesen Antrag ist jetzt kein Verwendungsnachweis möglich (Status: %s).")
                % antrag.get_status_display(),
                messages.ERROR,
            )
            return redirect("admin:antraege_antrag_change", antrag.pk)
        form = PapierNachweisForm(
            request.POST or None,
            request.FILES or None,
            antrag=antrag,
            initial={"eingegangen_am": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.verwendungsnachweis_einreichen(
                    antrag=antrag,
                    **form.service_data(),
                    dateien=form.cleaned_data["belege"],
                    erfasst_von=request.user,
                    eingegangen_am=form.cleaned_data["eingegangen_am"],
                )
            except ValidationError as exc:
                for field, errors in fehler_je_feld(exc).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                self.message_user(
                    request,
                    _("Verwendungsnachweis auf Papier erfasst: %s") % antrag.aktenzeichen,
                )
                return redirect("admin:antraege_antrag_change", antrag.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Verwendungsnachweis auf Papier erfassen"),
            "opts": self.model._meta,
            "original": antrag,
            "form": form,
            "errors": nachweis_fehler(form),
            "ausgezahlt": selectors.antrag_geldstand(antrag).netto_ausgezahlt,
        }
        return TemplateResponse(request, "admin/antraege/antrag/papiernachweis.html", context)

    def brief_drucken(self, request, antrag_id):
        """The letter of the Antrag's current state as a page to print and post (for paper
        applications without e-mail; for the others, what the last mail said)."""
        # Only the roles that take the steps (and so send letters) print them: a letter
        # holds the postal address, which read-only accounts never see.
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        if not request.user.has_perm("antraege.kontaktdaten_sehen"):
            raise PermissionDenied
        betreff, text = emails.brief_fuer_druck(antrag=antrag)
        response = TemplateResponse(
            request,
            "admin/antraege/antrag/brief.html",
            {
                "antrag": antrag,
                "betreff": betreff,
                "text": text,
                "datum": timezone.localdate(),
                "sprache": antrag.sprache or "de",
                "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
                "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def schritt(self, request, antrag_id):
        """Takes one workflow step through the services; refusals come back as messages.

        With "vorschau" nothing happens yet: the letter the step would send is shown, with a
        button that takes the step with the same values. An internal note goes on the step's
        history row, in the same transaction, and never to the applicant."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        vorschau = request.POST.get("vorschau", "")
        nach = vorschau or request.POST.get("nach", "")
        kommentar = freitext(request, "kommentar")
        user = request.user
        try:
            if nach not in services.naechste_schritte(antrag=antrag, user=user):
                raise ValidationError(_("Dieser Schritt ist nicht möglich."))
            if vorschau:
                return self._brief_vorschau(request, antrag, nach, kommentar)
            with transaction.atomic():
                self._schritt_ausfuehren(request, antrag, nach, kommentar)
                services.interne_notiz_anfuegen(
                    antrag=antrag, by=user, notiz=freitext(request, "interne_notiz")
                )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request, _("Neuer Status: %(status)s") % {"status": Status(nach).label}
            )
            if not antrag.email and nach not in emails.STILLE_SCHRITTE:
                self.message_user(
                    request,
                    _(
                        "Dieser Antrag hat keine E-Mail-Adresse: Bitte drucken Sie den Brief "
                        "zum neuen Stand aus und senden Sie ihn per Post."
                    ),
                    messages.WARNING,
                )
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def _bewilligungsjahr_gewaehlt(self, request, antrag):
        jahre = {str(hj.pk): hj for hj in self._bewilligungsjahre(antrag)}
        gewaehlt = request.POST.get("haushaltsjahr", "")
        if gewaehlt and gewaehlt not in jahre:
            raise ValidationError(_("Dieses Haushaltsjahr steht nicht zur Wahl."))
        return jahre.get(gewaehlt)

    def _schritt_ausfuehren(self, request, antrag, nach, kommentar):
        user = request.user
        if nach == Status.BEWILLIGT:
            betrag = EuroField().clean(request.POST.get("betrag", ""))
            services.antrag_bewilligen(
                antrag=antrag,
                betrag=betrag,
                by=user,
                kommentar=kommentar,
                haushaltsjahr=self._bewilligungsjahr_gewaehlt(request, antrag),
            )
        elif nach == Status.RUECKFORDERUNG:
            betrag = EuroField().clean(request.POST.get("rueckforderung", ""))
            services.antrag_rueckfordern(antrag=antrag, betrag=betrag, by=user, kommentar=kommentar)
        elif nach == Status.AUFGEHOBEN:
            services.bewilligung_aufheben(antrag=antrag, by=user, kommentar=kommentar)
        elif nach == Status.ABGESCHLOSSEN:
            services.antrag_abschliessen(antrag=antrag, by=user, kommentar=kommentar)
        elif nach == Status.NACHWEIS_KORREKTUR:
            services.nachweis_zurueckgeben(antrag=antrag, by=user, kommentar=kommentar)
        else:
            services.antrag_status_setzen(antrag=antrag, nach=nach, by=user, kommentar=kommentar)

    def _brief_vorschau(self, request, antrag, nach, kommentar):
        """The letter of a step before it is taken: the Antrag with the new values, unsaved."""
        kopie = copy.copy(antrag)
        kopie.status = nach
        rueckforderung = None
        if nach == Status.BEWILLIGT:
            kopie.bewilligter_betrag = EuroField().clean(request.POST.get("betrag", ""))
            jahr = self._bewilligungsjahr_gewaehlt(request, antrag) or antrag.haushaltsjahr
            kopie.nachweis_faellig_am = services.monate_spaeter(
                antrag.ende, jahr.nachweis_frist_monate
            )
        elif nach == Status.RUECKFORDERUNG:
            rueckforderung = EuroField().clean(request.POST.get("rueckforderung", ""))
        brief = emails.status_vorschau(
            antrag=kopie, kommentar=kommentar, rueckforderung=rueckforderung
        )
        weiter = [
            (name, request.POST.get(name, ""))
            for name in ["kommentar", "interne_notiz", "betrag", "rueckforderung", "haushaltsjahr"]
            if name in request.POST
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Vorschau: %(schritt)s")
            % {"schritt": SCHRITT_NAMEN.get(nach, Status(nach).label)},
            "opts": self.model._meta,
            "original": antrag,
            "nach": nach,
            "schritt_name": SCHRITT_NAMEN.get(nach, Status(nach).label),
            "brief": brief,
            "weiter": weiter,
            "ohne_konto": nach == Status.RUECKFORDERUNG and not settings.RUECKZAHLUNG_IBAN,
        }
        return TemplateResponse(request, "admin/antraege/antrag/vorschau.html", context)

    def auszahlung(self, request, antrag_id):
        """Step one of a payout: confirmed as sachlich und rechnerisch richtig."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        form = AuszahlungForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.auszahlung_feststellen(antrag=antrag, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _(
                    "Auszahlung über %(betrag)s als sachlich und rechnerisch richtig "
                    "festgestellt. Eine zweite Person muss sie jetzt anordnen."
                )
                % {"betrag": euro(form.cleaned_data["betrag"])},
            )
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def _vorgemerkte_auszahlung(self, request, antrag_id, auszahlung_id):
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return antrag, get_object_or_404(antrag.auszahlungen.all(), pk=auszahlung_id)

    def _ausfuehren(self, request, antrag, schritt, erfolg):
        """Runs one service step; a refusal comes back as its German message, nothing done."""
        try:
            schritt()
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(request, erfolg)
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def auszahlung_anordnen(self, request, antrag_id, auszahlung_id):
        """Step two: a second person orders the payout."""
        antrag, auszahlung = self._vorgemerkte_auszahlung(request, antrag_id, auszahlung_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: services.auszahlung_anordnen(auszahlung=auszahlung, by=request.user),
            _("Auszahlung über %(betrag)s angeordnet.") % {"betrag": euro(auszahlung.betrag)},
        )

    def auszahlung_verwerfen(self, request, antrag_id, auszahlung_id):
        antrag, auszahlung = self._vorgemerkte_auszahlung(request, antrag_id, auszahlung_id)
        grund = freitext(request, "grund", 500)
        return self._ausfuehren(
            request,
            antrag,
            lambda: services.auszahlung_verwerfen(
                auszahlung=auszahlung, by=request.user, grund=grund
            ),
            _("Die vorgemerkte Auszahlung wurde verworfen."),
        )

    def rueckzahlung(self, request, antrag_id):
        """A refund asked back has arrived: booked with its date and reference."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        form = AuszahlungForm(request.POST)

        def buchen():
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.rueckzahlung_buchen(antrag=antrag, by=request.user, **form.cleaned_data)

        return self._ausfuehren(
            request,
            antrag,
            buchen,
            _("Rückzahlung über %(betrag)s gebucht.")
            % {"betrag": euro(form.cleaned_data["betrag"]) if form.is_valid() else ""},
        )

    def niederschlagung(self, request, antrag_id):
        """What is still owed of a Rückforderung is written off by a second account."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        grund = freitext(request, "grund")
        return self._ausfuehren(
            request,
            antrag,
            lambda: services.rueckforderung_niederschlagen(
                antrag=antrag, by=request.user, grund=grund
            ),
            _(
                "Die offene Rückforderung ist niedergeschlagen. Der Vorgang kann abgeschlossen "
                "werden."
            ),
        )

    def bankverbindung_bestaetigen(self, request, antrag_id):
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: services.bankverbindung_bestaetigen(antrag=antrag, by=request.user),
            _("Die neue Bankverbindung ist bestätigt."),
        )

    def save_model(self, request, obj, form, change):
        # Contact data and the bank account change only through the service (four eyes for
        # a new IBAN, the old address told of a new one).
        daten = {name: form.cleaned_data[name] for name in form.changed_data}
        if daten:
            services.kontaktdaten_aendern(antrag=obj, daten=daten, by=request.user)

    def statuslink(self, request, antrag_id):
        """Replaces the applicant's status link (e.g. after it was forwarded by mistake)."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: services.statuslink_erneuern(antrag=antrag, by=request.user),
            _("Neuer Statuslink an %(email)s gesendet. Der bisherige Link gilt nicht mehr.")
            % {"email": antrag.email},
        )

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
                if not antrag.email:
                    self.message_user(
                        request,
                        _(
                            "Ohne E-Mail-Adresse geht keine Eingangsbestätigung hinaus: "
                            "Bitte drucken Sie sie aus und senden Sie sie per Post."
                        ),
                        messages.WARNING,
                    )
                    return redirect("admin:antraege_antrag_brief", antrag.pk)
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
            "rechnung": kostenrechnung(form, formset),
        }
        return TemplateResponse(request, "admin/antraege/antrag/papier.html", context)

    def auskunft(self, request):
        """Right of access (Art. 15 DSGVO): everything stored about one e-mail address as one
        ZIP file; only for accounts that see every area, contact data and bank accounts."""
        if not darf_auskunft(request.user):
            raise PermissionDenied
        form = AuskunftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            inhalt, anzahl = datenschutz.auskunft(email=form.cleaned_data["email"])
            response = HttpResponse(inhalt, content_type="application/zip")
            datum = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="Auskunft-{datum}.zip"'
            response["Cache-Control"] = "private, no-store"
            response["X-Anzahl-Antraege"] = str(anzahl)
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Auskunft über gespeicherte Daten (Art. 15 DSGVO)"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/antraege/antrag/auskunft.html", context)

    def anlage_download(self, request, anlage_id):
        anlage = Anlage.objects.filter(pk=anlage_id, antrag__in=self.get_queryset(request)).first()
        if anlage is None:
            raise Http404
        return serve_anlage(anlage)


def darf_auskunft(user) -> bool:
    return all(
        user.has_perm(f"antraege.{recht}")
        for recht in ("alle_aktionsraeume", "kontaktdaten_sehen", "iban_sehen")
    )


class AuskunftForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der anfragenden Person"),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse ein."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
        },
    )


class AuszahlungForm(forms.Form):
    betrag = EuroField(min_value=None)
    datum = forms.DateField(
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum ein.")}
    )
    referenz = forms.CharField(max_length=100)
