"""The Verwendungsnachweis form (online and on paper)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld
from antraege.services import einreichung

from ..models import ZERO
from .felder import DateInput, EuroField, MultipleFileField


def _geplant(betrag) -> str:
    return _("Geplant: %(betrag)s") % {"betrag": geld.betrag(betrag) + "\u00a0€"}


class WeitereAusgabeForm(forms.Form):
    """A cost the Kostenplan did not have: what it was for and what it cost."""

    beschreibung = forms.CharField(
        max_length=200,
        error_messages={"required": _("Bitte schreiben Sie, wofür diese Ausgabe war.")},
    )
    betrag = EuroField(
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("Bitte geben Sie den Betrag dieser Ausgabe ein."),
            "min_value": _("Der Betrag muss größer als 0 € sein."),
        },
    )


class BaseWeitereAusgaben(forms.BaseFormSet):
    """The costs not planned; a row left empty is no row."""

    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d weitere Ausgaben ein."),
        "missing_management_form": _(
            "Das Formular ist unvollständig. Bitte laden Sie die Seite neu."
        ),
    }

    def initial_form_count(self):
        # Posted rows are all optional: a row given back for correction can be emptied.
        return 0 if self.is_bound else super().initial_form_count()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        nummer = (index or 0) + 1
        form.fields["beschreibung"].label = _("Weitere Ausgabe %(n)d: wofür?") % {"n": nummer}
        form.fields["betrag"].label = _("Weitere Ausgabe %(n)d: Betrag") % {"n": nummer}

    def rows(self) -> list[tuple[str, Decimal]]:
        return [
            (f.cleaned_data["beschreibung"], f.cleaned_data["betrag"])
            for f in self.forms
            if f.cleaned_data
        ]


def _weitere_formset(extra: int):
    return forms.formset_factory(
        WeitereAusgabeForm,
        formset=BaseWeitereAusgaben,
        extra=extra,
        max_num=einreichung.MAX_WEITERE_AUSGABEN,
        absolute_max=einreichung.MAX_WEITERE_AUSGABEN,
        validate_max=True,
    )


# Online a row comes with "Weitere Ausgabe hinzufügen"; staff typing a paper Nachweis get three.
WeitereAusgaben = _weitere_formset(0)
WeitereAusgabenPapier = _weitere_formset(3)


class NachweisForm(forms.Form):
    """The Verwendungsnachweis: the short report and the zahlenmäßiger Nachweis, one field per
    cost row of this Antrag (`ausgabe_<id>`: only its own rows exist, so no other id is read)
    and the actual own money, own work and other funding. The receipts come on the check page
    (`mit_belegen`), right before sending, so no round trip loses them."""

    bericht = forms.CharField(
        label=_("Kurzbericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Was ist mit dem Geld gemacht worden? Wie viele Menschen haben teilgenommen? "
            "Wenn Ausgaben vom Plan abweichen: warum?"
        ),
        error_messages={
            "required": _("Bitte beschreiben Sie kurz, was mit dem Geld gemacht wurde.")
        },
    )
    belege = MultipleFileField(
        hoechstens=einreichung.MAX_BELEGE,
        label=_("Belege"),
        required=False,
        help_text=_(
            "Rechnungen und Quittungen als PDF, JPEG oder PNG: bis zu 20 Dateien, je höchstens "
            "10 MB, mit den Anlagen des Antrags zusammen höchstens 50 MB. Sie können mehrere "
            "auf einmal oder nacheinander auswählen; ausgewählte Dateien bleiben erhalten."
        ),
        error_messages={
            "required": _("Bitte laden Sie mindestens einen Beleg hoch (PDF, JPEG oder PNG).")
        },
    )
    FINANZIERUNG = ("eigenmittel", "eigenleistung", "drittmittel")
    WEITERE = WeitereAusgaben

    def __init__(self, *args, antrag, mit_belegen=False, weitere_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.antrag = antrag
        # The costs not planned, a formset under the prefix "weitere" beside the form. A post
        # without its management form (a page from before it existed) has no such rows.
        daten = self.data if self.is_bound else None
        if daten is not None and "weitere-TOTAL_FORMS" not in daten:
            daten = daten.copy()
            daten["weitere-TOTAL_FORMS"] = daten["weitere-INITIAL_FORMS"] = "0"
        self.weitere = self.WEITERE(daten, prefix="weitere", initial=weitere_initial)
        self.zeilen = list(antrag.kosten.all())
        for nummer, zeile in enumerate(self.zeilen, 1):
            self.fields[f"ausgabe_{zeile.pk}"] = EuroField(
                label=_("Kostenposition %(nummer)s: %(art)s, tatsächlich ausgegeben")
                % {"nummer": nummer, "art": zeile.beschreibung},
                help_text=_geplant(zeile.betrag),
                error_messages={
                    "required": _(
                        "Bitte geben Sie an, wie viel für Kostenposition %(nummer)s tatsächlich "
                        "ausgegeben wurde (0, wenn nichts)."
                    )
                    % {"nummer": nummer}
                },
            )
        geplant = {
            "eigenmittel": (_("Eigenmittel, tatsächlich"), antrag.eigenmittel),
            "eigenleistung": (_("Eigenleistung in Euro, tatsächlich"), antrag.eigenleistung),
            "drittmittel": (_("Andere Förderung, tatsächlich erhalten"), antrag.drittmittel),
        }
        for name, (label, betrag) in geplant.items():
            self.fields[name] = EuroField(
                label=label,
                required=False,
                help_text=_geplant(betrag) + " " + _("Leer lassen, wenn nichts."),
            )
        # Page order: report, the cost rows, the funding, the receipts.
        self.order_fields(
            ["bericht", *(f"ausgabe_{z.pk}" for z in self.zeilen), *self.FINANZIERUNG, "belege"]
        )
        self.fields["belege"].required = mit_belegen

    def is_valid(self):
        # Both, so that every error shows at once.
        return all([super().is_valid(), self.weitere.is_valid()])

    def weitere_fehler(self) -> list[tuple[str, str, str]]:
        """(label, message, anchor) of the rows of costs not planned."""
        fehler = [("", m, "weitere") for m in self.weitere.non_form_errors()]
        for zeile in self.weitere.forms:
            for feld in zeile:
                fehler += [(feld.label, m, feld.auto_id) for m in feld.errors]
        return fehler

    def clean(self):
        cleaned = super().clean()
        for name in self.FINANZIERUNG:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = ZERO
        return cleaned

    @property
    def ausgabefelder(self):
        return [self[f"ausgabe_{z.pk}"] for z in self.zeilen]

    def ausgaben(self) -> dict[int, Decimal]:
        return {z.pk: self.cleaned_data[f"ausgabe_{z.pk}"] for z in self.zeilen}

    def service_data(self) -> dict:
        return {
            "bericht": self.cleaned_data["bericht"],
            "ausgaben": self.ausgaben(),
            "weitere": self.weitere.rows(),
            **{name: self.cleaned_data[name] for name in self.FINANZIERUNG},
        }

    def rechnung(self, *, ausgezahlt):
        """The figures of a valid form, as the check page shows them."""
        daten = self.service_data()
        return einreichung.nachweis_rechnen(
            ausgaben=list(daten["ausgaben"].values()) + [b for _t, b in daten["weitere"]],
            eigenmittel=daten["eigenmittel"],
            eigenleistung=daten["eigenleistung"],
            drittmittel=daten["drittmittel"],
            ausgezahlt=ausgezahlt,
        )

    def tabelle(self):
        """Planned against actual per row, then the costs not planned, for the check page."""
        geplant = [
            {
                "nummer": nummer,
                "beschreibung": zeile.beschreibung,
                "geplant": zeile.betrag,
                "ausgegeben": self.cleaned_data[f"ausgabe_{zeile.pk}"],
                "abweichung": self.cleaned_data[f"ausgabe_{zeile.pk}"] - zeile.betrag,
            }
            for nummer, zeile in enumerate(self.zeilen, 1)
        ]
        return geplant + [
            {
                "nummer": nummer,
                "beschreibung": beschreibung,
                "geplant": ZERO,
                "ausgegeben": betrag,
                "abweichung": betrag,
                "ungeplant": True,
            }
            for nummer, (beschreibung, betrag) in enumerate(
                self.weitere.rows(), len(self.zeilen) + 1
            )
        ]


class PapierNachweisForm(NachweisForm):
    """Staff type in a Verwendungsnachweis that came by post: the same rows, the day it
    arrived, and scanned receipts if there are any (the paper ones go in the file)."""

    eingegangen_am = forms.DateField(
        label=_("Eingegangen am"),
        widget=DateInput(),
        error_messages={
            "required": _("Bitte geben Sie an, wann der Nachweis eingegangen ist."),
            "invalid": _("Bitte geben Sie ein gültiges Datum ein."),
        },
    )

    WEITERE = WeitereAusgabenPapier

    def __init__(self, *args, **kwargs):
        kwargs["mit_belegen"] = True
        super().__init__(*args, **kwargs)
        self.fields["belege"].required = False
        self.fields["belege"].label = _("Eingescannte Belege (freiwillig)")
        self.order_fields(["eingegangen_am", *self.fields])
