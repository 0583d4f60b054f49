"""Money in the browser: a central grant, two payouts, the Verwendungsnachweis handed in
through the mailed link, given back for correction, corrected and closed; a Rückforderung of
unspent money; a Bewilligung aufgehoben. Each ends on the figures a person reads next."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from antraege.models import Antrag, Auszahlung, Status
from antraege.services import workflow
from tests.factories import auszahlen as auszahlung_gebucht
from tests.factories import entscheidungsreif, projektbuero_user, submitted_antrag

from .helpers import assert_no_axe_violations, write_pdf
from .journey import FEINDLICH, Journey, budgetzeile, mails_an, status_link_aus_mail

NICHT_MOEGLICH = "Ein Verwendungsnachweis ist für diesen Antrag jetzt nicht möglich."

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
    # The money journey on the production database: in the PostgreSQL run, not the SQLite run.
    pytest.mark.postgres_lauf,
]


def zentral(betrag="1000.00", **kwargs):
    staff = projektbuero_user()
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal(betrag), **kwargs
    )
    return staff, entscheidungsreif(antrag, staff)


def antrag_oeffnen(j, antrag):
    page = j.page
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Anträge").click()
    # The page before may link the Antrag too: click the list's link, not the old page's.
    page.wait_for_url("**/admin/antraege/antrag/")
    page.get_by_role("link", name=antrag.aktenzeichen).click()
    page.wait_for_url(f"**/admin/antraege/antrag/{antrag.pk}/change/")


def feststellen(j, betrag, referenz):
    """The first pair of eyes: the payout is sachlich und rechnerisch richtig."""
    page = j.page
    page.get_by_label("Betrag", exact=True).fill(betrag)
    page.get_by_label("Buchungsreferenz").fill(referenz)
    page.get_by_role("button", name="Sachlich und rechnerisch richtig").click()


def auszahlen(j, zweite, antrag, betrag, referenz):
    """A payout with four eyes: `j` confirms it, the second person `zweite` orders it."""
    feststellen(j, betrag, referenz)
    j.meldung(f"Auszahlung über {betrag} € als sachlich und rechnerisch richtig festgestellt")
    j.foto(f"festgestellt-{betrag}")
    # The first person is offered no way to order it as well.
    assert j.page.get_by_role("button", name=f"Auszahlung über {betrag} € anordnen").count() == 0
    j.page.get_by_text("anordnen muss sie eine zweite Person").first.wait_for()
    antrag_oeffnen(zweite, antrag)
    zweite.page.get_by_role("button", name=f"Auszahlung über {betrag} € anordnen").click()
    zweite.meldung(f"Auszahlung über {betrag} € angeordnet.")
    zweite.foto(f"angeordnet-{betrag}")
    antrag_oeffnen(j, antrag)


def zweite_person(new_page, output_dir, name):
    kasse = Journey(new_page(), name, output_dir)
    kasse.anmelden(projektbuero_user("kasse").username)
    return kasse


SPALTEN = [
    "Budget",
    "Bewilligt",
    "Ausgezahlt",
    "Zurückgefordert",
    "Zurückerhalten",
    "Netto ausgezahlt",
    "Gebunden",
    "Verfügbar",
]
VOLL_AUSGEZAHLT = [
    "161.000,00 €",
    "1.000,00 €",
    "1.000,00 €",
    "0,00 €",
    "0,00 €",
    "1.000,00 €",
    "1.000,00 €",
    "160.000,00 €",
]


def zentrale_zahlen(j):
    """The central budget's row of the overview, read by column name in SPALTEN's order."""
    j.page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Budgetübersicht"
    ).click()
    werte = budgetzeile(j.page, "Zentrales Projektbudget")
    return [werte[spalte] for spalte in SPALTEN]


def nachweis_einreichen(seite, tmp_path, bericht, betrag):
    seite.get_by_label("Kurzbericht").fill(bericht)
    seite.get_by_label("Kostenposition 1: Material, tatsächlich ausgegeben").fill(betrag)
    belege_anhaengen_und_absenden(seite, tmp_path)


def belege_anhaengen_und_absenden(seite, tmp_path):
    """The check page comes before sending; the receipts are chosen there."""
    seite.get_by_role("button", name="Weiter zur Prüfung").click()
    seite.get_by_role("heading", name="Bitte prüfen Sie Ihren Verwendungsnachweis").wait_for()
    seite.get_by_label("Belege").set_input_files(str(write_pdf(tmp_path)))
    seite.get_by_role("button", name="Verwendungsnachweis absenden").click()


@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_grant_two_payouts_proof_correction_and_closing(new_page, output_dir, tmp_path, texte):
    staff, antrag = zentral(titel="Stadtteilchor")
    frei = (lambda s: FEINDLICH + s) if texte == "feindlich" else (lambda s: s)
    j = Journey(new_page(), f"geld-{texte}", output_dir)
    page = j.page
    j.anmelden(staff.username)
    page.locator("table.aufgaben tr", has_text="zentrales Budget").get_by_role("link").click()
    page.get_by_role("link", name=antrag.aktenzeichen).click()
    j.schritt_nehmen("Bewilligen", {"Betrag der Bewilligung": "1.000,00"})
    j.meldung("Neuer Status: bewilligt")
    j.foto("bewilligt")

    kasse = zweite_person(new_page, output_dir, f"geld-{texte}-kasse")
    auszahlen(j, kasse, antrag, "600,00", frei("KZ-2026-001"))
    auszahlen(j, kasse, antrag, "400,00", "KZ-2026-002")
    j.foto("zweimal-ausgezahlt")
    assert zentrale_zahlen(j) == VOLL_AUSGEZAHLT

    bewerbung = Journey(new_page(), f"geld-{texte}-antrag", output_dir)
    seite = bewerbung.page
    seite.goto(status_link_aus_mail(antrag, "Geld überwiesen"))
    seite.get_by_role("link", name="Verwendungsnachweis einreichen").click()
    nachweis_einreichen(seite, tmp_path, frei("Der Chor hat zwölfmal geprobt."), "1.000,00")
    seite.get_by_text("Danke! Ihr Verwendungsnachweis ist eingegangen.").wait_for()
    bewerbung.foto("nachweis-eingereicht")

    antrag_oeffnen(j, antrag)
    j.schritt_nehmen(
        "Nachweis zur Korrektur zurückgeben",
        {"Was muss korrigiert werden?": frei("Bitte die Rechnung der Chorleitung nachreichen.")},
    )
    j.meldung("Neuer Status: Verwendungsnachweis zur Korrektur zurückgegeben")
    j.foto("zur-korrektur")

    seite.goto(status_link_aus_mail(antrag, "Korrektur"))
    seite.get_by_text("Bitte die Rechnung der Chorleitung nachreichen.").first.wait_for()
    bewerbung.foto("korrektur-verlangt")
    seite.get_by_role("link", name="Verwendungsnachweis korrigieren").click()
    assert "zwölfmal" in seite.get_by_label("Kurzbericht").input_value()
    belege_anhaengen_und_absenden(seite, tmp_path)
    seite.get_by_text("Danke! Ihr Verwendungsnachweis ist eingegangen.").wait_for()
    assert seite.locator(".antrag-status").inner_text() == "Verwendungsnachweis eingegangen"
    bewerbung.foto("nachweis-korrigiert")
    bewerbung.ohne_dialog()

    antrag_oeffnen(j, antrag)
    j.schritt_nehmen("Abschließen")
    j.meldung("Neuer Status: abgeschlossen")
    j.foto("abgeschlossen")
    assert zentrale_zahlen(j) == VOLL_AUSGEZAHLT
    j.foto("uebersicht")
    j.ohne_dialog()
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ABGESCHLOSSEN
    assert antrag.verwendungsnachweise.count() == 2
    betreffs = mails_an("erika@example.org")
    assert f"Ihr Antrag {antrag.aktenzeichen}: Abgeschlossen" == betreffs[-1]


@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_unspent_money_is_asked_back(new_page, output_dir, texte):
    staff, antrag = zentral("500.00")
    antrag = workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("500.00"), by=staff)
    auszahlung_gebucht(antrag, "500.00", staff, datum=antrag.beginn)
    grund = "Nur 400 € belegt." if texte == "normal" else FEINDLICH
    j = Journey(new_page(), f"rueckforderung-{texte}", output_dir)
    j.anmelden(staff.username)
    antrag_oeffnen(j, antrag)
    j.schritt_nehmen(
        "Geld zurückfordern",
        {"Betrag der Rückforderung": "100,00", "Begründung der Rückforderung": grund},
    )
    j.meldung("Neuer Status: Rückzahlung offen")
    j.foto("rueckforderung")
    # Asked back is not yet back: the pot gets the money when it has arrived.
    assert zentrale_zahlen(j) == [
        "161.000,00 €",
        "500,00 €",
        "500,00 €",
        "100,00 €",
        "0,00 €",
        "500,00 €",
        "500,00 €",
        "160.500,00 €",
    ]
    assert f"Ihr Antrag {antrag.aktenzeichen}: Rückzahlung erbeten" in mails_an("erika@example.org")

    antrag_oeffnen(j, antrag)
    # Closing is shown unavailable, with its reason, before anyone clicks (issue 36 point 3).
    abschliessen = j.page.get_by_role("button", name="Abschließen")
    expect(abschliessen).to_be_disabled()
    expect(abschliessen).to_have_accessible_description(
        re.compile(r"^Jetzt nicht möglich: Von der Rückforderung sind noch 100,00 € offen\.")
    )
    # Who asked the money back cannot also book it as received (four eyes).
    j.page.get_by_label("Betrag", exact=True).fill("100,00")
    j.page.get_by_label("Buchungsreferenz der Rückzahlung").fill("Kasse 4711")
    j.page.get_by_role("button", name="Rückzahlung buchen").click()
    j.fehler("Vier-Augen-Prinzip: Sie haben das Geld zurückgefordert")
    kasse = zweite_person(new_page, output_dir, f"rueckforderung-{texte}-kasse")
    antrag_oeffnen(kasse, antrag)
    kasse.page.get_by_label("Betrag", exact=True).fill("100,00")
    kasse.page.get_by_label("Buchungsreferenz der Rückzahlung").fill("Kasse 4711")
    kasse.page.get_by_role("button", name="Rückzahlung buchen").click()
    kasse.meldung("Rückzahlung über 100,00 € gebucht.")
    kasse.foto("rueckzahlung-gebucht")
    # Nothing more is owed: the form to book a refund is gone.
    assert kasse.page.get_by_role("button", name="Rückzahlung buchen").count() == 0
    j.page.bring_to_front()
    antrag_oeffnen(j, antrag)
    j.schritt_nehmen("Abschließen")
    j.meldung("Neuer Status: abgeschlossen")
    # Paid out, paid back and what is left of it, each in its own column.
    assert zentrale_zahlen(j) == [
        "161.000,00 €",
        "500,00 €",
        "500,00 €",
        "100,00 €",
        "100,00 €",
        "400,00 €",
        "400,00 €",
        "160.600,00 €",
    ]
    j.foto("uebersicht")
    j.ohne_dialog()


@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_a_grant_is_cancelled_before_any_payout(new_page, output_dir, texte):
    staff, antrag = zentral("750.00")
    antrag = workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("750.00"), by=staff)
    j = Journey(new_page(), f"aufhebung-{texte}", output_dir)
    j.anmelden(staff.username)
    assert zentrale_zahlen(j)[1] == "750,00 €"
    antrag_oeffnen(j, antrag)
    # Without its reason the step is refused: the card stays open with what was typed, and
    # the error names the field and links to it.
    notiz = "Interne Notiz (nur für die Verwaltung)"
    karte = j.schritt_nehmen("Bewilligung aufheben", {notiz: "Anruf"})
    assert "Begründung der Aufhebung" in j.karten_fehler(
        "Bewilligung aufheben", "Bitte begründen Sie, warum die Bewilligung aufgehoben wird."
    )
    expect(karte.get_by_label(notiz)).to_have_value("Anruf")
    karte.locator(".fehler-zusammenfassung a").click()
    expect(karte.get_by_label("Begründung der Aufhebung")).to_be_focused()
    j.foto("aufhebung-ohne-grund")
    assert_no_axe_violations(j.page)
    j.schritt_nehmen(
        "Bewilligung aufheben",
        {"Begründung der Aufhebung": FEINDLICH if texte == "feindlich" else "Verein aufgelöst."},
    )
    j.meldung("Neuer Status: Bewilligung aufgehoben")
    j.foto("aufgehoben")
    zahlen = zentrale_zahlen(j)
    assert zahlen[:3] == ["161.000,00 €", "0,00 €", "0,00 €"] and zahlen[7] == "161.000,00 €"
    j.ohne_dialog()


def test_wrong_money_steps_end_on_the_same_page_with_a_message(new_page, output_dir, tmp_path):
    staff, antrag = zentral("700.00")
    antrag = workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("700.00"), by=staff)
    j = Journey(new_page(), "geld-falsche-schritte", output_dir)
    page = j.page
    j.anmelden(staff.username)
    antrag_oeffnen(j, antrag)

    # The applicant follows the grant mail's link to the proof before any payout.
    bewerbung = Journey(new_page(), "geld-falsche-schritte-antrag", output_dir)
    seite = bewerbung.page
    status = status_link_aus_mail(antrag, "Bewilligt")
    seite.goto(status)
    assert seite.get_by_role("link", name="Verwendungsnachweis einreichen").count() == 0
    seite.goto(status + "nachweis/")
    seite.get_by_text(
        "Ein Verwendungsnachweis ist für diesen Antrag jetzt nicht möglich."
    ).wait_for()
    bewerbung.foto("nachweis-vor-auszahlung")

    for betrag, text in [
        ("700,01", "Es können höchstens noch 700,00 € ausgezahlt werden"),
        ("0,00", "muss größer als 0 € sein"),
        ("abc", "Bitte geben Sie einen Betrag in Euro ein"),
    ]:
        feststellen(j, betrag, "KZ-9")
        j.fehler(text)
        assert page.locator("h2", has_text="Nächster Schritt").is_visible()
    j.foto("auszahlung-zu-hoch")
    assert Auszahlung.objects.count() == 0

    # Two tabs: the proof is handed in in one, then sent again from the stale other one.
    kasse = zweite_person(new_page, output_dir, "geld-falsche-schritte-kasse")
    auszahlen(j, kasse, antrag, "700,00", "KZ-10")
    seite.goto(status)
    seite.get_by_role("link", name="Verwendungsnachweis einreichen").click()
    alt = bewerbung.page.context.new_page()
    alt.goto(seite.url)
    # The stale tab is on the check page, receipts chosen, when the other one sends.
    alt.get_by_label("Kurzbericht").fill("Noch einmal.")
    alt.get_by_label("Kostenposition 1: Material, tatsächlich ausgegeben").fill("700,00")
    alt.get_by_role("button", name="Weiter zur Prüfung").click()
    alt.get_by_label("Belege").set_input_files(str(write_pdf(tmp_path)))
    # The person switches tabs, as in a browser (a tab in the background renders no frames).
    seite.bring_to_front()
    nachweis_einreichen(seite, tmp_path, "Alles ausgegeben.", "700,00")
    seite.get_by_text("Danke! Ihr Verwendungsnachweis ist eingegangen.").wait_for()
    alt.bring_to_front()
    alt.get_by_role("button", name="Verwendungsnachweis absenden").click()
    alt.get_by_text(NICHT_MOEGLICH).wait_for()
    assert antrag.verwendungsnachweise.count() == 1
