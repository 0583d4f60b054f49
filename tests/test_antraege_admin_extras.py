"""Paper applications, exports without formula injection, change history, yearly report."""

import io
from decimal import Decimal

import openpyxl
import pytest

from antraege.exports import neutralisieren
from antraege.models import Antrag, Eingang, Status
from antraege.services import budget

from .factories import antrag_post_data, fonds_bewilligen, submitted_antrag

pytestmark = pytest.mark.django_db


def test_a_paper_application_is_entered_under_the_same_rules(staff_client, staff):
    url = "/admin/antraege/antrag/papier/"
    response = staff_client.post(url, antrag_post_data(beantragter_betrag="999,00"))
    assert "ergibt sich jetzt ein beantragter Betrag von 350,00 €" in response.content.decode()
    assert not Antrag.objects.exists()
    response = staff_client.post(url, antrag_post_data(), follow=True)
    antrag = Antrag.objects.get()
    assert f"Papierantrag erfasst: {antrag.aktenzeichen}" in response.content.decode()
    assert (antrag.eingang, antrag.erfasst_von) == (Eingang.PAPIER, staff)
    assert antrag.verlauf.get().user == staff


def test_the_add_button_leads_to_the_paper_form(staff_client):
    response = staff_client.get("/admin/antraege/antrag/add/")
    assert response.status_code == 302 and response["Location"].endswith("/antrag/papier/")


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tA", "\rB"])
def test_formula_like_text_is_neutralised(text):
    assert neutralisieren(text) == "'" + text


@pytest.mark.parametrize(
    "text, erwartet",
    [
        ('Fest;=HYPERLINK("http://evil")', 'Fest;\'=HYPERLINK("http://evil")'),
        ("a, +1+1", "a, '+1+1"),
        ("Zeile\n@SUM(A1)", "Zeile\n'@SUM(A1)"),
        ("x|-2+3", "x|'-2+3"),
        ("Spalte\t=1", "Spalte\t'=1"),
        ("  =1+1", "'  =1+1"),
        ("=A1;=A2", "'=A1;'=A2"),
    ],
)
def test_formula_characters_after_separators_are_neutralised_too(text, erwartet):
    assert neutralisieren(text) == erwartet


def test_plain_text_and_numbers_stay_as_they_are():
    assert neutralisieren("Sommerfest") == "Sommerfest"
    assert neutralisieren("Miete, Saal; Getränke") == "Miete, Saal; Getränke"
    assert neutralisieren("Bergstraße 1-3") == "Bergstraße 1-3"
    assert neutralisieren(Decimal("-5")) == Decimal("-5")


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_antrag_export_neutralises_formulas_in_csv_and_xlsx(staff_client, fmt):
    submitted_antrag(titel='=HYPERLINK("http://evil")', organisation="@SUM(1)")
    from antraege.exports import AntragResource

    fields = {f"antragresource_{name}": "on" for name in AntragResource._meta.fields}
    response = staff_client.post(
        "/admin/antraege/antrag/export/", {"format": fmt, "resource": "0", **fields}
    )
    assert response.status_code == 200
    if fmt == "0":
        text = response.content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        assert '\'=HYPERLINK("http://evil")' in values and "'@SUM(1)" in values
        assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_budget_overview_downloads(staff_client, fmt):
    response = staff_client.get(f"/admin/antraege/haushaltsjahr/uebersicht/{fmt}/")
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "Zentrales Projektbudget" in text and '"161000,00"' in text


def test_yearly_report_per_area_and_goal(staff_client, staff):
    antrag = submitted_antrag(beantragter_betrag=Decimal("300.00"), ziel_eltern_kinder=True)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(antrag, Decimal("300.00"), by=staff)
    html = staff_client.get("/admin/antraege/haushaltsjahr/bericht/").content.decode()
    assert "Hörde" in html and "Eltern und Kinder im Quartier stärken" in html
    assert "300,00\xa0€" in html
    csv = staff_client.get("/admin/antraege/haushaltsjahr/bericht/csv/").content.decode("utf-8-sig")
    # Two goals: counted under each, and once in the area's total.
    assert csv.count('"Hörde"') == 3 and '"Hörde";"alle Ziele";"1";"1"' in csv


def test_every_change_of_an_antrag_is_in_its_history(staff_client, staff):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    staff_client.post(f"/admin/antraege/antrag/{antrag.pk}/schritt/", {"nach": "in_pruefung"})
    history = list(Antrag.objects.get(pk=antrag.pk).history.order_by("history_date"))
    assert [h.status for h in history] == ["eingereicht", "in_pruefung"]
    assert history[-1].history_user == staff
    assert not hasattr(history[-1], "status_token_hash")
    assert not hasattr(history[-1], "status_token_salt")  # the secret link never goes into history
    page = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/history/")
    assert page.status_code == 200


def test_changing_a_budget_year_is_in_its_history(staff_client):

    hj = budget.haushaltsjahr_fuer(jahr=2030)
    hj.gesamtbudget = Decimal("230000.00")
    hj.save()
    assert [h.gesamtbudget for h in hj.history.order_by("history_date")] == [
        Decimal("226000.00"),
        Decimal("230000.00"),
    ]


@pytest.mark.parametrize("jahr", ["²", "٢٠٢٦", "2026\x00", "9" * 40, "-2026", "abc"])
@pytest.mark.parametrize("seite", ["uebersicht/", "uebersicht/csv/", "bericht/", "bericht/csv/"])
def test_a_malformed_year_shows_the_current_one(staff_client, seite, jahr):
    from django.utils import timezone

    antwort = staff_client.get(f"/admin/antraege/haushaltsjahr/{seite}", {"jahr": jahr})
    assert antwort.status_code == 200
    if not seite.endswith("csv/"):
        assert str(timezone.localdate().year) in antwort.content.decode()
