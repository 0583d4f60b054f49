"""The public application form, its Kostenplan formset and the upload field."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld
from antraege.services import budget, einreichung
from quartiere.models import Aktionsraum

from .models import ZERO, Antrag, Finanzierungsquelle

ZIELE = [
    ("ziel_nachbarschaft", _("Nachbarschaften und sozialen Zusammenhalt im Quartier stärken")),
    ("ziel_eltern_kinder", _("Eltern und Kinder im Quartier stärken")),
    ("ziel_beschaeftigung", _("Beschäftigung im Quartier fördern")),
]
# "1.250" is 1250 in German and 1.25 in English; "0.001" is neither a thousand nor a cent.
THOUSANDS = {
    "de": re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$"),
    "en": re.compile(r"^[1-9]\d{0,2}(,\d{3})+$"),
}


def fehler_je_feld(exc: ValidationError) -> dict[str, list[str]]:
    """A service's refusal by field; a message without a field belongs to the whole form
    (a plain ValidationError has no `message_dict`)."""
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {NON_FIELD_ERRORS: exc.messages}


def freitext(request, name: str, laenge: int = 2000) -> str:
    """A free-text field read straight from a POST, without NUL characters (PostgreSQL
    refuses them in text; Django's form fields reject them, raw reads need this)."""
    return request.POST.get(name, "").replace("\x00", "")[:laenge]


def euro_lesen(text) -> Decimal | None:
    """An amount as people write it in the page's language, or None if it is not one:
    1.234,50 or 1234,50 or 1234.50 or 50 € on a German page."""
    text = str(text).strip().replace("€", "").replace("EUR", "").replace("\u00a0", "")
    text = text.replace(" ", "")
    englisch = (get_language() or "de").startswith("en")
    tausender, komma = (",", ".") if englisch else (".", ",")
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_sep == "," else ",", "")
        text = text.replace(",", ".")
    elif THOUSANDS["en" if englisch else "de"].match(text):
        # Read by the page's language: 1.250 on a German page, 1,250 on an English one.
        text = text.replace(tausender, "")
    elif komma in text or tausender in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# 1.350,50 in German, 1,350.50 in English: how the form shows an amount (aktionsplan/kern/geld.py).


class EuroInput(forms.TextInput):
    """Shows an amount in the page's language with two decimals, also a typed one that the
    form read (1350,5 comes back as 1.350,50); text that is no amount stays as typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        # A stored nothing (0 own money) is shown as an empty field, not as "0,00".
        if value in (None, "") or (isinstance(value, Decimal) and not value):
            return None
        betrag = value if isinstance(value, Decimal) else euro_lesen(value)
        if betrag is None or betrag.as_tuple().exponent < -2 or abs(betrag) >= 10**12:
            return str(value)
        return geld.betrag(betrag)


class EuroField(forms.DecimalField):
    """Accepts amounts as people write them: 1.234,50 or 1234,50 or 1234.50 or 50 €."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("1000000"))
        kwargs.setdefault("widget", EuroInput())
        kwargs["error_messages"] = {
            "invalid": _("Bitte geben Sie einen Betrag in Euro ein, z. B. 1.250,00."),
            "min_value": _("Bitte geben Sie 0 oder einen positiven Betrag ein."),
            "max_value": _("Bitte geben Sie höchstens 1.000.000,00 € ein."),
            "max_decimal_places": _("Bitte geben Sie höchstens zwei Nachkommastellen (Cent) an."),
            "max_digits": _("Dieser Betrag ist zu groß."),
            "max_whole_digits": _("Dieser Betrag ist zu groß."),
            "required": _("Bitte geben Sie einen Betrag ein (0, wenn nichts)."),
        } | kwargs.get("error_messages", {})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        betrag = euro_lesen(value)
        if betrag is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return betrag


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the services."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        cleaned = [single(f, initial) for f in files if f]
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        try:
            einreichung.anlagen_pruefen(cleaned)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AntragForm(forms.ModelForm):
    """Everything the applicant enters except the Kostenplan."""

    ziele = forms.MultipleChoiceField(
        label=_("Welchen Zielen dient Ihr Projekt?"),
        choices=ZIELE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens ein Ziel aus.")},
    )
    eigenmittel = EuroField(
        label=_("Eigenmittel"),
        required=False,
        help_text=_("Geld, das Sie selbst beitragen. Leer lassen, wenn es keine gibt."),
    )
    eigenleistung = EuroField(
        label=_("Eigenleistung (in Euro bewertet)"),
        required=False,
        help_text=_(
            "Zum Beispiel ehrenamtliche Arbeitsstunden, in Euro bewertet. "
            "Leer lassen, wenn es keine gibt."
        ),
    )
    drittmittel = EuroField(
        label=_("Andere Förderung"),
        required=False,
        help_text=_("Zuschüsse von anderen Stellen. Leer lassen, wenn es keine gibt."),
    )
    # Not typed: the portal computes it, shows it, and the page sends back the amount the
    # person saw. A different one (an old page, a tampered post) is refused, never booked.
    beantragter_betrag = forms.CharField(
        label=_("Beantragter Betrag"), required=False, widget=forms.HiddenInput, max_length=40
    )
    teilnehmende = forms.IntegerField(
        label=_("Erwartete Teilnehmende"),
        min_value=1,
        max_value=100000,
        error_messages={
            "invalid": _("Bitte geben Sie eine ganze Zahl ein."),
            "min_value": _("Bitte geben Sie mindestens 1 ein."),
            "max_value": _("Bitte geben Sie höchstens 100.000 ein."),
        },
    )
    plz = forms.CharField(
        label=_("Postleitzahl"),
        max_length=5,
        validators=[
            RegexValidator(r"^\d{5}$", _("Bitte geben Sie eine fünfstellige Postleitzahl ein."))
        ],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    anlagen = MultipleFileField(
        label=_("Anlagen (freiwillig)"),
        required=False,
        help_text=_(
            "Zum Beispiel Angebote oder ein Projektkonzept: höchstens 5 Dateien, "
            "je höchstens 10 MB, nur PDF, JPEG oder PNG."
        ),
    )
    datenschutz = forms.BooleanField(
        label=_(
            "Ich habe den Datenschutzhinweis gelesen und bin mit der Verarbeitung meiner "
            "Angaben zur Bearbeitung des Antrags einverstanden."
        ),
        error_messages={
            "required": _(
                "Bitte stimmen Sie dem Datenschutzhinweis zu, sonst "
                "können wir Ihren Antrag nicht bearbeiten."
            )
        },
    )

    class Meta:
        model = Antrag
        fields = [
            "aktionsraum",
            "finanzierungsquelle",
            "titel",
            "beschreibung",
            "zielgruppe",
            "teilnehmende",
            "durchfuehrungsort",
            "beginn",
            "ende",
            "antragsteller_art",
            "organisation",
            "ansprechperson",
            "strasse",
            "plz",
            "wohnort",
            "email",
            "telefon",
            "kontoinhaber",
            "iban",
            "eigenmittel",
            "eigenleistung",
            "drittmittel",
        ]
        widgets = {
            "finanzierungsquelle": forms.RadioSelect,
            "antragsteller_art": forms.RadioSelect,
            "beginn": DateInput(),
            "ende": DateInput(),
            "beschreibung": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "telefon": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "ansprechperson": forms.TextInput(attrs={"autocomplete": "name"}),
            "strasse": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "wohnort": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "iban": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {
            "aktionsraum": _("Der Stadtteil, in dem Ihr Projekt stattfindet."),
            "organisation": _("Nur für Vereine, Initiativen und Einrichtungen."),
            "beschreibung": _(
                "Was wollen Sie tun, mit wem, und was soll sich dadurch im Quartier verbessern?"
            ),
        }
        error_messages = {
            field: {"required": _("Bitte füllen Sie dieses Feld aus.")}
            for field in [
                "titel",
                "beschreibung",
                "zielgruppe",
                "durchfuehrungsort",
                "ansprechperson",
                "strasse",
                "wohnort",
                "kontoinhaber",
            ]
        } | {
            "aktionsraum": {
                "required": _("Bitte wählen Sie Ihren Aktionsraum aus."),
                "invalid_choice": _("Bitte wählen Sie einen Aktionsraum aus der Liste."),
            },
            "finanzierungsquelle": {
                "required": _("Bitte wählen Sie, woraus Ihr Projekt finanziert werden soll.")
            },
            "antragsteller_art": {"required": _("Bitte wählen Sie, wer den Antrag stellt.")},
            "beginn": {
                "required": _("Bitte geben Sie an, wann das Projekt beginnt."),
                "invalid": _("Bitte geben Sie ein gültiges Datum ein, z. B. 01.03.2027."),
            },
            "ende": {
                "required": _("Bitte geben Sie an, wann das Projekt endet."),
                "invalid": _("Bitte geben Sie ein gültiges Datum ein, z. B. 01.03.2027."),
            },
            "email": {
                "required": _(
                    "Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Ihnen "
                    "den Link zu Ihrem Antrag schicken können."
                ),
                "invalid": _(
                    "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
                ),
            },
            "iban": {
                "required": _(
                    "Bitte geben Sie die IBAN des Kontos an, auf das wir das Geld "
                    "überweisen sollen."
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aktionsraum"].queryset = Aktionsraum.objects.active()
        self.fields["aktionsraum"].empty_label = _("Bitte wählen")
        # Online the address is needed for the status link; a paper application may lack it.
        self.fields["email"].required = True
        for name in ["finanzierungsquelle", "antragsteller_art"]:
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_iban(self):
        return self.cleaned_data["iban"].replace(" ", "").upper()

    def clean(self):
        data = super().clean()
        try:
            einreichung.termine_pruefen(beginn=data.get("beginn"), ende=data.get("ende"))
        except ValidationError as exc:
            self._add_errors(exc)
        return data

    def clean_eigenmittel(self):
        return self.cleaned_data["eigenmittel"] or ZERO

    def clean_eigenleistung(self):
        return self.cleaned_data["eigenleistung"] or ZERO

    def clean_drittmittel(self):
        return self.cleaned_data["drittmittel"] or ZERO

    def check_money(self, kosten):
        """Computes the requested amount from the Kostenplan and adds the money rules' errors."""
        names = ["eigenmittel", "eigenleistung", "drittmittel"]
        if any(self.cleaned_data.get(n) is None for n in names) or not self.cleaned_data.get(
            "finanzierungsquelle"
        ):
            return
        betrag = einreichung.beantragter_betrag_berechnen(
            kosten=kosten, **{n: self.cleaned_data[n] for n in names}
        )
        gesehen = self.cleaned_data.get("beantragter_betrag") or ""
        if gesehen.strip() and euro_lesen(gesehen) != betrag:
            self.add_error(
                "beantragter_betrag",
                _(
                    "Aus Ihren Angaben ergibt sich jetzt ein beantragter Betrag von "
                    "%(betrag)s €. Bitte prüfen Sie ihn und senden Sie dann erneut ab."
                )
                % {"betrag": geld.betrag(betrag)},
            )
            return
        if betrag <= 0:
            self.add_error(
                "beantragter_betrag",
                _(
                    "Eigenmittel, Eigenleistung und andere Förderung decken die Gesamtkosten "
                    "schon ganz; es bleibt kein Betrag zu beantragen. Bitte prüfen Sie den "
                    "Kostenplan und die Finanzierung."
                ),
            )
            return
        self.cleaned_data["beantragter_betrag"] = betrag
        fonds_frei = None
        if self.cleaned_data[
            "finanzierungsquelle"
        ] == Finanzierungsquelle.AKTIONSRAUMFONDS and self.cleaned_data.get("aktionsraum"):
            fonds_frei = budget.fonds_verfuegbar_aktuell(
                aktionsraum=self.cleaned_data["aktionsraum"]
            )
        try:
            einreichung.betraege_pruefen(
                finanzierungsquelle=self.cleaned_data["finanzierungsquelle"],
                kosten=kosten,
                fonds_verfuegbar=fonds_frei,
                beantragter_betrag=betrag,
                **{n: self.cleaned_data[n] for n in names},
            )
        except ValidationError as exc:
            self._add_errors(exc)

    def _add_errors(self, exc):
        for field, messages in fehler_je_feld(exc).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def service_data(self):
        """The cleaned values in the shape `einreichung.antrag_einreichen` takes."""
        data = {f: self.cleaned_data[f] for f in [*self.Meta.fields, "beantragter_betrag"]}
        for name, _label in ZIELE:
            data[name] = name in self.cleaned_data["ziele"]
        return data


class KostenForm(forms.Form):
    beschreibung = forms.CharField(
        label=_("Kostenart"),
        max_length=200,
        error_messages={"required": _("Bitte beschreiben Sie, wofür der Betrag ist.")},
    )
    betrag = EuroField(
        label=_("Betrag"),
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("Bitte geben Sie den Betrag dieser Position ein."),
            "min_value": _("Der Betrag muss größer als 0 € sein."),
        },
    )


class BaseKostenFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Bitte tragen Sie mindestens eine Kostenposition ein."),
        "too_many_forms": _("Bitte tragen Sie höchstens 30 Kostenpositionen ein."),
        "missing_management_form": _(
            "Das Formular ist unvollständig. Bitte laden Sie die Seite neu."
        ),
    }

    def amounts(self):
        return [f.cleaned_data["betrag"] for f in self.forms if f.cleaned_data]

    def rows(self):
        return [
            (f.cleaned_data["beschreibung"], f.cleaned_data["betrag"])
            for f in self.forms
            if f.cleaned_data
        ]


KostenFormSet = forms.formset_factory(
    KostenForm,
    formset=BaseKostenFormSet,
    extra=1,
    min_num=1,
    max_num=30,
    validate_min=True,
    validate_max=True,
)


class PapierantragForm(AntragForm):
    """Staff type in an application that came on paper: same fields, same rules."""

    def __init__(self, *args, aktionsraeume=None, **kwargs):
        super().__init__(*args, **kwargs)
        if aktionsraeume is not None:
            self.fields["aktionsraum"].queryset = aktionsraeume
        self.fields["datenschutz"].label = _(
            "Die unterschriebene Einwilligung zum Datenschutzhinweis liegt auf Papier vor."
        )
        self.fields["datenschutz"].error_messages["required"] = _(
            "Ohne unterschriebene Einwilligung kann der Antrag nicht erfasst werden."
        )
        self.fields["email"].required = False
        self.fields["email"].help_text = _(
            "Leer lassen, wenn es keine E-Mail-Adresse gibt: Dann druckt das Portal die "
            "Eingangsbestätigung und jeden Brief zum Versand per Post."
        )


class KorrekturForm(AntragForm):
    """The applicant's answer to a Rückfrage, with the Antrag's values to correct."""

    antwort = forms.CharField(
        label=_("Ihre Antwort auf die Rückfrage"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte beantworten Sie die Rückfrage.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["datenschutz"]
        self.fields["anlagen"].label = _("Weitere Anlagen (freiwillig)")

    @classmethod
    def initial_for(cls, antrag):
        """The form's starting values: what the Antrag says now."""
        return {"ziele": [name for name, _label in ZIELE if getattr(antrag, name)]}


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


def kostenrechnung(form, formset) -> dict:
    """What the page shows of the arithmetic: the Kostenplan's total, what is deducted and the
    amount asked for, from the values as they stand (typed or stored). A value that is not an
    amount yet leaves the result open ("beantragt" None) rather than guessing."""

    def lesen(bound_field):
        wert = bound_field.value()
        if wert in (None, ""):
            return ZERO, True
        if isinstance(wert, Decimal):
            return wert, True
        betrag = euro_lesen(wert)
        return (betrag, True) if betrag is not None else (ZERO, False)

    gesamt, vollstaendig, zeilen = ZERO, True, 0
    for row in formset.forms:
        betrag, gelesen = lesen(row["betrag"])
        vollstaendig &= gelesen
        if gelesen and row["betrag"].value() not in (None, ""):
            gesamt += betrag
            zeilen += 1
    abzuege = []
    for name in ["eigenmittel", "eigenleistung", "drittmittel"]:
        betrag, gelesen = lesen(form[name])
        vollstaendig &= gelesen
        abzuege.append((name, form[name].label, betrag))
    beantragt = None
    if vollstaendig and zeilen:
        beantragt = einreichung.beantragter_betrag_berechnen(
            kosten=[gesamt], **{name: betrag for name, _label, betrag in abzuege}
        )
    return {
        "gesamtkosten": gesamt,
        "abzuege": abzuege,
        "beantragt": beantragt,
        "beantragt_text": geld.betrag(beantragt) if beantragt is not None else "",
    }


# The check page's sections, in the order of the form.
ABSCHNITTE = [
    (_("Aktionsraum und Finanzierung"), ["aktionsraum", "finanzierungsquelle"]),
    (
        _("Ihr Projekt"),
        [
            "titel",
            "beschreibung",
            "ziele",
            "zielgruppe",
            "teilnehmende",
            "durchfuehrungsort",
            "beginn",
            "ende",
        ],
    ),
    (
        _("Wer stellt den Antrag?"),
        [
            "antragsteller_art",
            "organisation",
            "ansprechperson",
            "strasse",
            "plz",
            "wohnort",
            "email",
            "telefon",
        ],
    ),
    (_("Bankverbindung"), ["kontoinhaber", "iban"]),
]


def zusammenfassung(form) -> list[tuple[str, list[tuple[str, str]]]]:
    """A valid form's answers as the check page lists them: (section, [(label, text)])."""
    abschnitte = []
    for titel, namen in ABSCHNITTE:
        zeilen = []
        for name in namen:
            feld = form.fields[name]
            wert = form.cleaned_data.get(name)
            if isinstance(feld, forms.MultipleChoiceField):
                labels = dict(feld.choices)
                text = "; ".join(str(labels[w]) for w in wert or [])
            elif isinstance(feld, forms.ModelChoiceField):
                text = str(wert) if wert else ""
            elif isinstance(feld, forms.ChoiceField):
                text = str(dict(feld.choices).get(wert, "")) if wert else ""
            elif isinstance(wert, date):
                text = date_format(wert, "DATE_FORMAT")
            elif name == "iban":
                text = " ".join(wert[i : i + 4] for i in range(0, len(wert), 4))
            else:
                text = "" if wert is None else str(wert)
            zeilen.append((feld.label, text))
        abschnitte.append((titel, zeilen))
    return abschnitte
