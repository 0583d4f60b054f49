"""The forms behind the staff's POST endpoints: a workflow step and its letter's preview, a
payout or refund, a reason, a Beschluss, the right of access. Each reads and checks its
input; the services check the rules again under their locks."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import eingaben

from ..forms.felder import EuroField
from ..models import Beschluss, Status


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


def fehlertext(form) -> str:
    """All of a form's messages as one line, for the admin's message bar."""
    return " ".join(str(m) for fehler in form.errors.values() for m in fehler)


class SchrittForm(forms.Form):
    """One workflow step from the Antrag's page ("nach"), or the preview of its letter
    ("vorschau"): only the steps `schritte` the account may take now; an amount and a budget
    year only for a grant, an amount only for a Rückforderung."""

    nach = forms.Field(required=False)
    vorschau = forms.Field(required=False)
    kommentar = FreitextFeld()
    interne_notiz = FreitextFeld()
    betrag = forms.Field(required=False)
    rueckforderung = forms.Field(required=False)
    haushaltsjahr = forms.Field(required=False)

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
        try:
            if schritt == Status.BEWILLIGT:
                daten["betrag_wert"] = _betrag(daten.get("betrag", ""))
                gewaehlt = daten.get("haushaltsjahr", "")
                if gewaehlt and gewaehlt not in self.jahre:
                    raise ValidationError(_("Dieses Haushaltsjahr steht nicht zur Wahl."))
                daten["jahr"] = self.jahre.get(gewaehlt)
            elif schritt == Status.RUECKFORDERUNG:
                daten["betrag_wert"] = _betrag(daten.get("rueckforderung", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return daten

    def weiter(self) -> list[tuple[str, str]]:
        """The values as posted, for the preview's button that takes the step with them."""
        namen = ["kommentar", "interne_notiz", "betrag", "rueckforderung", "haushaltsjahr"]
        return [(name, self.data.get(name, "")) for name in namen if name in self.data]


class GeldeingangForm(forms.Form):
    """A payout confirmed, or a refund received: amount, date and the bank's reference."""

    betrag = EuroField(min_value=None)
    datum = forms.DateField(
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum ein.")}
    )
    referenz = forms.CharField(max_length=100)


class GrundForm(forms.Form):
    """A reason: why a payout waiting for its order is discarded, why a debt is written off."""

    grund = FreitextFeld()

    def __init__(self, data, *, max_length=2000):
        super().__init__(data)
        self.fields["grund"] = FreitextFeld(max_length=max_length)  # 500 for a payout


class BeschlussForm(forms.Form):
    """One Beschluss of a Projektkonferenz: an Antrag of its agenda, the outcome, the amount
    granted and the reason (the service says which outcome needs which)."""

    antrag = forms.Field(required=False)
    ergebnis = forms.Field(required=False)
    betrag = forms.Field(required=False)
    begruendung = FreitextFeld()

    def __init__(self, data, *, konferenz):
        super().__init__(data)
        self.konferenz = konferenz

    def clean_antrag(self):
        antrag_id = eingaben.ganzzahl(self.cleaned_data["antrag"])
        antrag = (
            self.konferenz.tagesordnung.filter(pk=antrag_id).first()
            if antrag_id is not None
            else None
        )
        if antrag is None:
            raise ValidationError(_("Bitte wählen Sie einen Antrag der Tagesordnung."))
        return antrag

    def clean(self):
        daten = super().clean()
        daten["betrag_wert"] = None
        if "antrag" in daten and daten.get("ergebnis") == Beschluss.Ergebnis.BEWILLIGT:
            try:
                daten["betrag_wert"] = _betrag(daten.get("betrag", ""))
            except ValidationError as exc:
                self.add_error("betrag", exc)
        return daten


class AuskunftForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der anfragenden Person"),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse ein."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
        },
    )
