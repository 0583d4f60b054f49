"""The Verwaltung with the keyboard alone, focus visible at every stop: a Beauftragte creates a
Projektkonferenz (attendee, agenda through the autocomplete) and records its Beschluss; the
Projektbüro grants central money, confirms the payout, and a second account orders it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from antraege.models import Antrag, Beschluss, Projektkonferenz, Status
from antraege.selectors.hauptbuch import antrag_geldstand
from quartiere.models import Aktionsraum
from tests.factories import (
    beauftragte_user,
    entscheidungsreif,
    otp_code,
    projektbuero_user,
    submitted_antrag,
    zweiter_faktor,
)

from .helpers import tab_to, tab_to_name
from .journey import PASSWORT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def tippen(page, element_id, text):
    tab_to(page, element_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def anmelden(page, user):
    """The login with keys only: name, password, Enter; then the app's code and Enter."""
    zweiter_faktor(user)
    # The second person's window comes to the front before she types, as it does for a person
    # (a page in the background gets no focus: the code field's autofocus would not hold).
    page.bring_to_front()
    page.goto("/admin/login/")
    tippen(page, "id_username", user.username)
    tippen(page, "id_password", PASSWORT)
    page.keyboard.press("Enter")
    page.wait_for_url("**/zwei-faktor/**")
    # The code field has the focus already (autofocus is applied once the page has settled;
    # read at once under load, the body still had it).
    page.wait_for_function("document.activeElement && document.activeElement.name === 'code'")
    page.keyboard.type(otp_code(zweiter_faktor(user)))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Was zu tun ist").wait_for()


def test_a_projektkonferenz_and_its_beschluss_with_the_keyboard(page):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    beauftragte = beauftragte_user(hoerde)
    antrag = entscheidungsreif(submitted_antrag(titel="Nachbarschaftsgarten"), projektbuero_user())
    anmelden(page, beauftragte)

    tab_to_name(page, "Projektkonferenz anlegen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projektkonferenz/add/")
    tab_to(page, "id_aktionsraum")
    page.keyboard.press("ArrowDown")  # her only area, after the empty choice
    tippen(page, "id_datum", timezone.localdate().strftime("%d.%m.%Y"))
    tippen(page, "id_ort", "Stadtteilzentrum Hörde")
    # The agenda: the autocomplete's search field, type, pick the first hit with Enter.
    tab_to_name(page, "Anträge auf der Tagesordnung")
    page.keyboard.type("Nachbarschafts")
    page.locator(".select2-results__option--highlighted", has_text=antrag.aktenzeichen).wait_for()
    page.keyboard.press("Enter")
    tippen(page, "id_teilnahmen-0-name", "Bezirksbürgermeisterin (Testeintrag)")
    tab_to(page, "id_teilnahmen-0-rolle")
    page.keyboard.type("Bez")
    # Typed in by hand: she votes and is present only when ticked so.
    for feld in ("id_teilnahmen-0-stimmberechtigt", "id_teilnahmen-0-anwesend"):
        tab_to(page, feld)
        page.keyboard.press("Space")
        assert page.locator(f"#{feld}").is_checked()
    tab_to_name(page, "Sichern")
    page.keyboard.press("Enter")
    page.get_by_text("wurde erfolgreich hinzugefügt").wait_for()

    konferenz = Projektkonferenz.objects.get()
    assert list(konferenz.tagesordnung.all()) == [antrag]
    assert konferenz.teilnahmen.get().rolle == "bezirksbuergermeister"
    tab_to_name(page, str(konferenz))
    page.keyboard.press("Enter")
    page.wait_for_url("**/change/")
    page.get_by_role("link", name="Tagesordnung drucken").wait_for()
    tab_to_name(page, "Beschlüsse erfassen")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Beschlüsse erfassen").wait_for()
    # The radio group: Tab reaches the chosen "noch kein Beschluss", arrow keys the others.
    tab_to(page, f"id_tp-{antrag.pk}-ergebnis_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#id_tp-{antrag.pk}-ergebnis_2").is_checked()  # teilweise bewilligt
    tippen(page, f"id_tp-{antrag.pk}-betrag", "80,00")
    tippen(page, f"id_tp-{antrag.pk}-begruendung", "Ohne die Werkzeuge")
    # The vote: Tab reaches the group's first choice, Space takes it.
    tab_to(page, f"id_tp-{antrag.pk}-abstimmung_0")
    page.keyboard.press("Space")
    assert page.locator(f"#id_tp-{antrag.pk}-abstimmung_0").is_checked()  # einvernehmlich
    tab_to_name(page, "Beschlüsse speichern")
    page.keyboard.press("Enter")
    page.get_by_text(f"Eingetragen: {antrag.aktenzeichen} bewilligt.").wait_for()
    beschluss = Beschluss.objects.get()
    assert (beschluss.ergebnis, beschluss.betrag) == ("bewilligt", Decimal("80.00"))
    assert beschluss.abstimmung == "einvernehmlich"


def test_a_central_grant_and_its_payout_with_the_keyboard(new_page):
    erste, zweite = projektbuero_user("erste"), projektbuero_user("zweite")
    antrag = entscheidungsreif(
        submitted_antrag(
            titel="Stadtteilzeitung",
            finanzierungsquelle="projektbudget",
            beantragter_betrag=Decimal("800.00"),
        ),
        erste,
    )
    page = new_page()
    anmelden(page, erste)
    page.goto(f"/admin/antraege/antrag/{antrag.pk}/change/")
    # The step's card opens with Enter on its verb; its own button takes the step.
    tab_to_name(page, "Bewilligen")
    page.keyboard.press("Enter")
    tippen(page, "id_bewilligt_betrag", "800,00")
    tab_to_name(page, "Bewilligen")
    page.keyboard.press("Enter")
    page.get_by_text("Neuer Status: bewilligt").wait_for()
    tippen(page, "id_auszahlung_referenz", "KZ-2026-77")
    tab_to_name(page, "Sachlich und rechnerisch richtig")
    page.keyboard.press("Enter")
    page.get_by_text("als sachlich und rechnerisch richtig festgestellt").wait_for()

    kasse = new_page()
    anmelden(kasse, zweite)
    kasse.goto(f"/admin/antraege/antrag/{antrag.pk}/change/")
    tab_to_name(kasse, "Auszahlung über 800,00\xa0€ anordnen")
    kasse.keyboard.press("Enter")
    kasse.get_by_text("angeordnet.").first.wait_for()
    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag.status == Status.AUSGEZAHLT
    assert antrag_geldstand(antrag).netto_ausgezahlt == Decimal("800.00")
