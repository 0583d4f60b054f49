"""The staff pages and exports speak German (issue 36 point 7): every page a staff role
opens and every export is searched for English words and ASCII transliterations from a list
kept here; the list grows with every word found."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib import admin

from antraege.models import Antrag, Auszahlung, Status
from quartiere.models import Aktionsraum

from .factories import entscheidungsreif, fonds_bewilligen, submitted_antrag

pytestmark = pytest.mark.django_db

# English that must not appear on a German staff page (Django's and its apps' words that
# slipped through, or a label never translated), and words the city does not use.
ENGLISCH = [
    "Select all", "Select", "Clear selection", "History", "View history", "View site",
    "Submit", "Search", "Action", "Show all", "Delete", "Add", "Change", "Save", "Yes", "No",
    "Unknown", "Export", "Changes",
    "Import", "Log out", "Home", "Filter by", "Go", "Cancel", "None",
]  # fmt: skip
# Django's German that reads wrong here, and a second link to the portal (regular expressions;
# "Auf der Website anzeigen" of one Aktionsraum is its public page and stays).
FALSCH = [r"GESCHICHTE", r"Geschichte", r"\bExportiere\b", r"ausgewählte Elemente",
          r"(?<!der )Website anzeigen"]  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


def _transliterationen() -> set[str]:
    """Every German word with an umlaut or ß that the portal says (its catalogue's msgids),
    written the ASCII way (ä → ae, ß → ss): such a spelling on a page is a label that was
    typed without its umlaut, e.g. "Beschaeftigung", "Zurueckgefordert"."""
    text = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    quellen = " ".join(re.findall(r'^msgid "(.*)"$', text, re.M))
    tabelle = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                             "ß": "ss"})  # fmt: skip
    woerter = set(re.findall(r"\w*[äöüÄÖÜß]\w*", quellen))
    return {w.translate(tabelle) for w in woerter} - {"ss"}


def _funde(text: str) -> list[str]:
    funde = [muster for muster in FALSCH if re.search(muster, text)]
    for wort in [*ENGLISCH, *_WOERTER]:
        if re.search(rf"(?<![\w-]){re.escape(wort)}(?![\w-])", text):
            funde.append(wort)
    return funde


_WOERTER = sorted(_transliterationen())


def _sichtbarer_text(html: str) -> str:
    """What a person reads: no scripts, styles, tags, attribute values or SVG sprites."""
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    # Labels people read inside attributes: aria-label, title, placeholder, value of buttons.
    lesbar = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html)
    lesbar += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    text = re.sub(r"(?s)<[^>]+>", " ", html)
    return " ".join([text, *lesbar])


@pytest.fixture
def daten(staff):
    pb = staff
    antrag = entscheidungsreif(submitted_antrag(titel="Spielplatzfest"), pb)
    fonds_bewilligen(antrag, Decimal("100.00"), pb)
    zentral = submitted_antrag(titel="Stadtteilzeitung", finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=zentral.pk).update(
        status=Status.BEWILLIGT, bewilligter_betrag=Decimal("500.00")
    )
    Auszahlung.objects.create(
        antrag=zentral, betrag=Decimal("100.00"), datum=date(2026, 6, 1), referenz="K-1",
        festgestellt_von=pb,
    )  # fmt: skip
    return antrag, zentral, antrag.projektkonferenzen.get()


def _seiten(antrag, zentral, konferenz):
    pfade = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        pfade.append(f"/admin/{meta.app_label}/{meta.model_name}/")
        pfade.append(f"/admin/{meta.app_label}/{meta.model_name}/add/")
    hj = antrag.haushaltsjahr
    pfade += [
        f"/admin/antraege/antrag/{antrag.pk}/change/",
        f"/admin/antraege/antrag/{zentral.pk}/change/",
        f"/admin/antraege/antrag/{antrag.pk}/history/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/tagesordnung/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/",
        f"/admin/antraege/haushaltsjahr/{hj.pk}/change/",
        "/admin/antraege/haushaltsjahr/uebersicht/",
        "/admin/antraege/haushaltsjahr/bericht/",
        "/admin/antraege/antrag/export/",
        "/admin/antraege/antrag/papier/",
        f"/admin/quartiere/aktionsraum/{Aktionsraum.objects.get(slug='hoerde').pk}/change/",
    ]
    return pfade


def test_every_staff_page_is_in_german(staff_client, daten):
    gefunden = {}
    for pfad in _seiten(*daten):
        antwort = staff_client.get(pfad)
        if antwort.status_code in (302, 403, 404, 405):
            continue
        assert antwort.status_code == 200, pfad
        funde = _funde(_sichtbarer_text(antwort.content.decode()))
        if funde:
            gefunden[pfad] = sorted(set(funde))
    assert gefunden == {}, "\n".join(f"{k}: {v}" for k, v in gefunden.items())


def test_the_history_writes_values_as_the_pages_do(staff_client, daten):
    antrag, *_ = daten
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/history/").content.decode()
    text = _sichtbarer_text(html)
    assert "None" not in text
    assert "100,00\xa0€" in text and "1. August 2027" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # no ISO dates
    assert not re.search(r"\b\d+\.\d{2}\b", text)  # no 100.00
    assert "in_pruefung" not in text and "bewilligter_betrag" not in text


# Money in every staff input as people write it: "226.000,00", never "226000.00" or "12000,00".
def _eingabewerte(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))


def test_money_inputs_are_written_in_german(staff_client, daten):
    antrag, zentral, _konferenz = daten
    hj = antrag.haushaltsjahr
    werte = _eingabewerte(
        staff_client.get(f"/admin/antraege/haushaltsjahr/{hj.pk}/change/").content.decode()
    )
    assert werte["gesamtbudget"] == "226.000,00"
    fonds = [v for k, v in werte.items() if k.startswith("fonds") and k.endswith("-betrag")]
    assert fonds and set(fonds) == {"5.000,00"}
    Antrag.objects.filter(pk=zentral.pk).update(
        status=Status.ENTSCHEIDUNGSREIF, beantragter_betrag=Decimal("12000.00")
    )
    werte = _eingabewerte(
        staff_client.get(f"/admin/antraege/antrag/{zentral.pk}/change/").content.decode()
    )
    assert werte["betrag"] == "12.000,00"


def _export_texte(staff_client) -> dict[str, str]:
    """Every download staff make, as text: the Antrag export (CSV and Excel), the budget
    overview and the yearly report."""
    from antraege.exports import AntragResource

    felder = {f"antragresource_{name}": "on" for name in AntragResource._meta.fields}
    texte = {}
    for fmt, name in (("0", "antraege.csv"), ("1", "antraege.xlsx")):
        antwort = staff_client.post(
            "/admin/antraege/antrag/export/", {"format": fmt, "resource": "0", **felder}
        )
        assert antwort.status_code == 200, name
        if fmt == "0":
            texte[name] = antwort.content.decode("utf-8-sig")
        else:
            blatt = openpyxl.load_workbook(io.BytesIO(antwort.content)).active
            texte[name] = " ".join(_zelle(c.value) for row in blatt.iter_rows() for c in row)
    for pfad in ("uebersicht/csv/", "uebersicht/xlsx/", "bericht/csv/"):
        antwort = staff_client.get(f"/admin/antraege/haushaltsjahr/{pfad}")
        assert antwort.status_code == 200, pfad
        if pfad.endswith("xlsx/"):
            blatt = openpyxl.load_workbook(io.BytesIO(antwort.content)).active
            texte[pfad] = " ".join(_zelle(c.value) for row in blatt.iter_rows() for c in row)
        else:
            texte[pfad] = antwort.content.decode("utf-8-sig")
    return texte


def test_every_export_is_in_german(staff_client, daten):
    texte = _export_texte(staff_client)
    gefunden = {name: _funde(text.replace(";", " ")) for name, text in texte.items()}
    assert {k: v for k, v in gefunden.items() if v} == {}
    # The Antrag export's header row names its columns as the pages do.
    kopf = texte["antraege.csv"].splitlines()[0]
    for spalte in ("Ziel: Beschäftigung fördern", "Zurückgefordert", "Zurückerhalten"):
        assert spalte.split(":")[0] in kopf, spalte


def _zelle(wert) -> str:
    return "" if wert is None else str(wert)  # an empty cell is no word


def test_the_payout_amount_is_written_in_german(staff_client, staff):
    from .factories import zentral_bewilligt

    antrag = zentral_bewilligt(staff, betrag="12000.00")
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'id="id_auszahlung_betrag" name="betrag" inputmode="decimal" value="12.000,00"' in html


def test_a_refused_payout_names_its_field_and_links_to_it(staff_client, staff):
    """Issue 36 point 5: not "Dieses Feld ist zwingend erforderlich." at the top."""
    from .factories import zentral_bewilligt

    antrag = zentral_bewilligt(staff, betrag="1000.00")
    seite = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/auszahlung/",
        {"betrag": "300,00", "datum": "01.06.2027", "referenz": ""},
        follow=True,
    ).content.decode()
    assert (
        '<a href="#id_auszahlung_referenz">Buchungsreferenz: Bitte geben Sie eine '
        "Buchungsreferenz an (z. B. Kassenzeichen).</a>" in seite
    )
    assert 'id="id_auszahlung_referenz"' in seite  # the link leads to a field on the page
    assert "zwingend erforderlich" not in seite


@pytest.mark.parametrize(
    "pfad, falsch, erwartet",
    [
        (
            "/admin/antraege/projektkonferenz/add/",
            {"teilnahmen-TOTAL_FORMS": "0", "teilnahmen-INITIAL_FORMS": "0"},
            ['<a href="#id_aktionsraum">Aktionsraum: ', '<a href="#id_datum">Datum: '],
        ),
        (
            "/admin/antraege/haushaltsjahr/add/",
            {"jahr": "", "gesamtbudget": "viel", "fonds-TOTAL_FORMS": "0",
             "fonds-INITIAL_FORMS": "0"},
            ['<a href="#id_jahr">', '<a href="#id_gesamtbudget">'],
        ),
    ],
    ids=["projektkonferenz", "haushaltsjahr"],
)  # fmt: skip
def test_a_refused_change_form_lists_each_error_with_a_link(staff_client, pfad, falsch, erwartet):
    html = staff_client.post(pfad, falsch).content.decode()
    assert 'class="errornote fehler-zusammenfassung"' in html
    for link in erwartet:
        assert link in html, link
