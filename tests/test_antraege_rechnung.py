"""The form does the arithmetic (issue 16, point 1): the requested amount is computed by the
service, the page shows the sums after every round trip, money fields start empty and
amounts come back in the page's notation, also when correcting."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from antraege.forms.felder import EuroInput, euro_lesen
from antraege.models import Antrag, Status
from antraege.services import einreichung

from .factories import antrag_post_data, submitted_antrag, token

pytestmark = pytest.mark.django_db


def test_the_service_computes_costs_less_own_money_work_and_other_funding():
    betrag = einreichung.beantragter_betrag_berechnen(
        kosten=[Decimal("1000.50"), Decimal("350.00")],
        eigenmittel=Decimal("100.00"),
        eigenleistung=Decimal("0.25"),
        drittmittel=Decimal("50"),
    )
    assert betrag == Decimal("1200.25") and isinstance(betrag, Decimal)


@pytest.mark.parametrize(
    "sprache, wert, gezeigt",
    [
        ("de", Decimal("1350.5"), "1.350,50"),
        ("de", "1350,5", "1.350,50"),
        ("de", "1.350,50 €", "1.350,50"),
        ("de", "1350.50", "1.350,50"),
        ("en", Decimal("1350.5"), "1,350.50"),
        ("en", "1350.5", "1,350.50"),
        ("de", "zwölf", "zwölf"),  # no amount: shown as typed, for the error beside it
        ("de", "1,005", "1,005"),  # three decimals are refused, so not rounded on the page
        ("de", Decimal("0"), None),  # a stored nothing is an empty field
        ("de", "", None),
    ],
)
def test_amounts_are_shown_in_the_pages_notation(sprache, wert, gezeigt):
    with translation.override(sprache):
        assert EuroInput().format_value(wert) == gezeigt


def test_reading_follows_the_pages_language():
    with translation.override("de"):
        assert euro_lesen("1.250") == Decimal("1250")
    with translation.override("en"):
        assert euro_lesen("1.250") == Decimal("1.250")
    assert euro_lesen("1e5") is None and euro_lesen("--1") is None


def test_the_empty_form_has_empty_money_fields_and_numbered_rows(client):
    html = client.post("/antrag/", {"aendern": "kosten"}).content.decode()
    assert 'id="schritt-kosten"' in html
    for name in ["eigenmittel", "eigenleistung", "drittmittel"]:
        feld = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "value=" not in feld
    assert "0.00" not in html and "0,00\xa0€" in html  # the sums start at nothing
    assert "Kostenposition 1" in html and "Kostenposition 2" in html
    assert 'id="kostenposition-2"' in html
    assert 'formaction="/antrag/#kostenposition-3"' in html
    assert "noch offen" in html


def test_a_round_trip_shows_the_servers_sums_and_keeps_the_values_in_german(client):
    data = antrag_post_data(
        kosten=(("Bühne", "1000,5"), ("Technik", "350")), eigenmittel="100", eigenleistung=""
    )
    data["kosten_hinzufuegen"] = "1"
    html = client.post("/antrag/", data).content.decode()
    assert 'value="1.000,50"' in html and 'value="350,00"' in html
    assert "Kostenposition 3" in html and 'formaction="/antrag/#kostenposition-4"' in html
    assert re.search(r'data-rechnung="gesamtkosten">1\.350,50\xa0€<', html)
    assert re.search(r'data-rechnung="eigenmittel">− 100,00\xa0€<', html)
    assert re.search(r'data-rechnung="beantragt"[^>]*>1\.250,50\xa0€<', html)
    assert 'id="id_beantragter_betrag" value="1.250,50"' in html
    assert "Bitte korrigieren" not in html
    assert not Antrag.objects.exists()


def test_english_round_trip_writes_english_amounts(client):
    data = antrag_post_data(kosten=(("Stage", "1,000.5"),), eigenmittel="", eigenleistung="")
    data["neu_berechnen"] = "1"
    html = client.post("/en/antrag/", data).content.decode()
    assert 'value="1,000.50"' in html
    assert re.search(r'data-rechnung="beantragt"[^>]*>1,000\.50\xa0€<', html)


def test_an_incomplete_row_leaves_the_amount_open_rather_than_guessing(client):
    data = antrag_post_data(kosten=(("Bühne", "viel"),))
    data["neu_berechnen"] = "1"
    html = client.post("/antrag/", data).content.decode()
    assert re.search(r'data-rechnung="beantragt"[^>]*>noch offen<', html)
    assert 'id="id_beantragter_betrag" value=""' in html


def test_the_correction_shows_the_stored_amounts_with_the_german_comma(client):
    antrag = submitted_antrag(
        kosten=[("Bühne", Decimal("1350.50"))], beantragter_betrag=Decimal("1350.50")
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.RUECKFRAGE)
    html = client.get(f"/antrag/status/{token(antrag)}/antworten/angaben/").content.decode()
    assert 'value="1.350,50"' in html
    feld = re.search(r'<input[^>]*name="eigenmittel"[^>]*>', html).group(0)
    assert "value=" not in feld
    assert re.search(r'data-rechnung="beantragt"[^>]*>1\.350,50\xa0€<', html)
