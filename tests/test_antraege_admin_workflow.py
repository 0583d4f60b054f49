"""Staff take workflow steps from the Antrag page in the admin and see the budget overview."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from antraege.models import Antrag, Buchung, Status
from antraege.services import budget

from .factories import AktionsraumFactory, fonds_bewilligen, submitted_antrag

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero", password="x"))
    return client


def step(client, antrag, nach, **extra):
    return client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/", {"nach": nach, **extra}, follow=True
    )


def test_change_page_offers_the_allowed_next_steps_as_buttons(staff_client):
    antrag = submitted_antrag()
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'name="nach" value="in_pruefung"' in html
    assert 'value="bewilligt"' not in html


def test_staff_move_an_antrag_through_review_to_a_grant(staff_client):
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("900.00")
    )
    step(staff_client, antrag, "in_pruefung")
    step(staff_client, antrag, "entscheidungsreif")
    response = step(
        staff_client,
        antrag,
        "bewilligt",
        betrag="600,00",
        kommentar="Teilbewilligung: Catering nicht förderfähig.",
    )
    assert "Neuer Status: bewilligt" in response.content.decode()
    antrag.refresh_from_db()
    assert (antrag.status, antrag.bewilligter_betrag) == (Status.BEWILLIGT, Decimal("600.00"))
    assert [v.nach for v in antrag.verlauf.all()] == [
        "eingereicht",
        "in_pruefung",
        "entscheidungsreif",
        "bewilligt",
    ]


def test_a_refused_step_comes_back_as_a_message_and_changes_nothing(staff_client):
    antrag = submitted_antrag()
    response = step(staff_client, antrag, "abgeschlossen")
    assert "Dieser Schritt ist nicht möglich." in response.content.decode()
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT


def test_a_grant_above_the_central_budget_is_refused_with_the_available_amount(staff_client):
    big = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("160500.00")
    )
    small = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("900.00")
    )
    for antrag in (big, small):
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    step(staff_client, big, "bewilligt", betrag="160500")
    response = step(staff_client, small, "bewilligt", betrag="900")
    assert "noch 500,00 € verfügbar" in response.content.decode()
    assert Buchung.objects.count() == 1


def test_the_admin_refuses_a_direct_grant_of_fund_money(staff_client):
    antrag = submitted_antrag()
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    html = staff_client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert 'value="bewilligt"' not in html and "entscheidet die Projektkonferenz" in html
    response = step(staff_client, antrag, "bewilligt", betrag="100")
    assert "Dieser Schritt ist nicht möglich." in response.content.decode()
    assert not Buchung.objects.exists()


def test_a_malformed_amount_is_refused_with_a_german_message(staff_client):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    response = step(staff_client, antrag, "bewilligt", betrag="viel")
    assert "Bitte geben Sie einen Betrag in Euro ein" in response.content.decode()
    assert not Buchung.objects.exists()


def test_steps_need_post_and_a_staff_login(client):
    antrag = submitted_antrag()
    url = f"/admin/antraege/antrag/{antrag.pk}/schritt/"
    assert client.post(url, {"nach": "in_pruefung"}).status_code == 302  # to the login
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT


def test_budget_overview_shows_each_fund_and_the_central_budget(staff_client):
    antrag = submitted_antrag(beantragter_betrag=Decimal("1200.00"))
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(antrag, Decimal("1200.00"), by=User.objects.get())
    html = staff_client.get("/admin/antraege/haushaltsjahr/uebersicht/").content.decode()
    assert "Hörde" in html and "Zentrales Projektbudget" in html
    assert "1.200,00\xa0€" in html and "3.800,00\xa0€" in html  # granted, left in Hörde
    assert "161.000,00\xa0€" in html and "226.000,00\xa0€" in html


def test_budget_overview_query_count_does_not_grow_with_areas(
    staff_client, django_assert_max_num_queries
):
    staff_client.get("/admin/antraege/haushaltsjahr/uebersicht/")
    AktionsraumFactory.create_batch(50)
    from django.utils import timezone

    budget.fonds_anlegen(haushaltsjahr=budget.haushaltsjahr_fuer(jahr=timezone.localdate().year))
    # Session, user, years, the year, funds, payouts, central sums: never one per area.
    with django_assert_max_num_queries(10):
        assert staff_client.get("/admin/antraege/haushaltsjahr/uebersicht/").status_code == 200
