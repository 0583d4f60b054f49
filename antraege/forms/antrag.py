"""The application form (online, on paper, as a correction) with its Kostenplan, its figures
and its summary for the check page."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld
from antraege.services import budget, einreichung
from quartiere.models import Aktionsraum

from ..models import ZERO, Antrag, Finanzierungsquelle
from .felder import (
    DateInput,
    EuroField,
    MultipleFileField,
    dienst_fehler_zeigen,
    euro_lesen,
)

ZIELE = [
    ("ziel_nachbarschaft", _("Nachbarschaften und sozialen Zusammenhalt im Quartier stärken")),
    ("ziel_eltern_kinder", _("Eltern und Kinder im Quartier stärken")),
    ("ziel_beschaeftigung", _("Beschäftigung im Quartier fördern")),
]


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
            "required": _("Bitte geben Sie an, wie viele Menschen Sie erwarten."),
            "invalid": _("Bitte geben Sie die erwarteten Teilnehmenden als ganze Zahl ein."),
            "min_value": _("Bitte erwarten Sie mindestens 1 teilnehmende Person."),
            "max_value": _("Bitte geben Sie höchstens 100.000 Teilnehmende an."),
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
    # The public project page: opt-in, with a text written for the public.
    oeffentlich_vorstellen = forms.BooleanField(
        required=False,
        label=_(
            "Ja, mein Projekt darf nach der Bewilligung auf einer öffentlichen Projektseite "
            "stehen: mit Titel, der Kurzbeschreibung unten, Ziel, Zeitraum, Ort, Aktionsraum "
            "und bewilligtem Betrag."
        ),
        help_text=_(
            "Freiwillig. Nach dem Verwendungsnachweis können Sie dort auch einen kurzen Bericht "
            "und ein Foto zeigen. Über Ihren Statuslink nehmen Sie die Seite jederzeit wieder "
            "heraus."
        ),
    )
    vorstellung_text = forms.CharField(
        label=_("Kurzbeschreibung für die Projektseite"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Zwei, drei Sätze für alle, die das Projekt kennenlernen möchten; ohne "
            "Namen von Personen. Nur nötig, wenn Sie oben zustimmen."
        ),  # fmt: skip
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
            "oeffentlich_vorstellen",
            "vorstellung_text",
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
            "durchfuehrungsort": _(
                "Zum Beispiel ein Nachbarschaftstreff oder ein Platz. Wird Ihr Projekt bewilligt, "
                "nennen wir den Ort und den Zeitraum auf der Seite des Aktionsraums, damit "
                "Nachbarinnen und Nachbarn mitmachen können: bitte keine private Wohnadresse."
            ),
            "beschreibung": _(
                "Was wollen Sie tun, mit wem, und was soll sich dadurch im Quartier verbessern?"
            ),
        }
        # Each message names what is missing: the error summary gives the message only.
        error_messages = {
            "titel": {"required": _("Bitte geben Sie einen Titel für Ihr Projekt an.")},
            "beschreibung": {"required": _("Bitte beschreiben Sie Ihr Projekt.")},
            "zielgruppe": {"required": _("Bitte geben Sie an, wen Ihr Projekt erreichen soll.")},
            "durchfuehrungsort": {"required": _("Bitte geben Sie an, wo Ihr Projekt stattfindet.")},
            "ansprechperson": {"required": _("Bitte geben Sie eine Ansprechperson an.")},
            "strasse": {"required": _("Bitte geben Sie Straße und Hausnummer an.")},
            "wohnort": {"required": _("Bitte geben Sie den Ort an.")},
            "kontoinhaber": {
                "required": _("Bitte geben Sie an, wem das Konto gehört (Kontoinhaber/in).")
            },
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
        # This year's areas; a correction keeps its own, even if the area retired meanwhile.
        gebiete = Aktionsraum.objects.fuer_antraege()
        if self.instance.pk and self.instance.aktionsraum_id:
            gebiete = gebiete | Aktionsraum.objects.filter(pk=self.instance.aktionsraum_id)
        self.fields["aktionsraum"].queryset = gebiete
        self.fields["aktionsraum"].empty_label = _("Bitte wählen")
        # Online the address is needed for the status link; a paper application may lack it.
        self.fields["email"].required = True
        for name in ["finanzierungsquelle", "antragsteller_art"]:
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_iban(self):
        return self.cleaned_data["iban"].replace(" ", "").upper()

    def clean_vorstellung_text(self):
        text = self.cleaned_data.get("vorstellung_text", "").strip()
        if not self.cleaned_data.get("oeffentlich_vorstellen"):
            return ""  # nothing for the public without the consent
        if not text:
            raise ValidationError(
                _(
                    "Bitte schreiben Sie zwei, drei Sätze über Ihr Projekt für die Projektseite "
                    "– oder nehmen Sie das Häkchen bei der Projektseite wieder weg."
                )
            )
        return text

    def _get_validation_exclusions(self):
        """Django's ModelForm also checks the model's constraints; the date rule behind
        `antrag_ende_nach_beginn` runs once per post in German at its field
        (`regeln_pruefen` or the service, whose `full_clean` checks the constraint before it
        saves), never as the name of a constraint."""
        return super()._get_validation_exclusions() | {"beginn", "ende"}

    def clean_eigenmittel(self):
        return self.cleaned_data["eigenmittel"] or ZERO

    def clean_eigenleistung(self):
        return self.cleaned_data["eigenleistung"] or ZERO

    def clean_drittmittel(self):
        return self.cleaned_data["drittmittel"] or ZERO

    def betrag_ableiten(self, kosten):
        """Computes the requested amount from the Kostenplan (the applicant never types it);
        an amount shown on the page that no longer matches is sent back to be looked at."""
        names = ["eigenmittel", "eigenleistung", "drittmittel"]
        if any(self.cleaned_data.get(n) is None for n in names):
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
        self.cleaned_data["beantragter_betrag"] = betrag

    def regeln_pruefen(self, kosten):
        """The date and money rules, when this post does not reach the service (which checks
        them itself, under the year's lock): each rule runs once per post. `kosten` None: the
        Kostenplan has errors of its own."""
        fonds_frei = None
        if self.cleaned_data.get(
            "finanzierungsquelle"
        ) == Finanzierungsquelle.AKTIONSRAUMFONDS and self.cleaned_data.get("aktionsraum"):
            fonds_frei = budget.fonds_verfuegbar_aktuell(
                aktionsraum=self.cleaned_data["aktionsraum"],
                # A correction is checked against its own year, as the service checks it.
                jahr=self.instance.haushaltsjahr.jahr if self.instance.haushaltsjahr_id else None,
            )
        daten = dict(self.cleaned_data)
        if isinstance(daten.get("beantragter_betrag"), str):
            daten.pop("beantragter_betrag")  # not derived: the Kostenplan or money was refused
        try:
            einreichung.regeln_pruefen(daten=daten, kosten=kosten, fonds_verfuegbar=fonds_frei)
        except ValidationError as exc:
            self._add_errors(exc)

    def _add_errors(self, exc):
        dienst_fehler_zeigen(self, exc)

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


def entwurf_felder() -> dict[str, tuple[int, int]]:
    """What a draft may keep of a post of the form: each field of the form and of its cost
    rows, with how many values (choices of a multiple choice, else one) and how many
    characters each (the field's length; 20 for numbers and dates, 5,000 for long text)."""
    felder = {}
    for name, feld in AntragForm.base_fields.items():
        if isinstance(feld, forms.MultipleChoiceField):
            felder[name] = (len(feld.choices), 50)
        else:
            laenge = getattr(feld, "max_length", None)
            if laenge is None and isinstance(feld, forms.CharField):
                laenge = 5000
            felder[name] = (1, laenge or 20)
    for nummer in range(KostenFormSet.max_num):
        for name, feld in KostenForm.base_fields.items():
            felder[f"kosten-{nummer}-{name}"] = (1, getattr(feld, "max_length", None) or 20)
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        felder[f"kosten-{name}"] = (1, 4)
    return felder


class PapierantragForm(AntragForm):
    """Staff type in an application that came on paper: same fields, same rules."""

    def __init__(self, *args, aktionsraeume=None, **kwargs):
        super().__init__(*args, **kwargs)
        if aktionsraeume is not None:
            # The account's areas of this year's programme.
            self.fields["aktionsraum"].queryset = self.fields["aktionsraum"].queryset.filter(
                pk__in=aktionsraeume
            )
        self.fields["datenschutz"].label = _(
            "Die unterschriebene Einwilligung zum Datenschutzhinweis liegt auf Papier vor."
        )
        self.fields["datenschutz"].error_messages["required"] = _(
            "Ohne unterschriebene Einwilligung kann der Antrag nicht erfasst werden."
        )
        self.fields["oeffentlich_vorstellen"].label = _(
            "Die Zustimmung zur öffentlichen Projektseite liegt auf Papier unterschrieben vor."
        )
        self.fields["email"].required = False
        self.fields["email"].help_text = _(
            "Leer lassen, wenn es keine E-Mail-Adresse gibt: Dann druckt das Portal die "
            "Eingangsbestätigung und jeden Brief zum Versand per Post."
        )


def _antwortfeld():
    return forms.CharField(
        label=_("Ihre Antwort auf die Rückfrage"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Bitte beantworten Sie die Rückfrage."),
            "max_length": _("Bitte antworten Sie mit höchstens 2000 Zeichen."),
        },
    )


class AntwortForm(forms.Form):
    """The short answer to a Rückfrage: the answer and, if wanted, files; the Antrag's values
    stay as they are (changing them is `KorrekturForm`'s page). The files come through the
    form's draft (`views.formular.entwurf_und_anlagen`), so an error never loses them."""

    antwort = _antwortfeld()
    anlagen = MultipleFileField(
        label=_("Dateien zur Antwort (freiwillig)"),
        required=False,
        help_text=_(
            "Zum Beispiel ein neues Angebot: PDF, JPEG oder PNG, je höchstens 10 MB. Ein Antrag "
            "kann insgesamt höchstens 5 Dateien haben."
        ),
    )


class KorrekturForm(AntragForm):
    """The applicant's answer to a Rückfrage, with the Antrag's values to correct."""

    antwort = _antwortfeld()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["datenschutz"]
        self.fields["anlagen"].label = _("Weitere Anlagen (freiwillig)")

    @classmethod
    def initial_for(cls, antrag):
        """The form's starting values: what the Antrag says now."""
        return {"ziele": [name for name, _label in ZIELE if getattr(antrag, name)]}


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


# The form's steps, in order: name (in the address and the page), title, the form's fields.
# The Kostenplan's rows belong to "kosten"; the check page has one section per step.
SCHRITTE = [
    ("projekt", _("Ihr Projekt"), ["aktionsraum", "finanzierungsquelle", "titel", "beschreibung"]),
    ("ziele", _("Ziele und Zielgruppe"), ["ziele", "zielgruppe", "teilnehmende"]),
    ("termin", _("Termin und Ort"), ["beginn", "ende", "durchfuehrungsort"]),
    (
        "kosten",
        _("Kosten und Finanzierung"),
        ["eigenmittel", "eigenleistung", "drittmittel", "beantragter_betrag"],
    ),
    (
        "antragsteller",
        _("Antragsteller und Konto"),
        [
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
        ],
    ),
    (
        "anlagen",
        _("Anlagen und Einverständnis"),
        ["anlagen", "oeffentlich_vorstellen", "vorstellung_text", "datenschutz"],
    ),
]
SCHRITT_NAMEN = [name for name, _titel, _felder in SCHRITTE]


def schritt_von(feldname: str) -> str:
    """The step a field of the form (or of a Kostenplan row) is filled in on."""
    if feldname.startswith("kosten-"):
        return "kosten"
    for name, _titel, felder in SCHRITTE:
        if feldname in felder:
            return name
    return SCHRITT_NAMEN[-1]


def zusammenfassung(form) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """A valid form's answers as the check page lists them: (the step's title, its name for
    "Ändern", [(label, text)]); the Kostenplan and the files have sections of their own."""
    abschnitte = []
    for schritt, titel, namen in SCHRITTE:
        zeilen = []
        for name in namen if schritt != "kosten" else []:
            if name in ("anlagen", "datenschutz"):
                continue  # the files have their own section; the consent is required
            feld = form.fields[name]
            wert = form.cleaned_data.get(name)
            if name == "oeffentlich_vorstellen":
                zeilen.append((_("Öffentliche Projektseite"), _("ja") if wert else _("nein")))
                continue
            if name == "vorstellung_text" and not wert:
                continue
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
        abschnitte.append((titel, schritt, zeilen))
    return abschnitte


class ProjektberichtForm(forms.Form):
    """The project page's report and photo, after the Verwendungsnachweis."""

    bericht = forms.CharField(
        label=_("Kurzbericht: Wie ist Ihr Projekt gelaufen?"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ein paar Sätze für alle, die das Projekt kennenlernen möchten; ohne Namen "
            "von Personen."
        ),  # fmt: skip
        error_messages={"required": _("Bitte schreiben Sie ein paar Sätze über Ihr Projekt.")},
    )
    foto = forms.FileField(
        label=_("Ein Foto (freiwillig)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG oder WebP, höchstens 10 MB. Nur mit dem Einverständnis der Menschen, die "
            "darauf zu erkennen sind. Wir speichern nur das Bild selbst, ohne Kamera- und "
            "Ortsangaben."
        ),
    )
    foto_beschreibung = forms.CharField(
        label=_("Was ist auf dem Foto zu sehen?"),
        required=False,
        max_length=300,
        help_text=_("Für Menschen, die das Foto nicht sehen können."),
    )
    bildnachweis = forms.CharField(
        label=_("Wer hat das Foto gemacht?"),
        required=False,
        max_length=200,
        help_text=_("Steht unter dem Foto, z. B. „Foto: Nachbarschaftsverein“."),
    )

    def __init__(self, *args, hat_foto=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.hat_foto = hat_foto
        if hat_foto:
            self.fields["foto"].label = _("Ein anderes Foto (freiwillig)")

    def service_data(self) -> dict:
        daten = self.cleaned_data
        return {
            "bericht": daten["bericht"],
            "foto": daten.get("foto") or None,
            "foto_beschreibung": daten.get("foto_beschreibung", ""),
            "bildnachweis": daten.get("bildnachweis", ""),
        }

    def dienst_fehler(self, exc: ValidationError) -> None:
        dienst_fehler_zeigen(self, exc)
