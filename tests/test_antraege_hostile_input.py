"""Hundreds of random and hostile payloads: never a 500, never an invalid Antrag stored."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antraege.forms.antrag import AntragForm
from antraege.models import Antrag

from .factories import antrag_post_data

# Only in the SQLite run (the status-link forms' payload tests run in the PostgreSQL run).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.sqlite_lauf,
    pytest.mark.usefixtures("ohne_vorlagen_aufzeichnung"),
]

# Every field of the form, plus the cost plan's management and row fields and the add-row button.
FIELDS = [
    *AntragForm.base_fields,
    "kosten-TOTAL_FORMS",
    "kosten-INITIAL_FORMS",
    "kosten-MAX_NUM_FORMS",
    "kosten-0-beschreibung",
    "kosten-0-betrag",
    "kosten-1-betrag",
    "kosten-2-betrag",
    "kosten_hinzufuegen",
]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
hostile = st.one_of(
    text,
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=5000, max_size=20000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "-1",
            "-0,01",
            "0",
            "1e309",
            "NaN",
            "Infinity",
            "9" * 40,
            "1.000.000.000,00",
            "12,345",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "2027-02-30",
            "0000-00-00",
            "99999-01-01",
            "DE00",
            "∞",
            "١٢٣",
            "𝟙𝟚𝟛",
            "../../etc/passwd",
            "%00",
            "on",
            "true",
            "fonds",
            "projektbudget",
            "9999999999",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.lists(text, max_size=3),
)
payload_changes = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(st.none(), hostile), max_size=8
)


def assert_stored_antrag_is_valid(antrag):
    antrag.full_clean()
    kosten = [k.betrag for k in antrag.kosten.all()]
    assert kosten and all(k > 0 for k in kosten)
    assert antrag.beantragter_betrag > 0
    assert antrag.beantragter_betrag == (
        sum(kosten, Decimal("0")) - antrag.eigenmittel - antrag.eigenleistung - antrag.drittmittel
    )
    if antrag.finanzierungsquelle == "fonds":
        assert antrag.beantragter_betrag <= Decimal("5000.00")
    assert antrag.ende >= antrag.beginn
    assert antrag.ziel_nachbarschaft or antrag.ziel_eltern_kinder or antrag.ziel_beschaeftigung


def wie_gelesen(data, name) -> str:
    """A field as the form reads it: of several values the last one, without control
    characters (every form drops them), stripped."""
    from aktionsplan.kern.eingaben import steuerzeichen_entfernen

    wert = data.get(name, "")
    if isinstance(wert, list):
        wert = wert[-1] if wert else ""
    return steuerzeichen_entfernen(str(wert)).strip()


@given(changes=payload_changes)
def test_hostile_payloads_never_crash_nor_store_invalid_antraege(client, changes):
    data = antrag_post_data()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    before = Antrag.objects.count()
    # The same address and title again is a repeat, not stored twice (test_antraege_missbrauch).
    wiederholung = Antrag.objects.filter(
        email__iexact=wie_gelesen(data, "email"), titel__iexact=wie_gelesen(data, "titel")
    ).exists()
    response = client.post("/antrag/", data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "Antrag" in response.content.decode()
        assert Antrag.objects.count() == before
    elif wiederholung:
        assert Antrag.objects.count() == before
    else:
        assert Antrag.objects.count() == before + 1
        assert_stored_antrag_is_valid(Antrag.objects.latest("pk"))
