"""The Antrag admin: the list narrowed to the account's areas, the change page with what the
account may do there (`aktionen.aktionen`), contact corrections and a new status link.

The endpoints behind the page's forms live by task: the workflow steps in `schritte`, money
in `geld`, paper in `papier`, the right of access in `auskunft`; the tables in `inlines`."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from aktionsplan.kern import geld
from antraege.selectors import akte, aktionen, bereich, fristen, hauptbuch
from antraege.services import auszahlung, vier_augen, vorstellung, workflow

from .. import ablauf, exports
from ..downloads import serve_anlage
from ..models import Anlage, Antrag, Buchung, Finanzierungsquelle, Status
from .auskunft import AuskunftMixin
from .geld import GeldMixin
from .inlines import (
    AnlageInline,
    AuszahlungInline,
    BeschlussInline,
    BuchungInline,
    KostenpositionInline,
)
from .mixins import AntragAufgabe, BereichMixin, euro_spalte
from .papier import PapierMixin
from .schritte import SchritteMixin, karten


class DeutschesExportFormular(SelectableFieldsExportForm):
    """The export page's column choices under the columns' German names (the app's own label
    is the field's name, e.g. "Ziel Beschaeftigung", "Zurueckgefordert")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return resource().fields[field_name].column_name


class AntragResourceAdminMixin(ExportActionMixin):
    resource_classes = [exports.AntragResource]
    export_formats = [exports.DeutschesCSV, XLSX]
    export_form_class = DeutschesExportFormular

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_resource_classes(self, request):
        verborgen = bereich.verborgene_felder(user=request.user)
        return [exports.AntragResource.fuer(verborgen)]


class PersonendatenHistorie(HistoricalRecordContextHelper):
    """The history's list of changes without the fields the account may not see."""

    def __init__(self, *args, verborgen, **kwargs):
        super().__init__(*args, **kwargs)
        self.verborgen = set(verborgen)

    def prepare_delta_change_value(self, change, value):
        """A changed value as the pages write it (`akte.wert_anzeigen`)."""
        return akte.wert_anzeigen(
            self.model._meta.get_field(change.field),
            value,
            sonst=lambda v: super(PersonendatenHistorie, self).prepare_delta_change_value(
                change, v
            ),
        )

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
        return fristen.arbeitsliste_titel(request.user)

    def queryset(self, request, queryset):
        if self.value() not in dict(fristen.arbeitsliste_titel()):
            return queryset
        treffer = fristen.arbeitsliste_filter(self.value(), heute=timezone.localdate())
        return queryset.filter(pk__in=treffer.values("pk"))


# Money fields of an Antrag, shown read-only as "1.950,00 €".
GELDFELDER = [
    "eigenmittel",
    "eigenleistung",
    "drittmittel",
    "beantragter_betrag",
    "bewilligter_betrag",
]

# Contact data staff may correct by hand; everything else changes only through the services.
KORRIGIERBAR = [
    "ansprechperson",
    "strasse",
    "plz",
    "wohnort",
    "email",
    "telefon",
    # Staff take dates and place off the public project list when someone objects.
    "termin_ort_oeffentlich",
]
# The bank account: only accounts that may see it may correct it (and a second one confirms).
BANK_KORRIGIERBAR = ["kontoinhaber", "iban"]


# The goals as three yes/no fields; the page lists the chosen ones ("ziele_anzeige").
ZIELFELDER = ["ziel_nachbarschaft", "ziel_eltern_kinder", "ziel_beschaeftigung"]
# The groups of the Antrag's data on its page; the last one takes every field not named.
FELDGRUPPEN = [
    (_("Projekt"), ["titel", "beschreibung", "ziele_anzeige", "zielgruppe", "teilnehmende"]),
    (
        _("Termin und Ort"),
        ["beginn", "ende", "durchfuehrungsort", "termin_ort_oeffentlich", "aktionsraum"],
    ),
    (
        _("Kosten und Finanzierung"),
        [
            "finanzierungsquelle",
            "haushaltsjahr",
            "eigenmittel_euro",
            "eigenleistung_euro",
            "drittmittel_euro",
            "beantragter_betrag_euro",
            "bewilligter_betrag_euro",
            "nachweis_faellig_am",
        ],
    ),
    (
        _("Antragsteller/in und Kontakt"),
        [
            "antragsteller_art",
            "organisation",
            "ansprechperson",
            "strasse",
            "plz",
            "wohnort",
            "email",
            "telefon",
            "sprache",
        ],
    ),
    (_("Bankverbindung"), ["kontoinhaber", "iban", "iban_pruefung_offen"]),
    (_("Vorgang"), ["aktenzeichen", "status", "eingang", "erfasst_von", "eingereicht_am"]),
]


@admin.register(Antrag)
class AntragAdmin(
    SchritteMixin,
    GeldMixin,
    PapierMixin,
    AuskunftMixin,
    AntragAufgabe,
    BereichMixin,
    AntragResourceAdminMixin,
    SimpleHistoryAdmin,
):
    # The base under django-import-export's list template: adds "Auskunft (DSGVO)".
    change_list_template = "admin/antraege/antrag/change_list.html"
    list_display = [
        "aktenzeichen_spalte",
        "titel",
        "aktionsraum",
        "topf_spalte",
        "status",
        "beantragter_betrag_euro",
        "eingereicht_spalte",
    ]
    list_display_links = ["aktenzeichen_spalte"]
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
    # The history is the page's timeline and the Verwendungsnachweis its own section.
    inlines = [
        KostenpositionInline,
        AnlageInline,
        BeschlussInline,
        AuszahlungInline,
        BuchungInline,
    ]
    date_hierarchy = "eingereicht_am"
    change_form_template = "admin/antraege/antrag/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        korrigierbar = KORRIGIERBAR + (
            BANK_KORRIGIERBAR if request.user.has_perm("antraege.iban_sehen") else []
        )
        return [f.name for f in Antrag._meta.fields if f.name not in korrigierbar] + [
            "ziele_anzeige",
            "foto_anzeige",
            "personendaten_verborgen",
            *(f"{name}_euro" for name in GELDFELDER),
        ]

    def get_fields(self, request, obj=None):
        # The database id and the running number are technical; the Aktenzeichen names it.
        verborgen = bereich.verborgene_felder(user=request.user)
        felder = [
            f"{f.name}_euro" if f.name in GELDFELDER else f.name
            for f in Antrag._meta.fields
            if (f.editable or f.name == "eingereicht_am")
            and f.name not in ("id", "laufende_nummer", "foto", *ZIELFELDER, *verborgen)
        ] + ["ziele_anzeige", "foto_anzeige"]
        return felder + (["personendaten_verborgen"] if verborgen else [])

    @admin.display(description=_("Foto der Projektseite"))
    def foto_anzeige(self, obj):
        """The stored photo is private: named here, shown on the public page while it is up."""
        if not obj or not obj.foto:
            return "–"
        if obj.oeffentlich_vorstellen:
            url = reverse("projekte:foto", kwargs={"aktenzeichen": obj.aktenzeichen})
            return format_html('<a href="{}">{}</a>', url, _("auf der Projektseite ansehen"))
        return _("vorhanden")

    def get_fieldsets(self, request, obj=None):
        """The Antrag's data in the groups a person reads it by; a field no group names (and
        every field only when the account may see it) goes to "Vorgang"."""
        felder = self.get_fields(request, obj)
        gruppen = [(titel, [f for f in namen if f in felder]) for titel, namen in FELDGRUPPEN]
        genannt = {f for _titel, namen in FELDGRUPPEN for f in namen}
        gruppen[-1][1].extend(f for f in felder if f not in genannt)
        return [(titel, {"fields": namen}) for titel, namen in gruppen if namen]

    actions = ["projektseite_herausnehmen"]

    def get_actions(self, request):
        # Taking public pages down (a name in the text, a photo without consent) is the
        # Projektbüro's; the list is narrowed to the account's areas as always.
        actions = super().get_actions(request)
        if not (
            request.user.has_perm("antraege.alle_aktionsraeume")
            and request.user.has_perm("antraege.change_antrag")
        ):
            actions.pop("projektseite_herausnehmen", None)
        return actions

    @admin.action(description=_("Projektseite herausnehmen (Text, Bericht und Foto löschen)"))
    def projektseite_herausnehmen(self, request, queryset):
        if not (
            request.user.has_perm("antraege.alle_aktionsraeume")
            and request.user.has_perm("antraege.change_antrag")
        ):
            raise PermissionDenied
        n = 0
        for antrag in queryset.filter(oeffentlich_vorstellen=True):
            vorstellung.vorstellung_zurueckziehen(antrag=antrag)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d Projektseite herausgenommen.", "%(n)d Projektseiten herausgenommen.", n)
            % {"n": n},
        )

    def get_search_fields(self, request):
        # Searching by e-mail would tell an account the addresses it may not see.
        verborgen = bereich.verborgene_felder(user=request.user)
        return [f for f in self.search_fields if f not in verborgen]

    def get_historical_record_context_helper(self, request, historical_record):
        return PersonendatenHistorie(
            self.model,
            historical_record,
            verborgen=bereich.verborgene_felder(user=request.user),
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
            extra_context = extra_context or {}
            eingabe = extra_context.pop("schritt_eingabe", None)
            extra_context |= self._seite_kontext(request, antrag, eingabe)
        return super().change_view(request, object_id, form_url, extra_context)

    def _seite_kontext(self, request, antrag, eingabe=None) -> dict:
        """The case file: the summary, the applicant's answer, the step cards and the money
        forms the account may use now (all from `aktionen.aktionen`), the Verwendungsnachweis
        and the timeline. `eingabe`: a refused step's values and errors (`schritte.karten`)."""
        stand = hauptbuch.antrag_geldstand(antrag)
        vorgemerkt = list(antrag.auszahlungen.vorgemerkt().select_related("festgestellt_von"))
        darf = aktionen.aktionen(
            antrag=antrag, user=request.user, stand=stand, vorgemerkt=vorgemerkt
        )
        darf_sehen = request.user.has_perm
        nachweise = (
            list(antrag.verwendungsnachweise.all())
            if darf_sehen("antraege.view_verwendungsnachweis")
            else []
        )
        nachweis = nachweise[-1] if nachweise else None
        verborgen = bereich.verborgene_felder(user=request.user)
        rest = aktionen.kleinbetrag(antrag, stand) if Status.ABGESCHLOSSEN in darf.schritte else 0

        def erklaerung(schritt):
            text = str(ablauf.ZUSTAENDE[schritt].erklaerung)
            if schritt == Status.ABGESCHLOSSEN and rest:
                text += " " + str(
                    _(
                        "Nicht verbraucht sind %(rest)s €, nicht mehr als die "
                        "Kleinbetragsgrenze: Der Rest wird nicht zurückgefordert. Bitte begründen "
                        "Sie das im Kommentarfeld."
                    )
                    % {"rest": geld.betrag(rest)}
                )
            return text

        return {
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            "uebersicht": akte.uebersicht(
                antrag, stand=stand, offen=darf.offen, heute=timezone.localdate()
            ),
            # The history (with staff's internal notes) as its table's right allows.
            "antwort": akte.offene_antwort(antrag, verborgen=verborgen)
            if darf_sehen("antraege.view_statusaenderung")
            else None,
            "zeitleiste": akte.zeitleiste(antrag, verborgen=verborgen)
            if darf_sehen("antraege.view_statusaenderung")
            else [],
            "karten": karten(
                antrag=antrag,
                darf=darf,
                erklaerung=erklaerung,
                betrag_vorschlag=geld.betrag(antrag.beantragter_betrag),
                rueckforderung_vorschlag=self._rueckforderung_vorschlag(nachweis, stand),
                eingabe=eingabe,
            ),
            "zustaendig": bool(darf.schritte) or darf.statuslink,
            "kann_auszahlen": darf.auszahlung_feststellen,
            "offen": darf.offen,
            "vorgemerkt": vorgemerkt,
            "darf_anordnen": darf.auszahlung_anordnen,
            "darf_verwerfen": darf.auszahlung_verwerfen,
            "iban_bestaetigen": darf.bankverbindung_bestaetigen,
            "bank_beteiligte": vier_augen.beteiligte_mit_anlass(
                antrag=antrag, gegenstand=vier_augen.Gegenstand.BANKVERBINDUNG
            )
            if antrag.iban_pruefung_offen
            else [],
            "rueckzahlung_offen": darf.rueckzahlung_buchen,
            "forderung": antrag.buchungen.filter(art=Buchung.Art.RUECKFORDERUNG)
            .select_related("user")
            .first(),
            "stand": stand,
            "nachweis": nachweis,
            "nachweis_abzuege": nachweis
            and nachweis.eigenmittel + nachweis.eigenleistung + nachweis.drittmittel,
            "belege": list(antrag.anlagen.exclude(verwendungsnachweis=None))
            if darf_sehen("antraege.view_anlage")
            else [],
            "fruehere_nachweise": nachweise[:-1][::-1],
            "kann_papiernachweis": darf.papiernachweis,
            "heute": timezone.localdate(),
            "fonds_antrag": antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS,
            "kann_statuslink": darf.statuslink,
            "kann_brief_drucken": darf.brief_drucken,
        }

    @staticmethod
    def _rueckforderung_vorschlag(nachweis, stand) -> str:
        """Paid out less spent according to the latest Verwendungsnachweis, if positive."""
        if nachweis is None:
            return ""
        differenz = hauptbuch.nicht_verbraucht(
            ausgezahlt=stand.netto_ausgezahlt, verwendet=nachweis.ausgegebener_betrag
        )
        return geld.betrag(differenz) if differenz > 0 else ""

    beantragter_betrag_euro = euro_spalte("beantragter_betrag", _("Beantragt"))

    # The list's columns fit 1280 px: the Aktenzeichen in one piece, the pot abbreviated (its
    # full name in the abbreviation's title), the date without the time.
    @admin.display(description=_("Aktenzeichen"), ordering="aktenzeichen")
    def aktenzeichen_spalte(self, obj):
        return format_html('<span class="nowrap">{}</span>', obj.aktenzeichen)

    @admin.display(description=_("Topf"), ordering="finanzierungsquelle")
    def topf_spalte(self, obj):
        kurz = (
            _("Fonds")
            if obj.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS
            else _("zentral")
        )
        return format_html(
            '<abbr title="{}">{}</abbr>', obj.get_finanzierungsquelle_display(), kurz
        )

    @admin.display(description=_("Eingereicht am"), ordering="eingereicht_am")
    def eingereicht_spalte(self, obj):
        return date_format(timezone.localtime(obj.eingereicht_am), "SHORT_DATE_FORMAT")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.papier_urls(),
            *self.auskunft_urls(),
            *self.schritte_urls(),
            *self.geld_urls(),
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

    def save_model(self, request, obj, form, change):
        # Contact data and the bank account change only through the service (four eyes for
        # a new IBAN, the old address told of a new one).
        daten = {name: form.cleaned_data[name] for name in form.changed_data}
        if daten:
            auszahlung.kontaktdaten_aendern(antrag=obj, daten=daten, by=request.user)

    def statuslink(self, request, antrag_id):
        """Replaces the applicant's status link (e.g. after it was forwarded by mistake)."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: workflow.statuslink_erneuern(antrag=antrag, by=request.user),
            _("Neuer Statuslink an %(email)s gesendet. Der bisherige Link gilt nicht mehr.")
            % {"email": antrag.email},
        )

    def anlage_download(self, request, anlage_id):
        anlage = Anlage.objects.filter(pk=anlage_id, antrag__in=self.get_queryset(request)).first()
        if anlage is None:
            raise Http404
        return serve_anlage(anlage)
