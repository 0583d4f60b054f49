"""A district page with everything staff can fill in (texts, outline, documents, key figures)
and the home page's map: no axe violation, nothing scrolls sideways at 320 px, and a map area is
a link a person can click. The figures are synthetic, for the test only."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from quartiere.models import Aktionsraum, Dokument, Kennzahl, Kennzahlwert

from ..factories import PDF_BYTES
from ..test_quartiere_karte import QUADRAT
from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, bildschirmfoto

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.fixture
def alles_gefuellt():
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.einfuehrung = "Hörde liegt am Phoenix-See.\n\nMehr unter https://www.dortmund.de."
    hoerde.arbeit = "Die Beauftragte berät Initiativen und Vereine."
    hoerde.arbeit_en = "The commissioner advises initiatives and clubs."
    hoerde.umriss = {"type": "Polygon", "coordinates": [QUADRAT]}
    hoerde.save()
    for i in range(3):
        doc = Dokument(aktionsraum=hoerde, titel=f"Testdokument {i}", jahr=2025,
                       beschreibung="Beispiel", groesse=len(PDF_BYTES))  # fmt: skip
        doc.datei.save(f"test-{i}.pdf", ContentFile(PDF_BYTES))
    for i in range(5):
        k = Kennzahl.objects.create(name=f"Testkennzahl mit langem Namen {i}", einheit="%",
                                    quelle="Testdaten (synthetisch)", jahr=2024,
                                    wert_dortmund=Decimal("18.5") if i % 2 else None)  # fmt: skip
        Kennzahlwert.objects.create(kennzahl=k, aktionsraum=hoerde, wert=Decimal(10 + i))


@pytest.mark.usefixtures("alles_gefuellt")
@pytest.mark.parametrize("prefix", ["", "/en"], ids=["de", "en"])
def test_a_filled_district_page_passes_axe_and_fits_320_px(new_page, prefix, output_dir):
    for breite in (1280, 320):
        page = new_page(width=breite)
        page.goto(prefix + "/aktionsraeume/hoerde/")
        assert page.locator(".karte-svg a").count() == 13
        assert page.locator("table.kennzahlen tbody tr").count() == 5
        assert_no_axe_violations(page)
        assert_no_horizontal_scrolling(page)
        name = f"aktionsraum-gefuellt{prefix.replace('/', '-')}-{breite}.png"
        bildschirmfoto(page, output_dir / name)
        page.close()


@pytest.mark.pdf_ansicht
@pytest.mark.usefixtures("alles_gefuellt")
def test_an_area_on_the_home_page_map_leads_to_its_page(page):
    page.goto("/")
    page.locator(".karte-svg").get_by_role("link", name="Aktionsraum Marten").click()
    page.wait_for_url("**/aktionsraeume/marten/")
    page.goto("/")
    page.locator(".karte-svg").get_by_role("link", name="Aktionsraum Hörde").click()
    page.wait_for_url("**/aktionsraeume/hoerde/")
    page.get_by_role("link", name="Testdokument 1 (2025)").click()
    # The PDF opens in the browser: its lasting address led to the current version.
    page.wait_for_url("**/dokumente/*/v1/testdokument-1.pdf")
