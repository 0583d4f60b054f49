"""The Projektbüro fills a district page as a person does in the admin: key figures from a CSV
file (a bad file is refused with its row named), the outline as a GeoJSON file in the city's
EPSG:25832, and a PDF; the public page then shows them. Figures synthetic, for the test only."""

import json

import pytest
from pyproj import Transformer

from tests.factories import PDF_BYTES, projektbuero_user

from ..test_quartiere_karte import QUADRAT
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

KOPF = "Kennzahl;Einheit;Quelle;Jahr;Aktionsraum;Wert;Dortmund\n"


def importieren(page, datei):
    page.goto("/admin/quartiere/kennzahl/")
    page.get_by_role("link", name="Importieren").click()
    page.get_by_label("Zu importierende Datei").set_input_files(str(datei))
    page.get_by_label("Dateiformat").select_option(label="csv")
    page.get_by_role("button", name="Absenden").click()


@pytest.mark.pdf_ansicht
def test_the_projektbuero_fills_a_district_page(new_page, output_dir, tmp_path):
    staff = projektbuero_user()
    j = Journey(new_page(), "seiteninhalte", output_dir)
    j.anmelden(staff.username)
    page = j.page

    schlecht = tmp_path / "schlecht.csv"
    schlecht.write_text(KOPF + "Testanteil;%;Testdaten (synthetisch);2024;Atlantis;12,5;18\n")
    importieren(page, schlecht)
    page.get_by_text("Einen Aktionsraum „Atlantis“ gibt es nicht").wait_for()
    assert page.get_by_role("button", name="Import bestätigen").count() == 0
    j.foto("import-abgelehnt")

    gut = tmp_path / "kennzahlen.csv"
    gut.write_text(KOPF + "Testanteil;%;Testdaten (synthetisch);2024;hoerde;12,5;18\n")
    importieren(page, gut)
    j.foto("import-vorschau")
    page.get_by_role("button", name="Import bestätigen").click()
    j.meldung("Import abgeschlossen: 1 Werte neu")

    hin = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    umriss = tmp_path / "hoerde.geojson"
    ring = [list(hin.transform(x, y)) for x, y in QUADRAT]
    geometrie = {"type": "Polygon", "coordinates": [ring]}
    umriss.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": geometrie}))
    page.goto("/admin/quartiere/aktionsraum/")
    page.locator("#result_list").get_by_role("link", name="Hörde", exact=True).click()
    page.get_by_label("Umriss hochladen (GeoJSON)").set_input_files(str(umriss))
    page.get_by_label("Koordinatensystem der Datei").select_option(value="EPSG:25832")
    page.get_by_role("button", name="Sichern", exact=True).click()
    j.meldung("wurde erfolgreich geändert")

    pdf = tmp_path / "karte.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.goto("/admin/quartiere/dokument/add/")
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.get_by_label("Titel").fill("Karte des Aktionsraums")
    page.get_by_label("Jahr").fill("2025")
    page.get_by_label("Datei (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Sichern", exact=True).click()
    j.meldung("wurde erfolgreich hinzugefügt")

    page.goto("/aktionsraeume/hoerde/")
    j.foto("seite")
    tabelle = page.locator("table.kennzahlen")
    assert "12,5 %" in tabelle.inner_text() and "18 %" in tabelle.inner_text()
    assert page.locator(".karte-svg path").count() == 1
    page.get_by_role("link", name="Karte des Aktionsraums (2025)").click()
    page.wait_for_url("**/dokumente/*/v1/karte-des-aktionsraums.pdf")
