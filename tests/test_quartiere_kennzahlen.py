"""Key figures imported by staff from CSV or XLSX in the admin (django-import-export): a good file
goes in after the preview, a file with one bad row is refused whole with the row named, and the
district page shows the latest figures with year, source and the city's value, as a table and
a small SVG chart. The figures here are synthetic, made up for the tests only."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from aktionsplan.kern import seitencache
from quartiere.models import Aktionsraum, Dokument, Kennzahl, Kennzahlwert

pytestmark = pytest.mark.django_db

KOPF = "Kennzahl;Einheit;Quelle;Jahr;Aktionsraum;Wert;Dortmund\n"
QUELLE = "Testdaten (synthetisch)"
GUT = KOPF + (
    f"Testkennzahl A;%;{QUELLE};2024;hoerde;23,4;18,0\n"
    f"Testkennzahl A;%;{QUELLE};2024;Marten;12,5;18,0\n"
    f"Testkennzahl B;Personen;{QUELLE};2024;hoerde;1.234;\n"
)


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero"))
    return client


def _hidden(html):
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def importieren(staff_client, inhalt: bytes, name="kennzahlen.csv", format_="0"):
    """The admin's two steps: upload and preview, then confirm (if offered)."""
    vorschau = staff_client.post(
        "/admin/quartiere/kennzahl/import/",
        {"resource": "0", "format": format_, "import_file": SimpleUploadedFile(name, inhalt)},
    )
    html = vorschau.content.decode()
    assert vorschau.status_code == 200
    if 'action="/admin/quartiere/kennzahl/process_import/"' not in html:
        return html, None
    felder = _hidden(html.split('action="/admin/quartiere/kennzahl/process_import/"')[1])
    bestaetigt = staff_client.post("/admin/quartiere/kennzahl/process_import/", felder)
    return html, bestaetigt


def test_a_good_csv_is_imported_after_the_preview(staff_client):
    _vorschau, bestaetigt = importieren(staff_client, GUT.encode())
    assert bestaetigt.status_code == 302
    a = Kennzahl.objects.get(name="Testkennzahl A", jahr=2024)
    assert (a.einheit, a.quelle, a.wert_dortmund) == ("%", QUELLE, Decimal("18.00"))
    werte = {(w.kennzahl.name, w.aktionsraum.slug): w.wert for w in Kennzahlwert.objects.all()}
    assert werte == {
        ("Testkennzahl A", "hoerde"): Decimal("23.40"),
        ("Testkennzahl A", "marten"): Decimal("12.50"),
        ("Testkennzahl B", "hoerde"): Decimal("1234.00"),
    }
    assert Kennzahl.objects.get(name="Testkennzahl B").wert_dortmund is None


def test_a_good_xlsx_is_imported(staff_client):
    mappe = Workbook()
    blatt = mappe.active
    blatt.append(KOPF.strip().split(";"))
    blatt.append(["Testkennzahl X", "%", QUELLE, 2023, "Hörde", 7.5, 9])
    puffer = io.BytesIO()
    mappe.save(puffer)
    _vorschau, bestaetigt = importieren(staff_client, puffer.getvalue(), "k.xlsx", format_="1")
    assert bestaetigt.status_code == 302
    assert Kennzahlwert.objects.get().wert == Decimal("7.50")


@pytest.mark.parametrize(
    ("zeile", "meldung"),
    [
        (f"Testkennzahl A;%;{QUELLE};2024;Atlantis;1;2", "Aktionsraum „Atlantis“ gibt es nicht"),
        (f"Testkennzahl A;%;{QUELLE};2024;hoerde;viel;2", "„viel“ in der Spalte „Wert“ ist kein"),
        (f"Testkennzahl A;%;{QUELLE};zwanzig;hoerde;1;2", "in der Spalte „Jahr“ ist keine Zahl"),
        ("Testkennzahl A;%;;2024;hoerde;1;2", "Die Spalte „Quelle“ ist leer"),
        (f"Testkennzahl A;‰;{QUELLE};2024;westerfilde;1;18,0", "anderer Einheit"),
        (f"Testkennzahl A;%;{QUELLE};2024;hoerde;5;18,0", "steht zweimal in der Datei"),
    ],
)  # fmt: skip
def test_one_bad_row_refuses_the_whole_file_and_keeps_what_was_there(staff_client, zeile, meldung):
    importieren(staff_client, GUT.encode())
    vorher = list(Kennzahlwert.objects.values_list("kennzahl__name", "aktionsraum__slug", "wert"))
    neu = KOPF + f"Testkennzahl C;%;{QUELLE};2025;hoerde;1;2\n" + GUT.split("\n", 1)[1] + zeile
    html, bestaetigt = importieren(staff_client, neu.encode())
    assert bestaetigt is None  # no confirm button: nothing can be imported
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # The report's table: row 5 (of the data) with its message.
    assert "Zeile Fehler" in text
    assert re.search(rf" 5 \d+ Nicht feldspezifisch [^<]*{re.escape(meldung)}", text), text[-800:]
    assert not Kennzahl.objects.filter(name="Testkennzahl C").exists()
    nachher = list(Kennzahlwert.objects.values_list("kennzahl__name", "aktionsraum__slug", "wert"))
    assert nachher == vorher


def test_a_file_without_the_columns_is_refused(staff_client):
    html, bestaetigt = importieren(staff_client, b"Name;Zahl\nx;1\n")
    assert bestaetigt is None and not Kennzahl.objects.exists()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Kennzahl, Aktionsraum" in text, text[-600:]


def test_the_district_page_shows_the_latest_figures_with_source_and_the_city():
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    alt = Kennzahl.objects.create(name="Testanteil", einheit="%", quelle=QUELLE, jahr=2022,
                                  wert_dortmund=Decimal("17"))  # fmt: skip
    neu = Kennzahl.objects.create(name="Testanteil", einheit="%", quelle=QUELLE, jahr=2024,
                                  wert_dortmund=Decimal("18"))  # fmt: skip
    Kennzahlwert.objects.create(kennzahl=alt, aktionsraum=hoerde, wert=Decimal("30"))
    Kennzahlwert.objects.create(kennzahl=neu, aktionsraum=hoerde, wert=Decimal("36"))
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    tabelle = re.search(r'<table class="kern-table kennzahlen">.*?</table>', html, re.S).group(0)
    assert "36 %" in tabelle and "18 %" in tabelle and f"2024, {QUELLE}" in tabelle
    assert "30 %" not in tabelle  # only the latest year
    assert 'aria-label="Hörde: 36 %, Dortmund: 18 %"' in tabelle
    assert 'class="balken-gebiet" x="0" y="2" height="11" width="118.0"' in tabelle
    assert 'class="balken-stadt" x="0" y="17" height="11" width="59.0"' in tabelle


def test_without_figures_the_page_says_none_are_published_yet():
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert "Für diesen Aktionsraum sind noch keine Kennzahlen veröffentlicht." in html


def _abfragen(url):
    seitencache.neu_gestartet()
    with CaptureQueriesContext(connection) as abfragen:
        assert Client().get(url).status_code == 200
    return len(abfragen.captured_queries)


def test_query_counts_stay_bounded_with_50_figures_and_20_documents_for_each_area():
    leer = {url: _abfragen(url) for url in ["/", "/aktionsraeume/hoerde/"]}
    areas = list(Aktionsraum.objects.all())
    kennzahlen = Kennzahl.objects.bulk_create(
        Kennzahl(name=f"Test {i}", einheit="%", quelle=QUELLE, jahr=2024, wert_dortmund=10)
        for i in range(50)
    )
    Kennzahlwert.objects.bulk_create(
        Kennzahlwert(kennzahl=k, aktionsraum=a, wert=i) for i, k in enumerate(kennzahlen)
        for a in areas
    )  # fmt: skip
    Dokument.objects.bulk_create(
        Dokument(aktionsraum=a, titel=f"Dokument {i}", jahr=2024, datei=f"dokumente/{i}.pdf",
                 groesse=1000)
        for i in range(20) for a in areas
    )  # fmt: skip
    voll = {url: _abfragen(url) for url in ["/", "/aktionsraeume/hoerde/"]}
    assert voll == leer
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert html.count('class="balken"') == 50 and html.count("/dokumente/") == 20


def xlsx(zeilen, spalten=None) -> bytes:
    mappe = Workbook(write_only=True)
    blatt = mappe.create_sheet()
    blatt.append(KOPF.strip().split(";") + (spalten or []))
    for _nummer in range(zeilen):
        blatt.append(["Testkennzahl Z", "%", QUELLE, 2024, "Hörde", 1, 9])
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def test_a_file_with_too_many_rows_is_refused_before_it_is_read_whole(staff_client):
    from quartiere.admin import KENNZAHLEN_MAX_ZEILEN

    inhalt = xlsx(20_000)
    assert len(inhalt) < 1024 * 1024  # small on the wire, large once read
    html, bestaetigt = importieren(staff_client, inhalt, "viele.xlsx", format_="1")
    assert bestaetigt is None
    assert f"Die Datei hat mehr als {KENNZAHLEN_MAX_ZEILEN} Zeilen" in html
    assert not Kennzahlwert.objects.exists()
    csv = KOPF + f"Testkennzahl A;%;{QUELLE};2024;hoerde;1;1\n" * (KENNZAHLEN_MAX_ZEILEN + 1)
    html, bestaetigt = importieren(staff_client, csv.encode())
    assert bestaetigt is None and "Zeilen. Bitte teilen Sie sie" in html


def test_a_sheet_that_unpacks_to_far_more_than_it_weighs_is_refused(staff_client):
    import zipfile

    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        archiv.writestr("xl/worksheets/sheet1.xml", "<c/>" * 10_000_000)
    html, bestaetigt = importieren(staff_client, puffer.getvalue(), "bombe.xlsx", format_="1")
    assert bestaetigt is None and "Die Datei hat mehr als" in html


def test_a_large_file_and_an_unreadable_one_are_refused_in_german(staff_client):
    html, bestaetigt = importieren(staff_client, b"x" * (2 * 1024 * 1024 + 1), "gross.csv")
    assert bestaetigt is None and "Die Datei ist größer als 2,0" in html
    html, bestaetigt = importieren(staff_client, b"kein zip", "kaputt.xlsx", format_="1")
    assert bestaetigt is None and "keine gültige XLSX-Datei" in html


@pytest.mark.parametrize("rolle", ["Aktionsraumbeauftragte", "Lesezugriff", "ohne Gruppe"])
def test_only_accounts_that_may_change_figures_may_import_them(client, rolle):
    from django.contrib.auth.models import Permission

    from antraege.rollen import rollen_anlegen
    from tests.factories import rollen_user

    rollen_anlegen()
    if rolle == "ohne Gruppe":
        user = User.objects.create_user("nur-ansehen", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_kennzahl"))
    else:
        user = rollen_user("jemand", rolle)
    client.force_login(user)
    antwort = client.post(
        "/admin/quartiere/kennzahl/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("k.csv", GUT.encode())},
    )
    assert antwort.status_code == 403
    assert not Kennzahlwert.objects.exists()


def test_the_projektbuero_role_may_import(client):
    from antraege.rollen import PROJEKTBUERO
    from tests.factories import rollen_user

    client.force_login(rollen_user("pb", PROJEKTBUERO))
    _vorschau, bestaetigt = importieren(client, GUT.encode())
    assert bestaetigt.status_code == 302 and Kennzahlwert.objects.count() == 3
