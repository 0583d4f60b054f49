"""German at the root, English under /en/: complete, compiled, and nothing left untranslated."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


def po_entries(path):
    """(msgid, [msgstr...], fuzzy) for every entry but the header."""
    entries = []
    for block in path.read_text().split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not text:
            continue
        strs = [
            "".join(re.findall(r'"(.*)"', m))
            for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        ]
        entries.append((text, strs, "#, fuzzy" in block or ", fuzzy" in block))
    return entries


def untranslated(path):
    return [msgid for msgid, strs, fuzzy in po_entries(path) if fuzzy or not all(strs)]


def test_english_catalogue_is_complete():
    entries = po_entries(PO)
    assert len(entries) > 300
    assert untranslated(PO) == []


# Reads the source, no database: once, in the SQLite run.
@pytest.mark.sqlite_lauf
@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext not installed")
def test_catalogue_has_every_msgid_of_the_code(tmp_path):
    """Extracts the messages afresh: a new string without translation fails here."""
    for name in ["manage.py", "aktionsplan", "quartiere", "antraege", "templates", "locale"]:
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        check=True,
    )
    fresh = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert untranslated(fresh) == []


class VisibleText(HTMLParser):
    """Collects the text a reader sees, leaving out parts marked lang="de"."""

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "meta", "link", "hr"}:
            return
        self.stack.append(tag == "script" or tag == "style" or dict(attrs).get("lang") == "de")

    def handle_endtag(self, tag):
        if self.stack and tag not in {"br", "img", "input", "meta", "link", "hr"}:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


GERMAN_WORDS = re.compile(r"\b(und|oder|der|die|das|nicht|Sie|Ihr|Ihre|für|mit|wird|werden|ist)\b")


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/aktionsraeume/",
        "/en/aktionsraeume/hoerde/",
        "/en/aktionsraeume/wickede/",
        "/en/antrag/",
        "/en/impressum/",
        "/en/datenschutz/",
        "/en/barrierefreiheit/",
        "/en/leichte-sprache/",
        "/en/antrag/offene-daten/",
        "/en/gibt-es-nicht/",
    ],
)
def test_english_pages_contain_no_german_sentences(client, path):
    parser = VisibleText()
    parser.feed(client.get(path).content.decode())
    text = " ".join(" ".join(parser.text).split())
    # The Deutsch button in the language switch is German on purpose (lang="de").
    assert not GERMAN_WORDS.findall(text), GERMAN_WORDS.findall(text)


def test_english_form_errors_are_english(client):
    from .factories import antrag_post_data

    html = client.post("/en/antrag/", antrag_post_data(beantragter_betrag="1")).content.decode()
    assert "Your figures now give an amount requested of 350.00\xa0€." in html
    assert "Beantragter Betrag" not in html


def test_english_applicant_pages_contain_no_german_sentences(client):
    """The applicant's pages behind the status link in English, at the stages where they say
    the most: received, a question open (and its answer page), paid out (with the Nachweis form
    and its check page), and the pages for a lost link and withdrawing."""
    from decimal import Decimal

    from antraege.models import Status
    from antraege.services import workflow

    from .factories import (
        auszahlen,
        nachweis_post,
        projektbuero_user,
        submitted_antrag,
        token,
        zentral_bewilligt,
    )

    staff = projektbuero_user()
    neu = submitted_antrag(sprache="en")
    frage = submitted_antrag(sprache="en", titel="Frage")
    workflow.antrag_status_setzen(antrag=frage, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(
        antrag=frage, nach=Status.RUECKFRAGE, by=staff, kommentar="What is the hall for?"
    )
    bezahlt = zentral_bewilligt(staff, betrag="500.00")
    auszahlen(bezahlt, "300.00", staff)
    seiten = [
        f"/en/antrag/status/{token(neu)}/",
        f"/en/antrag/status/{token(neu)}/zurueckziehen/",
        f"/en/antrag/status/{token(frage)}/",
        f"/en/antrag/status/{token(frage)}/antworten/",
        f"/en/antrag/status/{token(bezahlt)}/",
        f"/en/antrag/status/{token(bezahlt)}/nachweis/",
        "/en/antrag/start/?aktionsraum=hoerde",
        "/en/antrag/statuslink/",
    ]
    texte = {}
    for pfad in seiten:
        antwort = client.get(pfad)
        assert antwort.status_code == 200, pfad
        texte[pfad] = antwort.content.decode()
    pruefen = client.post(
        f"/en/antrag/status/{token(bezahlt)}/nachweis/",
        nachweis_post(bezahlt, "250.00") | {"pruefen": "1"},
    )
    texte["nachweis-pruefen"] = pruefen.content.decode()
    assert Decimal("500.00") == bezahlt.bewilligter_betrag
    for pfad, html in texte.items():
        parser = VisibleText()
        parser.feed(html)
        text = " ".join(" ".join(parser.text).split())
        # Titles and texts applicants and staff typed stay as typed (here: "Beispielprojekt").
        assert not GERMAN_WORDS.findall(text), (pfad, GERMAN_WORDS.findall(text))


def test_every_step_of_the_english_form_and_its_check_page_contain_no_german_sentences(client):
    """Each of the six steps (reached by "Change" from the check page) and the check page
    itself, in English. The values typed stay as typed (the factory's German sample texts are
    carried in hidden fields, which are not visible text)."""
    from .factories import antrag_post_data

    daten = antrag_post_data()
    daten.pop("absenden")
    for key in ("eigenmittel", "eigenleistung", "drittmittel", "beantragter_betrag"):
        daten[key] = daten[key].replace(",", ".")
    for key in [k for k in daten if k.endswith("-betrag")]:
        daten[key] = daten[key].replace(",", ".")
    texte = {"pruefen": client.post("/en/antrag/", daten | {"pruefen": "1"}).content.decode()}
    assert "Please check your answers" in texte["pruefen"]
    for schritt in ["projekt", "ziele", "termin", "kosten", "antragsteller", "anlagen"]:
        html = client.post("/en/antrag/", daten | {"aendern": schritt}).content.decode()
        assert f'id="schritt-{schritt}"' in html
        texte[schritt] = html
    for name, html in texte.items():
        parser = VisibleText()
        parser.feed(html)
        text = " ".join(" ".join(parser.text).split())
        sichtbar = text
        for typed in [
            "Nachbarschaftsfest am Marktplatz",
            "Ein Fest für alle Nachbarinnen und Nachbarn.",
            "Familien im Quartier",
            "Marktplatz",
            "Beispielverein e. V.",
            "Erika Beispiel",
            "Beispielstraße 1",
            "Miete Saal",
            "Material",
        ]:
            sichtbar = sichtbar.replace(typed, "")
        assert not GERMAN_WORDS.findall(sichtbar), (name, GERMAN_WORDS.findall(sichtbar))
