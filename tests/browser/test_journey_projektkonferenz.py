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

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling
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


def zeile(j, antrag, ergebnis, *, betrag="", begruendung=""):
    """Fills the row of one agenda item on "Beschlüsse erfassen", as a person does."""
    page = j.page
    # With several tabs open the person first switches to this one (a tab in the background
    # renders no frames, so Playwright would wait for the form to hold still).
    page.bring_to_front()
    row = page.locator(f"#zeile-{antrag.pk}")
    row.get_by_label(ergebnis, exact=True).check()
    row.get_by_label("Betrag", exact=True).fill(betrag)
    row.get_by_label("Begründung", exact=True).fill(begruendung)
    if ergebnis != "vertagt":
        row.get_by_label("einvernehmlich", exact=True).check()


def speichern(j):
    j.page.get_by_role("button", name="Beschlüsse speichern").click()


def beschluesse_erfassen(j):
    j.page.bring_to_front()
    j.page.get_by_role("link", name="Beschlüsse erfassen").first.click()
    j.page.get_by_role("heading", name="Beschlüsse erfassen").wait_for()


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
    page.locator("#id_teilnahmen-0-stimmberechtigt").check()
    page.locator("#id_teilnahmen-0-anwesend").check()
    page.locator("#id_teilnahmen-1-name").fill("Beauftragte (Testeintrag)")
    page.locator("#id_teilnahmen-1-rolle").select_option(label="Aktionsraumbeauftragte/r")
    for antrag in (a1, a2, a3, a4):
        agenda_waehlen(page, antrag)
    j.foto("konferenz-ausgefuellt")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich hinzugefügt")
    j.foto("konferenz-gespeichert")

    beschluesse_erfassen(j)
    zeile(j, a1, "bewilligt (wie beantragt)")
    zeile(j, a2, "teilweise bewilligt", betrag="600,00", begruendung=frei("Nur die Sachkosten."))
    zeile(j, a3, "abgelehnt", begruendung=frei("Kein Bezug zum Quartier."))
    zeile(j, a4, "vertagt", begruendung="Fragen zum Ort offen.")
    j.foto("beschluesse-ausgefuellt")
    speichern(j)
    j.meldung(f"Eingetragen: {a1.aktenzeichen} bewilligt, {a2.aktenzeichen} bewilligt")
    j.foto("beschluesse")
    page.get_by_text("Alle Anträge der Tagesordnung haben einen Beschluss").wait_for()
    page.get_by_role(
        "link", name="Daten der Konferenz (Teilnehmende, Tagesordnung, Protokoll)"
    ).click()

    assert {a.pk: a.status for a in Antrag.objects.all()} == {
        a1.pk: Status.BEWILLIGT,
        a2.pk: Status.BEWILLIGT,
        a3.pk: Status.ABGELEHNT,
        a4.pk: Status.ENTSCHEIDUNGSREIF,
    }
    assert Beschluss.objects.count() == 4
    assert f"Ihr Antrag {a1.aktenzeichen}: Bewilligt" in mails_an("a1@example.org")
    assert f"Ihr Antrag {a3.aktenzeichen}: Abgelehnt" in mails_an("a3@example.org")

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


@pytest.mark.parametrize("breite", [1280, 768])
def test_wrong_beschluss_steps_end_on_the_same_page_with_a_message(new_page, output_dir, breite):
    pb = projektbuero_user()
    a1, a2, *_ = fonds_antraege(pb)
    j = Journey(
        new_page(width=breite, height=900),
        f"projektkonferenz-falsche-schritte-{breite}",
        output_dir,
    )
    page = j.page
    j.anmelden(pb.username)
    page.get_by_role("link", name="Projektkonferenz anlegen").click()
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.get_by_label("Datum").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.get_by_label("Ort").fill("Stadtteilzentrum")
    page.locator("#id_teilnahmen-0-name").fill("Bezirksbürgermeisterin (Testeintrag)")
    page.locator("#id_teilnahmen-0-rolle").select_option(label="Bezirksbürgermeister/in")
    page.locator("#id_teilnahmen-0-stimmberechtigt").check()
    page.locator("#id_teilnahmen-0-anwesend").check()
    agenda_waehlen(page, a1)
    agenda_waehlen(page, a2)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich hinzugefügt")

    # The meeting: a grant above the amount asked for is refused; every row keeps its values.
    beschluesse_erfassen(j)
    # Two more tabs still show the page with both Anträge open.
    alt = [
        Journey(page.context.new_page(), f"projektkonferenz-alt-{n}", output_dir) for n in (1, 2)
    ]
    for tab in alt:
        tab.page.goto(page.url)
    zeile(j, a1, "bewilligt (wie beantragt)", betrag="9.000,00", begruendung="Einstimmig")
    zeile(j, a2, "abgelehnt", begruendung="Kein Bezug zum Quartier.")
    speichern(j)
    fehler = page.locator("#fehler")
    fehler.get_by_role(
        "link",
        name=f"{a1.aktenzeichen}, Betrag: Es können höchstens die beantragten 800,00 € "
        "bewilligt werden.",
    ).wait_for()
    # The refused page at 1280 and on a tablet (768 px): no sideways scrolling, axe clean.
    for breite in (1280, 768):
        page.set_viewport_size({"width": breite, "height": 900})
        j.foto(f"fehler-{breite}")
        assert_no_horizontal_scrolling(page)
        assert_no_axe_violations(page)
    assert not Beschluss.objects.exists()
    row1, row2 = page.locator(f"#zeile-{a1.pk}"), page.locator(f"#zeile-{a2.pk}")
    assert row1.get_by_label("Betrag", exact=True).input_value() == "9.000,00"
    assert row1.get_by_label("Begründung", exact=True).input_value() == "Einstimmig"
    assert row2.get_by_label("abgelehnt", exact=True).is_checked()
    assert row2.get_by_label("Begründung", exact=True).input_value() == "Kein Bezug zum Quartier."
    # The link leads to the field; the person corrects the amount and saves again.
    fehler.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == f"id_tp-{a1.pk}-betrag"
    page.keyboard.press("Control+A")
    page.keyboard.type("800,00")
    speichern(j)
    j.meldung(f"Eingetragen: {a1.aktenzeichen} bewilligt, {a2.aktenzeichen} abgelehnt")
    assert {b.antrag_id: b.ergebnis for b in Beschluss.objects.all()} == {
        a1.pk: "bewilligt",
        a2.pk: "abgelehnt",
    }

    # The old tabs still show both rows as open: what they send books nothing, and says why.
    zeile(alt[0], a1, "abgelehnt", begruendung="Doppelt")
    speichern(alt[0])
    alt[0].page.locator("#fehler").get_by_text(
        f"Zu {a1.aktenzeichen} ist inzwischen ein Beschluss eingetragen"
    ).wait_for()
    alt[0].foto("veraltete-seite")
    zeile(alt[1], a2, "bewilligt (wie beantragt)")
    speichern(alt[1])
    alt[1].page.locator("#fehler").get_by_text(
        f"Zu {a2.aktenzeichen} ist inzwischen ein Beschluss eingetragen"
    ).wait_for()
    alt[1].page.get_by_text("Alle Anträge der Tagesordnung haben einen Beschluss").wait_for()

    assert Beschluss.objects.count() == 2
    assert Antrag.objects.get(pk=a1.pk).status == Status.BEWILLIGT
    assert Antrag.objects.get(pk=a2.pk).status == Status.ABGELEHNT
