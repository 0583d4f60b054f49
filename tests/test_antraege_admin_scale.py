"""The changelist and the overview stay at a bounded number of queries with 20,000 Anträge."""

import pytest
from django.contrib.auth.models import User

from antraege.management.commands.benchmark_changelist import antraege_fuellen

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero"))
    return client


@pytest.fixture
def viele_antraege():
    antraege_fuellen(20000)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/antraege/antrag/",
        "/admin/antraege/antrag/?q=Projekt+1234",
        "/admin/antraege/antrag/?status__exact=in_pruefung&aktionsraum__id__exact=1",
        "/admin/antraege/haushaltsjahr/uebersicht/",
    ],
)
def test_admin_pages_query_count_is_bounded_with_20000_antraege(
    staff_client, viele_antraege, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(15):
        response = staff_client.get(url)
    assert response.status_code == 200
