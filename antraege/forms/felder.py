"""Fields and helpers every form of the Anträge shares: amounts typed the German way, several
files, dates, errors by field."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aktionsplan.kern import geld
from antraege.services import einreichung

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


def dienst_fehler_zeigen(form, exc: ValidationError, umbenennen=None) -> None:
    """A service's refusal on a form: each message at the field it names (renamed by
    `umbenennen` where the service calls it otherwise), else for the whole form."""
    for feld, meldungen in fehler_je_feld(exc).items():
        feld = (umbenennen or {}).get(feld, feld)
        for meldung in meldungen:
            form.add_error(feld if feld in form.fields else None, meldung)


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

    def __init__(self, *, hoechstens=None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)
        self.hoechstens = hoechstens or einreichung.MAX_ANLAGEN

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        cleaned = [single(f, initial) for f in files if f]
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        try:
            einreichung.anlagen_pruefen(cleaned, self.hoechstens)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
