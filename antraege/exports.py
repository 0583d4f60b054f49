"""CSV and XLSX exports (django-import-export) with every formula-like cell neutralised.

A cell that starts with =, +, -, @ (or a tab or carriage return) could run as a formula when
staff open the file in a spreadsheet program (CSV injection); such text gets a leading
apostrophe, which spreadsheets show as plain text. So does every part after a separator
(; , | tab or line break): a program that splits the cell there, or imports with another
separator, still meets text ("Fest;'=HYPERLINK(…)"). Numbers stay numbers.
"""

import csv
import re
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from antraege.selectors import hauptbuch

from .models import Antrag

FORMEL_ZEICHEN = ("=", "+", "-", "@", "\t", "\r")
# A formula character after a separator (and spaces), anywhere in the text.
_NACH_TRENNER = re.compile(r"([;,|\t\r\n]\s*)(?=[=+\-@])")
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE), the export fails on.
_NICHT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class DeutschesCSV(CSV):
    """CSV as German Excel opens it by double-click: semicolons, every cell quoted, decimal
    comma, and a UTF-8 byte order mark so that umlauts and the euro sign come out right."""

    def export_data(self, dataset, **kwargs):
        deutsch = tablib.Dataset(headers=dataset.headers)
        for zeile in dataset:
            deutsch.append([dezimalkomma(v) for v in zeile])
        text = deutsch.export("csv", delimiter=";", quoting=csv.QUOTE_ALL, **kwargs)
        return "\ufeff" + text


def dezimalkomma(value):
    """A Decimal as German text with two places (1950.5 -> "1950,50"); the rest unchanged."""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return value


FORMATE = {"csv": DeutschesCSV, "xlsx": XLSX}


def neutralisieren(value):
    """Text that a spreadsheet would read as a formula becomes plain text; characters an
    XLSX file cannot hold (control characters from before forms removed them) are replaced."""
    if not isinstance(value, str):
        return value
    value = _NICHT_IN_XLSX.sub("\ufffd", value)
    value = _NACH_TRENNER.sub(r"\1'", value)
    if value.lstrip(" ").startswith(FORMEL_ZEICHEN):
        return "'" + value
    return value


GELD_SPALTEN = {
    "Bewilligt": "bewilligt",
    "Ausgezahlt": "auszahlungen",
    "Zurückgefordert": "zurueckgefordert",
    "Zurückerhalten": "zurueckerhalten",
    "Netto ausgezahlt": "netto_ausgezahlt",
    "Gebunden": "gebunden",
}


class AntragResource(resources.ModelResource):
    """The columns staff need for lists and statistics; no IBAN, no status link."""

    aktionsraum = fields.Field(attribute="aktionsraum__name", column_name="Aktionsraum")
    status = fields.Field(attribute="get_status_display", column_name="Status")
    finanzierungsquelle = fields.Field(
        attribute="get_finanzierungsquelle_display", column_name="Finanzierung aus"
    )
    antragsteller_art = fields.Field(
        attribute="get_antragsteller_art_display", column_name="Antragsteller/in"
    )
    # Money from the ledger, named as on every page (see hauptbuch.Geldstand).
    bewilligt = fields.Field(column_name="Bewilligt")
    ausgezahlt = fields.Field(column_name="Ausgezahlt")
    zurueckgefordert = fields.Field(column_name="Zurückgefordert")
    zurueckerhalten = fields.Field(column_name="Zurückerhalten")
    netto_ausgezahlt = fields.Field(column_name="Netto ausgezahlt")
    gebunden = fields.Field(column_name="Gebunden")

    class Meta:
        model = Antrag
        fields = [
            "aktenzeichen",
            "eingereicht_am",
            "aktionsraum",
            "finanzierungsquelle",
            "status",
            "titel",
            "ziel_nachbarschaft",
            "ziel_eltern_kinder",
            "ziel_beschaeftigung",
            "zielgruppe",
            "teilnehmende",
            "beginn",
            "ende",
            "antragsteller_art",
            "organisation",
            "ansprechperson",
            "email",
            "beantragter_betrag",
            "bewilligt",
            "ausgezahlt",
            "zurueckgefordert",
            "zurueckerhalten",
            "netto_ausgezahlt",
            "gebunden",
        ]
        export_order = fields

    # Fields dropped for an account that may not see them (bereich.verborgene_felder).
    verborgen: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # German column headers: the field's verbose name where no other name is given.
        for name, feld in self.fields.items():
            if feld.column_name == name:
                feld.column_name = str(Antrag._meta.get_field(name).verbose_name)

    def filter_export(self, queryset, **kwargs):
        return hauptbuch.mit_geldstand(queryset)

    def export_field(self, field, instance, **kwargs):
        if field.column_name in GELD_SPALTEN:
            return getattr(hauptbuch.geldstand_von(instance), GELD_SPALTEN[field.column_name])
        return neutralisieren(super().export_field(field, instance, **kwargs))

    @classmethod
    def fuer(cls, verborgen):
        """The resource class for an account: without the columns it may not see."""
        if not set(verborgen) & set(cls._meta.fields):
            return cls
        meta = type(
            "Meta",
            (cls.Meta,),
            {
                "fields": [f for f in cls._meta.fields if f not in verborgen],
            },
        )
        meta.export_order = meta.fields
        # The same name keeps the export form's field names ("antragresource_titel").
        return type("AntragResource", (cls,), {"Meta": meta})


def tabelle_herunterladen(*, kopf: list[str], zeilen: list[list], name: str, fmt: str):
    """A download of any table (budget overview, yearly report) as CSV or XLSX."""
    format_class = FORMATE[fmt]
    dataset = tablib.Dataset(headers=kopf)
    for zeile in zeilen:
        dataset.append([_zelle(v) for v in zeile])
    inhalt = format_class().export_data(dataset)
    response = HttpResponse(inhalt, content_type=format_class().get_content_type())
    datum = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{datum}.{fmt}"'
    return response


def _zelle(value):
    if isinstance(value, Decimal | int):
        return value
    return neutralisieren(str(value))
