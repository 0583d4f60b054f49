"""Office work in the browser: a paper application entered by staff, CSV and XLSX exports,
the budget overview and yearly report for a chosen year, and unlocking a locked-out account."""

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from antraege.models import Antrag, Eingang, Haushaltsjahr
from antraege.services import budget, workflow
from quartiere.models import Aktionsraum
from tests.factories import (
    beauftragte_user,
    entscheidungsreif,
    projektbuero_user,
    submitted_antrag,
)

from .helpers import write_pdf
from .journey import FEINDLICH, PASSWORT, Journey, budgetzeile, mails_an

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def feld(page, label):
    """A control by its admin label ("Titel des Projekts:"; a required * may follow)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?:?\s*$"))


@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_staff_enter_a_paper_application(new_page, output_dir, tmp_path, texte):
    staff = projektbuero_user()
    titel = "Spielplatzfest" if texte == "normal" else FEINDLICH[:150]
    j = Journey(new_page(), f"papierantrag-{texte}", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Anträge").click()
    page.get_by_role("link", name="Antrag hinzufügen").click()
    feld(page, "Aktionsraum").select_option(label="Hörde")
    page.get_by_label("Zentrales Projektbudget (größere Projekte)").check()
    feld(page, "Titel des Projekts").fill(titel)
    feld(page, "Beschreibung").fill(
        "Ein Fest auf dem Spielplatz." if texte == "normal" else FEINDLICH
    )
    page.get_by_label("Eltern und Kinder im Quartier stärken").check()
    feld(page, "Zielgruppe").fill("Familien")
    feld(page, "Erwartete Teilnehmende").fill("80")
    feld(page, "Ort der Durchführung").fill("Spielplatz")
    feld(page, "Beginn").fill("2027-06-01")
    feld(page, "Ende").fill("2027-06-01")
    page.get_by_label("Initiative", exact=True).check()
    feld(page, "Ansprechperson").fill("Erika Beispiel")
    feld(page, "Straße und Hausnummer").fill("Beispielstraße 1")
    feld(page, "Postleitzahl").fill("44263")
    feld(page, "E-Mail").fill("erika@example.org")
    feld(page, "Kontoinhaber/in").fill("Erika Beispiel")
    feld(page, "IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.locator("#id_kosten-0-beschreibung").fill("Hüpfburg")
    page.locator("#id_kosten-0-betrag").fill("6.000,00")
    feld(page, "Eigenmittel").fill("6.000,00")
    feld(page, "Anlagen (freiwillig)").set_input_files(str(write_pdf(tmp_path)))
    page.get_by_label("Die unterschriebene Einwilligung zum Datenschutzhinweis liegt").check()
    page.get_by_role("button", name="Papierantrag speichern").click()
    # Own money covering everything is named in German, on the same page; nothing is stored.
    page.locator("#fehler").get_by_text("decken die Gesamtkosten schon ganz").wait_for()
    j.foto("fehler")
    assert Antrag.objects.count() == 0
    feld(page, "Eigenmittel").fill("")
    # The page computes the amount asked for as staff type.
    rechnung = page.locator(".kostenrechnung")
    expect(rechnung.locator('[data-rechnung="beantragt"]')).to_have_text("6.000,00\u00a0€")
    feld(page, "Anlagen (freiwillig)").set_input_files(str(write_pdf(tmp_path)))
    page.get_by_role("button", name="Papierantrag speichern").click()
    meldung = j.meldung("Papierantrag erfasst")
    j.foto("erfasst")
    j.ohne_dialog()
    antrag = Antrag.objects.get()
    assert antrag.aktenzeichen in meldung
    assert antrag.eingang == Eingang.PAPIER and antrag.erfasst_von == staff
    assert antrag.titel == titel
    assert f"Ihr Antrag {antrag.aktenzeichen} ist eingegangen" in mails_an("erika@example.org")
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Start").click()
    assert (
        page.locator("table.aufgaben tr", has_text="Neue Anträge").get_by_role("link").inner_text()
        == "1"
    )


def test_the_antrag_list_exports_csv_and_xlsx(new_page, output_dir):
    staff = projektbuero_user()
    submitted_antrag(titel='=HYPERLINK("http://x")', beantragter_betrag=Decimal("1500.00"))
    submitted_antrag(titel="Lesecafé", beantragter_betrag=Decimal("80.00"))
    j = Journey(new_page(), "export", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Anträge").click()
    # Hostile text in the search field: shown as text, finds nothing, runs nothing.
    page.locator("#searchbar").fill(FEINDLICH)
    page.get_by_role("button", name="Suchen").click()
    page.get_by_text("0 Ergebnisse").first.wait_for()
    assert page.locator("#searchbar").input_value() == FEINDLICH
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Anträge").click()
    inhalte = {}
    for fmt in ["csv", "xlsx"]:
        page.get_by_role("link", name="Exportieren").click()
        page.get_by_label("Format").select_option(label=fmt)
        j.foto(f"export-{fmt}")
        with page.expect_download() as download:
            page.get_by_role("button", name="Absenden").click()
        inhalte[fmt] = open(download.value.path(), "rb").read()
        page.go_back()
    # For German Excel: semicolons and a byte order mark.
    assert inhalte["csv"].startswith("\ufeff".encode())
    zeilen = list(csv.reader(io.StringIO(inhalte["csv"].decode("utf-8-sig")), delimiter=";"))
    titel = [z[zeilen[0].index("Titel des Projekts")] for z in zeilen[1:]]
    assert sorted(titel) == ['\'=HYPERLINK("http://x")', "Lesecafé"]
    blatt = load_workbook(io.BytesIO(inhalte["xlsx"])).active
    werte = [str(c.value) for row in blatt.iter_rows() for c in row]
    assert "Lesecafé" in werte and '\'=HYPERLINK("http://x")' in werte


def test_budget_overview_and_yearly_report_for_a_chosen_year(new_page, output_dir):
    staff = projektbuero_user()
    # Last year, set up by staff with the programme's amounts.
    vorjahr = Haushaltsjahr.objects.create(jahr=2025, eingerichtet=True)
    budget.haushaltsjahr_einrichten(haushaltsjahr=vorjahr)
    antrag = entscheidungsreif(
        submitted_antrag(
            finanzierungsquelle="projektbudget",
            beantragter_betrag=Decimal("2500.00"),
            ziel_eltern_kinder=True,
        ),
        staff,
    )
    workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("2500.00"), by=staff)
    jahr = antrag.haushaltsjahr.jahr
    j = Journey(new_page(), "budget-und-bericht", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Budgetübersicht"
    ).click()
    assert budgetzeile(page, "Zentrales Projektbudget")["Bewilligt"] == "2.500,00 €"
    page.get_by_label("Haushaltsjahr").select_option("2025")
    page.get_by_role("button", name="Anzeigen").click()
    page.get_by_role("heading", name="Budgetübersicht 2025").wait_for()
    zentral = budgetzeile(page, "Zentrales Projektbudget")
    assert [zentral[s] for s in ("Budget", "Bewilligt", "Verfügbar")] == [
        "161.000,00 €",
        "0,00 €",
        "161.000,00 €",
    ]
    j.foto("uebersicht-2025")
    page.get_by_label("Haushaltsjahr").select_option(str(jahr))
    page.get_by_role("button", name="Anzeigen").click()
    page.get_by_role("heading", name=f"Budgetübersicht {jahr}").wait_for()
    j.foto(f"uebersicht-{jahr}")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV herunterladen").click()
    assert "2500" in open(download.value.path(), encoding="utf-8-sig").read().replace(".", "")
    page.get_by_role("link", name="Jahresbericht").first.click()
    page.get_by_role("heading", name=f"Jahresbericht {jahr}").wait_for()
    bericht = page.locator("#content").inner_text().replace("\xa0", " ")
    assert "Hörde" in bericht and "2.500,00 €" in bericht
    j.foto("jahresbericht")
    page.get_by_label("Haushaltsjahr").select_option("2025")
    page.get_by_role("button", name="Anzeigen").click()
    page.get_by_role("heading", name="Jahresbericht 2025").wait_for()
    assert "2.500,00" not in page.locator("#content").inner_text()


def test_the_projektbuero_unlocks_a_locked_out_account(new_page, output_dir):
    staff = projektbuero_user()
    beauftragte_user(Aktionsraum.objects.get(slug="hoerde"), username="weiermann")
    gesperrt = Journey(new_page(), "entsperren-beauftragte", output_dir)
    gesperrt.anmelden(FEINDLICH, FEINDLICH)
    gesperrt.page.get_by_text(
        "Bitte Benutzername und Passwort für einen Staff-Account eingeben"
    ).wait_for()
    for _ in range(5):
        gesperrt.anmelden("weiermann", "falsches-Passwort")
    gesperrt.anmelden("weiermann")
    gesperrt.page.get_by_role("heading", name="Anmeldung vorübergehend gesperrt").wait_for()

    j = Journey(new_page(), "entsperren-projektbuero", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.get_by_role("link", name="Gesperrte Anmeldungen").first.click()
    row = page.locator("tr", has_text="weiermann")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Aktion").select_option(
        label="Sperre aufheben (die Person kann sich sofort wieder anmelden)"
    )
    j.foto("auswahl")
    page.get_by_role("button", name="Ausführen").click()
    j.meldung("Sperre aufgehoben für: weiermann")
    j.foto("entsperrt")

    gesperrt.anmelden("weiermann", PASSWORT)
    gesperrt.page.get_by_role("heading", name="Was zu tun ist").wait_for()
    gesperrt.ohne_dialog()
    j.ohne_dialog()
