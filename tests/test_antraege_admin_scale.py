"""The changelist and the overview stay at a bounded number of queries with 20,000 Anträge."""

import pytest
from django.contrib.auth.models import User

from antraege.services import budget
from tests.bench.fuellen import antraege_fuellen

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero"))
    return client


# The pages read the same 20,000 rows: filled once for all of them (filling takes 3 s).
SEITEN = [
    "/admin/antraege/antrag/",
    "/admin/antraege/antrag/?q=Projekt+1234",
    "/admin/antraege/antrag/?status__exact=in_pruefung&aktionsraum__id__exact=1",
    "/admin/antraege/haushaltsjahr/uebersicht/",
    "/admin/antraege/antrag/?aufgabe=nachweis_ueberfaellig",
    "/admin/antraege/antrag/?aufgabe=ohne_tagesordnung",
]


def test_admin_pages_query_count_is_bounded_with_20000_antraege(
    staff_client, django_assert_max_num_queries
):
    antraege_fuellen(20000)
    for url in SEITEN:
        with django_assert_max_num_queries(15, info=url):
            response = staff_client.get(url)
        assert response.status_code == 200, url


def test_the_start_page_makes_as_many_queries_with_20000_antraege_as_with_none(
    staff_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    budget.haushaltsjahr_fuer(jahr=timezone.localdate().year)
    with CaptureQueriesContext(connection) as leer:
        assert staff_client.get("/admin/").status_code == 200
    antraege_fuellen(20000)
    with django_assert_max_num_queries(len(leer.captured_queries)):
        response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert len(leer.captured_queries) <= 30
