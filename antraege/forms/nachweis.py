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
        label=_("Belege"),
        required=False,
        help_text=_(
            "Rechnungen und Quittungen: höchstens 5 Dateien, je höchstens 10 MB, "
            "PDF, JPEG oder PNG."
        ),
        error_messages={
            "required": _("Bitte laden Sie mindestens einen Beleg hoch (PDF, JPEG oder PNG).")
        },
    )
    FINANZIERUNG = ("eigenmittel", "eigenleistung", "drittmittel")

    def __init__(self, *args, antrag, mit_belegen=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.antrag = antrag
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
            **{name: self.cleaned_data[name] for name in self.FINANZIERUNG},
        }

    def rechnung(self, *, ausgezahlt):
        """The figures of a valid form, as the check page shows them."""
        daten = self.service_data()
        return einreichung.nachweis_rechnen(
            ausgaben=list(daten["ausgaben"].values()),
            eigenmittel=daten["eigenmittel"],
            eigenleistung=daten["eigenleistung"],
            drittmittel=daten["drittmittel"],
            ausgezahlt=ausgezahlt,
        )

    def tabelle(self):
        """Planned against actual per row, for the check page."""
        return [
            {
                "nummer": nummer,
                "beschreibung": zeile.beschreibung,
                "geplant": zeile.betrag,
                "ausgegeben": self.cleaned_data[f"ausgabe_{zeile.pk}"],
                "abweichung": self.cleaned_data[f"ausgabe_{zeile.pk}"] - zeile.betrag,
            }
            for nummer, zeile in enumerate(self.zeilen, 1)
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

    def __init__(self, *args, **kwargs):
        kwargs["mit_belegen"] = True
        super().__init__(*args, **kwargs)
        self.fields["belege"].required = False
        self.fields["belege"].label = _("Eingescannte Belege (freiwillig)")
        self.order_fields(["eingegangen_am", *self.fields])
