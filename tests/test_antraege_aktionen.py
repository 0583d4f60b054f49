"""One selector says what an account may do on an Antrag (`aktionen.aktionen`): the
Antrag's admin page shows exactly its actions, and the step endpoint takes exactly its
steps; the admin's forms refuse bad input with German messages."""

import re
from decimal import Decimal

import pytest

from antraege.admin.formulare import (
    BeschlussZeile,
    GrundForm,
    SchrittForm,
    fehlertext,
    ids_mit_praefix,
)
from antraege.models import Antrag, Status
from antraege.rollen import LESEZUGRIFF
from antraege.selectors import aktionen
from quartiere.models import Aktionsraum

from .factories import (
    auszahlen,
    beauftragte_user,
    entscheidungsreif,
    konferenz_fuer,
    rollen_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


def knoepfe(client, antrag) -> list[str]:
    """The step buttons on the Antrag's admin page, as a person sees them."""
    html = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    return re.findall(r'<button type="submit" name="nach" value="([a-z_]+)"', html)


def test_the_page_shows_exactly_the_steps_of_the_selector(client, staff, hoerde):
    beauftragte = beauftragte_user(hoerde)
    antrag = submitted_antrag(finanzierungsquelle="projektbudget", aktionsraum=hoerde)
    antrag = entscheidungsreif(antrag, staff)
    for user in (staff, beauftragte):
        client.force_login(user)
        erwartet = list(aktionen.aktionen(antrag=antrag, user=user).schritte)
        # The page orders them for reading (tests/test_antrag_akte.py); the set is the same.
        assert sorted(knoepfe(client, antrag)) == sorted(erwartet)
    # The Projektbüro decides central money; the Beauftragte can only send it back to review.
    assert aktionen.aktionen(antrag=antrag, user=staff).schritte == (
        Status.IN_PRUEFUNG,
        Status.BEWILLIGT,
        Status.ABGELEHNT,
    )
    assert aktionen.aktionen(antrag=antrag, user=beauftragte).schritte == (Status.IN_PRUEFUNG,)


def test_an_account_outside_the_area_or_read_only_may_do_nothing(staff, hoerde):
    antrag = zentral_bewilligt(staff)
    fremde = beauftragte_user(Aktionsraum.objects.get(slug="marten"), username="marten")
    lesend = rollen_user("pruefung", LESEZUGRIFF)
    for user in (fremde, lesend):
        assert aktionen.aktionen(antrag=antrag, user=user) == aktionen.Aktionen()


def test_a_payout_is_offered_for_what_is_neither_paid_nor_waiting(staff):
    antrag = zentral_bewilligt(staff, betrag="1000.00")
    darf = aktionen.aktionen(antrag=antrag, user=staff)
    assert darf.auszahlung_feststellen and darf.offen == Decimal("1000.00")
    auszahlen(antrag, "400.00", staff)
    darf = aktionen.aktionen(antrag=Antrag.objects.get(pk=antrag.pk), user=staff)
    assert darf.offen == Decimal("600.00") and darf.auszahlung_feststellen
    auszahlen(Antrag.objects.get(pk=antrag.pk), "600.00", staff, referenz="KZ-2")
    darf = aktionen.aktionen(antrag=Antrag.objects.get(pk=antrag.pk), user=staff)
    assert not darf.auszahlung_feststellen
    assert darf.papiernachweis and darf.rueckfordern


def test_the_step_endpoint_refuses_a_step_the_selector_does_not_offer(client, hoerde, staff):
    beauftragte = beauftragte_user(hoerde)
    antrag = entscheidungsreif(
        submitted_antrag(finanzierungsquelle="projektbudget", aktionsraum=hoerde), staff
    )
    client.force_login(beauftragte)
    antwort = client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": Status.BEWILLIGT, "betrag": "100,00"},
        follow=True,
    )
    assert "Dieser Schritt ist nicht möglich." in antwort.content.decode()
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF


def test_a_grant_without_an_amount_is_refused_in_german():
    form = SchrittForm(
        {"nach": Status.BEWILLIGT, "betrag": ""}, schritte=[Status.BEWILLIGT], jahre=[]
    )
    assert not form.is_valid()
    # At its field (issue 36 point 5), so that the message names the field and links to it.
    assert form.errors["betrag"] == ["Bitte geben Sie einen Betrag ein (0, wenn nichts)."]
    assert str(fehlertext(form, ids_mit_praefix("schritt"))) == (
        '<a href="#id_schritt_betrag">Betrag der Bewilligung: Bitte geben Sie einen Betrag ein '
        "(0, wenn nichts).</a>"
    )


def test_an_amount_field_of_another_step_is_not_read():
    # The grant's amount field travels with every button of the page.
    form = SchrittForm(
        {"nach": Status.ABGELEHNT, "betrag": "viel", "haushaltsjahr": "999"},
        schritte=[Status.BEWILLIGT, Status.ABGELEHNT],
        jahre=[],
    )
    assert form.is_valid(), form.errors


def test_a_budget_year_not_offered_is_refused():
    form = SchrittForm(
        {"nach": Status.BEWILLIGT, "betrag": "100", "haushaltsjahr": "999"},
        schritte=[Status.BEWILLIGT],
        jahre=[],
    )
    assert not form.is_valid()
    assert form.errors["haushaltsjahr"] == ["Dieses Haushaltsjahr steht nicht zur Wahl."]


def test_a_comment_counts_line_breaks_as_the_browser_does():
    # 1,990 letters and 10 line breaks: the text area's maxlength of 2,000 lets it through,
    # and the post carries each break as two characters.
    kommentar = ("x" * 199 + "\r\n") * 10
    form = SchrittForm(
        {"nach": Status.IN_PRUEFUNG, "kommentar": kommentar},
        schritte=[Status.IN_PRUEFUNG],
        jahre=[],
    )
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["kommentar"]) == 2000


def test_a_comment_beyond_2000_characters_is_refused_not_cut():
    form = SchrittForm(
        {"nach": Status.IN_PRUEFUNG, "kommentar": "x" * 2001},
        schritte=[Status.IN_PRUEFUNG],
        jahre=[],
    )
    assert not form.is_valid()
    assert form.errors["kommentar"] == [
        "Bitte kürzen Sie den Text auf höchstens 2000 Zeichen (jetzt 2001)."
    ]


def test_a_reason_to_discard_a_payout_has_at_most_500_characters():
    assert GrundForm({"grund": "x" * 500}, max_length=500).is_valid()
    form = GrundForm({"grund": "x" * 501}, max_length=500)
    assert not form.is_valid()
    assert "höchstens 500 Zeichen" in form.errors["grund"][0]


@pytest.mark.parametrize("zeile", ["", "abc", "1\x00", "²", "9" * 40, "-1"])
def test_a_beschluss_row_of_no_agenda_item_books_nothing(staff_client, zeile):
    antrag = submitted_antrag()
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    antwort = staff_client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {
            f"tp-{zeile}-ergebnis": "bewilligt",
            f"tp-{zeile}-betrag": "10,00",
            f"tp-{zeile}-abstimmung": "einvernehmlich",
        },
    )
    assert antwort.status_code == 200
    assert not konferenz.beschluesse.exists()


def test_a_beschluss_reads_the_amount_only_for_a_grant():
    antrag = submitted_antrag()
    p = f"tp-{antrag.pk}-"
    vertagt = BeschlussZeile({p + "ergebnis": "vertagt", p + "betrag": "viel"}, antrag=antrag)
    assert vertagt.is_valid(), vertagt.errors
    bewilligt = BeschlussZeile({p + "ergebnis": "bewilligt", p + "betrag": "viel"}, antrag=antrag)
    assert not bewilligt.is_valid()
    assert bewilligt.errors["betrag"] == [
        "Bitte geben Sie einen Betrag in Euro ein, z. B. 1.250,00."
    ]
