"""The forms behind the staff's POST endpoints: a workflow step and its letter's preview, a
payout or refund, a reason, a Beschluss, the right of access. Each reads and checks its
input; the services check the rules again under their locks."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld

from ..forms.felder import EuroField, dienst_fehler_zeigen
from ..models import Abstimmungsart, Beschluss, Status
from ..services import konferenz


class FreitextFeld(forms.CharField):
    """A comment or reason as the admin's text areas send it: NUL characters dropped
    (PostgreSQL refuses them, and nobody types one) and line breaks counted as the browser's
    `maxlength` counts them (one character, not the two a post carries)."""

    def __init__(self, *, max_length=2000, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(
            max_length=max_length,
            error_messages={
                "max_length": _(
                    "Bitte kürzen Sie den Text auf höchstens %(limit_value)d Zeichen "
                    "(jetzt %(show_value)d)."
                )
            },
            **kwargs,
        )
        # Django's own check would refuse the NUL before to_python drops it.
        self.validators = [v for v in self.validators if not _nul_pruefung(v)]

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "").replace("\r\n", "\n")


def _nul_pruefung(validator) -> bool:
    return isinstance(validator, ProhibitNullCharactersValidator)


def _betrag(roh: str):
    """An amount as typed, read only for the step that needs it (the page's other amount
    fields travel in the same form)."""
    return EuroField().clean(roh)


# The form's choices (a step, an Antrag of the agenda, an outcome, an amount as typed) are
# read as posted with `forms.Field` and checked against what may be chosen in `clean`: a
# wrong value gets that check's message, whatever characters it holds.


def fehlertext(form, feld_id=None):
    """The form's errors for the admin's message bar, like the public form's summary: each
    with its field's name and a link to that field on the page (`feld_id(name)` gives its
    id; an error of the whole form has no field and no link)."""
    teile = []
    for name, meldungen in form.errors.items():
        for meldung in meldungen:
            if name not in form.fields or feld_id is None:
                teile.append(format_html("{}", meldung))
            else:
                teile.append(
                    format_html(
                        '<a href="#{}">{}: {}</a>', feld_id(name), form.fields[name].label, meldung
                    )
                )
    return format_html_join(" ", "{}", ((teil,) for teil in teile))


def ids_mit_praefix(praefix: str, **abweichend):
    """The ids the Antrag page gives a form's fields: `id_<praefix>_<name>`, or as named."""
    return lambda name: abweichend.get(name) or f"id_{praefix}_{name}"


class SchrittForm(forms.Form):
    """One workflow step from the Antrag's page ("nach"), or the preview of its letter
    ("vorschau"): only the steps `schritte` the account may take now; an amount and a budget
    year only for a grant, an amount only for a Rückforderung."""

    nach = forms.Field(required=False)
    vorschau = forms.Field(required=False)
    kommentar = FreitextFeld(label=_("Kommentar an die Antragstellerin / den Antragsteller"))
    interne_notiz = FreitextFeld(label=_("Interne Notiz (nur für die Verwaltung)"))
    betrag = forms.Field(required=False, label=_("Betrag der Bewilligung"))
    rueckforderung = forms.Field(required=False, label=_("Betrag der Rückforderung"))
    haushaltsjahr = forms.Field(required=False, label=_("Haushaltsjahr der Bewilligung"))

    def __init__(self, data, *, schritte, jahre):
        super().__init__(data)
        self.schritte = list(schritte)
        self.jahre = {str(hj.pk): hj for hj in jahre}

    def clean(self):
        daten = super().clean()
        schritt = daten.get("vorschau") or daten.get("nach") or ""
        if schritt not in self.schritte:
            raise ValidationError(_("Dieser Schritt ist nicht möglich."))
        daten["schritt"] = schritt
        daten["ist_vorschau"] = bool(daten.get("vorschau"))
        daten["betrag_wert"] = None
        daten["jahr"] = None
        # Each error at the field it is about, so that the summary can name and link it.
        feld = "rueckforderung" if schritt == Status.RUECKFORDERUNG else "betrag"
        try:
            if schritt in (Status.BEWILLIGT, Status.RUECKFORDERUNG):
                daten["betrag_wert"] = _betrag(daten.get(feld, ""))
        except ValidationError as exc:
            self.add_error(feld, exc)
        if schritt == Status.BEWILLIGT:
            gewaehlt = daten.get("haushaltsjahr", "")
            if gewaehlt and gewaehlt not in self.jahre:
                self.add_error("haushaltsjahr", _("Dieses Haushaltsjahr steht nicht zur Wahl."))
            daten["jahr"] = self.jahre.get(gewaehlt)
        return daten

    def weiter(self) -> list[tuple[str, str]]:
        """The values as posted, for the preview's button that takes the step with them."""
        namen = ["kommentar", "interne_notiz", "betrag", "rueckforderung", "haushaltsjahr"]
        return [(name, self.data.get(name, "")) for name in namen if name in self.data]


class GeldeingangForm(forms.Form):
    """A payout confirmed, or a refund received: amount, date and the bank's reference."""

    betrag = EuroField(label=_("Betrag"), min_value=None)
    datum = forms.DateField(
        label=_("Datum"),
        error_messages={
            "invalid": _("Bitte geben Sie ein gültiges Datum ein, z. B. 01.03.2027."),
            "required": _("Bitte geben Sie das Datum ein."),
        },
    )
    referenz = forms.CharField(
        label=_("Buchungsreferenz"),
        max_length=100,
        error_messages={
            "required": _("Bitte geben Sie eine Buchungsreferenz an (z. B. Kassenzeichen)."),
            "max_length": _("Bitte kürzen Sie die Buchungsreferenz auf höchstens 100 Zeichen."),
        },
    )


class GrundForm(forms.Form):
    """A reason: why a payout waiting for its order is discarded, why a debt is written off."""

    grund = FreitextFeld(label=_("Grund"))

    def __init__(self, data, *, max_length=2000):
        super().__init__(data)
        self.fields["grund"] = FreitextFeld(label=_("Grund"), max_length=max_length)  # 500: payout


# The choices of one agenda item on the "Beschlüsse erfassen" page; "teilweise" is a grant
# below the amount asked for, "offen" records nothing for this item in this save.
OFFEN, TEILWEISE = "offen", "teilweise"
ERGEBNISSE = [
    (OFFEN, _("noch kein Beschluss")),
    (Beschluss.Ergebnis.BEWILLIGT, _("bewilligt (wie beantragt)")),
    (TEILWEISE, _("teilweise bewilligt")),
    (Beschluss.Ergebnis.ABGELEHNT, _("abgelehnt")),
    (Beschluss.Ergebnis.VERTAGT, _("vertagt")),
]


class BeschlussZeile(forms.Form):
    """One agenda item of a Projektkonferenz on the "Beschlüsse erfassen" page. Its fields
    carry the Antrag's id in their names (prefix `tp-<id>`), so that a value can only ever
    belong to the Antrag of its row; the service checks the rules again under its locks."""

    # Not sent at all (a row added to the agenda since the page was opened): no Beschluss.
    ergebnis = forms.ChoiceField(
        label=_("Ergebnis"),
        choices=ERGEBNISSE,
        initial=OFFEN,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Bitte wählen Sie ein Ergebnis aus der Liste.")},
    )
    betrag = forms.CharField(label=_("Betrag"), required=False, max_length=30)
    begruendung = FreitextFeld(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))
    abstimmung = forms.ChoiceField(
        label=_("Abstimmung"),
        choices=Abstimmungsart.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Bitte wählen Sie „einvernehmlich“ oder „abgestimmt“.")
        },
    )
    ja = forms.IntegerField(label=_("Ja"), required=False, min_value=0, max_value=999)
    nein = forms.IntegerField(label=_("Nein"), required=False, min_value=0, max_value=999)
    enthaltung = forms.IntegerField(
        label=_("Enthaltung"), required=False, min_value=0, max_value=999
    )

    def __init__(self, data=None, *, antrag, befangen=(), moeglich=None):
        super().__init__(data, prefix=f"tp-{antrag.pk}")
        self.antrag = antrag
        # Who is befangen on this item, and how many voting members present are not.
        self.befangen = list(befangen)
        self.moeglich = moeglich
        self.fields["betrag"].widget.attrs.update(inputmode="decimal", autocomplete="off")
        for name in ("ja", "nein", "enthaltung"):
            self.fields[name].error_messages.update(
                invalid=_("Bitte geben Sie eine ganze Zahl ein."),
                min_value=_("Bitte geben Sie 0 oder mehr ein."),
                max_value=_("Bitte geben Sie höchstens %(limit_value)s ein."),
            )

    def clean(self):
        daten = super().clean()
        if daten.get("ergebnis") == "":
            daten["ergebnis"] = OFFEN
        ergebnis = daten.get("ergebnis")
        daten["betrag_wert"] = None
        if ergebnis == Beschluss.Ergebnis.BEWILLIGT:
            roh = (daten.get("betrag") or "").strip()
            daten["betrag_wert"] = self._betrag(roh) if roh else self.antrag.beantragter_betrag
            wert = daten["betrag_wert"]
            if wert is not None and wert < self.antrag.beantragter_betrag:
                self.add_error(
                    "betrag",
                    _(
                        "„bewilligt (wie beantragt)“ heißt: %(betrag)s €. Für weniger wählen Sie "
                        "„teilweise bewilligt“ und begründen es."
                    )
                    % {"betrag": geld.betrag(self.antrag.beantragter_betrag)},
                )
        elif ergebnis == TEILWEISE:
            daten["betrag_wert"] = self._betrag(daten.get("betrag") or "")
            wert = daten["betrag_wert"]
            if wert is not None and wert >= self.antrag.beantragter_betrag:
                self.add_error(
                    "betrag",
                    _(
                        "Bei „teilweise bewilligt“ liegt der Betrag unter den beantragten "
                        "%(betrag)s €. Für den vollen Betrag wählen Sie „bewilligt“."
                    )
                    % {"betrag": geld.betrag(self.antrag.beantragter_betrag)},
                )
            if not (daten.get("begruendung") or "").strip():
                self.add_error(
                    "begruendung", _("Bitte begründen Sie, warum weniger bewilligt wird.")
                )
        daten["abstimmung_wert"] = None
        zahlen = [daten.get(n) for n in ("ja", "nein", "enthaltung")]
        angegeben = bool(daten.get("abstimmung")) or any(z is not None for z in zahlen)
        # A grant or refusal needs its vote; an adjournment records one if one is given.
        if ergebnis not in (OFFEN, Beschluss.Ergebnis.VERTAGT, None) or (
            ergebnis == Beschluss.Ergebnis.VERTAGT and angegeben
        ):
            self._abstimmung(daten, ergebnis)
        return daten

    def _abstimmung(self, daten, ergebnis):
        """The vote as the service takes it; its messages at the row's vote fields."""
        art = daten.get("abstimmung") or ""
        zahlen = [daten.get(n) for n in ("ja", "nein", "enthaltung")]
        if "abstimmung" in self.errors or any(
            n in self.errors for n in ("ja", "nein", "enthaltung")
        ):
            return
        # As typed: counts with "einvernehmlich" are refused, not silently dropped.
        wert = konferenz.Abstimmung(art, *zahlen)
        try:
            konferenz.abstimmung_pruefen(
                wert,
                ergebnis=Beschluss.Ergebnis.BEWILLIGT if ergebnis == TEILWEISE else ergebnis,
                moeglich=self.moeglich,
            )
        except ValidationError as exc:
            self.dienst_fehler(exc)
            return
        daten["abstimmung_wert"] = wert

    def _betrag(self, roh: str):
        try:
            return _betrag(roh)
        except ValidationError as exc:
            self.add_error("betrag", exc)
            return None

    def eintrag(self):
        """The row as the service takes it, or None for "noch kein Beschluss"."""
        ergebnis = self.cleaned_data["ergebnis"]
        if ergebnis == OFFEN:
            return None
        return konferenz.Eintrag(
            antrag=self.antrag,
            ergebnis=Beschluss.Ergebnis.BEWILLIGT if ergebnis == TEILWEISE else ergebnis,
            betrag=self.cleaned_data["betrag_wert"],
            begruendung=self.cleaned_data["begruendung"],
            abstimmung=self.cleaned_data["abstimmung_wert"],
        )

    def dienst_fehler(self, exc: ValidationError) -> None:
        """The service's refusal of this row, at its field where it names one."""
        dienst_fehler_zeigen(self, exc, {"kommentar": "begruendung"})


class AuskunftForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der anfragenden Person"),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse ein."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
        },
    )


class BefangenheitFormular(forms.Form):
    """A conflict of interest: a person of this meeting, an agenda item without a Beschluss,
    and why; both choices only from this conference."""

    teilnahme = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        error_messages={
            "required": _("Bitte wählen Sie die Person."),
            "invalid_choice": _("Bitte wählen Sie eine Person dieser Konferenz."),
        },
    )
    antrag = forms.ModelChoiceField(
        label=_("Antrag (Tagesordnungspunkt)"),
        queryset=None,
        error_messages={
            "required": _("Bitte wählen Sie den Antrag."),
            "invalid_choice": _("Bitte wählen Sie einen Antrag der Tagesordnung ohne Beschluss."),
        },
    )
    grund = FreitextFeld(
        label=_("Grund"),
        required=True,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, konferenz):
        super().__init__(data)
        self.fields["grund"].error_messages["required"] = _(
            "Bitte geben Sie den Grund der Befangenheit an."
        )
        self.fields["teilnahme"].queryset = konferenz.teilnahmen.order_by("name", "id")
        entschieden = konferenz.beschluesse.values_list("antrag_id", flat=True)
        self.fields["antrag"].queryset = konferenz.tagesordnung.exclude(
            pk__in=entschieden
        ).order_by("aktenzeichen")
        self.fields["antrag"].label_from_instance = lambda a: f"{a.aktenzeichen} – {a.titel}"

    def dienst_fehler(self, exc: ValidationError) -> None:
        dienst_fehler_zeigen(self, exc)


class ProtokollAbschluss(forms.Form):
    """Who kept the protocol and signs it off."""

    protokollfuehrung = forms.CharField(
        label=_("Protokollführung (Name)"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie an, wer das Protokoll geführt hat.")},
    )
