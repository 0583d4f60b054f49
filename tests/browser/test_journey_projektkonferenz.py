"""Projektkonferenz in the browser: create it, attendees and agenda, one Beschluss for each
result, the printed agenda and protocol; as the Projektbüro and as the area's Beauftragte."""

from decimal import Decimal

import pytest
from django.utils import timezone

from antraege.models import Antrag, Beschluss, Status
from quartiere.models import Aktionsraum
from tests.factories import (
    beauftragte_user,
    entscheidungsreif,
    projektbuero_user,
    submitted_antrag,
)

from .journey import FEINDLICH, Journey, budgetzeile, mails_an

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def fonds_antraege(staff):
    """Four fund Anträge in Hörde, ready for decision (set up through the services)."""
    antraege = []
    for n, betrag in enumerate(["800.00", "1000.00", "300.00", "450.00"], start=1):
        antrag = submitted_antrag(
            titel=f"Projekt {n}", beantragter_betrag=Decimal(betrag), email=f"a{n}@example.org"
        )
        antraege.append(entscheidungsreif(antrag, staff))
    return antraege


def agenda_waehlen(page, antrag):
    """Picks an Antrag in the agenda's autocomplete, as a person types and clicks."""
    page.locator(".field-tagesordnung .select2-selection").click()
    page.locator(".select2-search__field").fill(antrag.aktenzeichen)
    page.locator(".select2-results__option", has_text=antrag.aktenzeichen).click()


def beschluss(j, antrag, ergebnis, *, betrag="", begruendung=""):
    page = j.page
    # With several tabs open the person first switches to this one (a tab in the background
    # renders no frames, so Playwright would wait for the form to hold still).
    page.bring_to_front()
    page.get_by_label("Antrag", exact=True).select_option(value=str(antrag.pk))
    page.get_by_label("Ergebnis").select_option(label=ergebnis)
    page.get_by_label("Bewilligter Betrag (nur bei bewilligt)").fill(betrag)
    page.get_by_label("Begründung", exact=True).fill(begruendung)
    page.get_by_role("button", name="Beschluss eintragen").click()


@pytest.mark.parametrize("rolle", ["projektbuero", "beauftragte"])
@pytest.mark.parametrize("texte", ["normal", "feindlich"])
def test_a_projektkonferenz_decides_its_agenda_in_the_browser(new_page, output_dir, rolle, texte):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    pb = projektbuero_user()
    user = pb if rolle == "projektbuero" else beauftragte_user(hoerde, username="weiermann")
    a1, a2, a3, a4 = fonds_antraege(pb)
    frei = lambda s: FEINDLICH + s if texte == "feindlich" else s  # noqa: E731
    j = Journey(new_page(), f"projektkonferenz-{rolle}-{texte}", output_dir)
    page = j.page

    j.anmelden(user.username)
    page.get_by_role("link", name="Projektkonferenz anlegen").click()
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.get_by_label("Datum").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.get_by_label("Ort").fill(frei("Stadtteilzentrum Hörde"))
    page.locator("#id_teilnahmen-0-name").fill(frei("Bezirksbürgermeisterin (Testeintrag)"))
    page.locator("#id_teilnahmen-0-rolle").select_option(label="Bezirksbürgermeister/in")
    page.locator("#id_teilnahmen-1-name").fill("Beauftragte (Testeintrag)")
    page.locator("#id_teilnahmen-1-rolle").select_option(label="Aktionsraumbeauftragte/r")
    for antrag in (a1, a2, a3, a4):
        agenda_waehlen(page, antrag)
    j.foto("konferenz-ausgefuellt")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich hinzugefügt")
    j.foto("konferenz-gespeichert")

    beschluss(j, a1, "bewilligt", betrag="800,00")
    j.meldung(f"Beschluss zu {a1.aktenzeichen} eingetragen")
    beschluss(j, a2, "bewilligt", betrag="600,00", begruendung=frei("Nur die Sachkosten."))
    j.meldung(f"Beschluss zu {a2.aktenzeichen} eingetragen")
    beschluss(j, a3, "abgelehnt", begruendung=frei("Kein Bezug zum Quartier."))
    j.meldung(f"Beschluss zu {a3.aktenzeichen} eingetragen")
    beschluss(j, a4, "vertagt", begruendung="Fragen zum Ort offen.")
    j.meldung(f"Beschluss zu {a4.aktenzeichen} eingetragen")
    j.foto("beschluesse")
    page.get_by_text("Alle Anträge der Tagesordnung haben einen Beschluss").wait_for()

    assert {a.pk: a.status for a in Antrag.objects.all()} == {
        a1.pk: Status.BEWILLIGT,
        a2.pk: Status.BEWILLIGT,
        a3.pk: Status.ABGELEHNT,
        a4.pk: Status.ENTSCHEIDUNGSREIF,
    }
    assert Beschluss.objects.count() == 4
    assert f"Ihr Antrag {a1.aktenzeichen}: bewilligt" in mails_an("a1@example.org")
    assert f"Ihr Antrag {a3.aktenzeichen}: abgelehnt" in mails_an("a3@example.org")

    page.get_by_role("link", name="Tagesordnung drucken").click()
    for antrag in (a1, a2, a3, a4):
        page.get_by_text(f"{antrag.aktenzeichen}").first.wait_for()
    assert "800,00" in page.content() and "Projekt 4" in page.content()
    j.foto("tagesordnung")
    page.go_back()
    page.get_by_role("link", name="Protokoll drucken").click()
    protokoll = page.locator("main").inner_text()
    j.foto("protokoll")
    assert "600,00" in protokoll and "Kein Bezug zum Quartier." in protokoll
    if texte == "feindlich":
        assert FEINDLICH.split(">")[0] in protokoll  # shown as text, not run
    j.ohne_dialog()

    page.go_back()
    page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Budgetübersicht"
    ).click()
    hoerde = budgetzeile(page, "Hörde")
    assert [hoerde[s] for s in ("Budget", "Bewilligt", "Gebunden", "Verfügbar")] == [
        "5.000,00 €",
        "1.400,00 €",
        "1.400,00 €",
        "3.600,00 €",
    ]
    j.foto("budgetuebersicht")


def test_wrong_beschluss_steps_end_on_the_same_page_with_a_message(new_page, output_dir):
    pb = projektbuero_user()
    a1, a2, *_ = fonds_antraege(pb)
    j = Journey(new_page(), "projektkonferenz-falsche-schritte", output_dir)
    page = j.page
    j.anmelden(pb.username)
    page.get_by_role("link", name="Projektkonferenz anlegen").click()
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.get_by_label("Datum").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.get_by_label("Ort").fill("Stadtteilzentrum")
    page.locator("#id_teilnahmen-0-name").fill("Bezirksbürgermeisterin (Testeintrag)")
    page.locator("#id_teilnahmen-0-rolle").select_option(label="Bezirksbürgermeister/in")
    agenda_waehlen(page, a1)
    agenda_waehlen(page, a2)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich hinzugefügt")

    # Two more tabs still show the agenda with both Anträge open.
    alt = [
        Journey(page.context.new_page(), f"projektkonferenz-alt-{n}", output_dir) for n in (1, 2)
    ]
    for tab in alt:
        tab.page.goto(page.url)

    beschluss(j, a1, "bewilligt", betrag="9.000,00")
    j.fehler("Es können höchstens die beantragten 800,00 € bewilligt werden.")
    beschluss(j, a1, "bewilligt", betrag="abc")
    j.fehler("Bitte geben Sie einen Betrag in Euro ein")
    beschluss(j, a1, "abgelehnt")
    j.fehler("Bitte begründen Sie die Ablehnung.")
    j.foto("fehler")
    beschluss(j, a1, "bewilligt", betrag="800,00")
    j.meldung(f"Beschluss zu {a1.aktenzeichen} eingetragen")

    # Antrag 2 is taken off the agenda in the first tab.
    page.locator(".select2-selection__choice", has_text=a2.aktenzeichen).locator(
        ".select2-selection__choice__remove"
    ).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich geändert")

    beschluss(alt[0], a1, "abgelehnt", begruendung="Doppelt")
    alt[0].fehler(f"Zu {a1.aktenzeichen} hat diese Konferenz schon einen Beschluss gefasst.")
    alt[0].foto("zweiter-beschluss")
    beschluss(alt[1], a2, "bewilligt", betrag="1.000,00")
    alt[1].fehler("Bitte wählen Sie einen Antrag der Tagesordnung.")
    alt[1].foto("nicht-auf-der-tagesordnung")

    assert Beschluss.objects.count() == 1
    assert Antrag.objects.get(pk=a1.pk).status == Status.BEWILLIGT
    assert Antrag.objects.get(pk=a2.pk).status == Status.ENTSCHEIDUNGSREIF
