"""The public pages make as many queries with 20,000 Anträge as with none."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aktionsplan.kern import seitencache
from antraege.models import Buchung, Kostenposition
from tests.bench.fuellen import antraege_fuellen

pytestmark = pytest.mark.django_db

SEITEN = ["/", "/en/", "/aktionsraeume/", "/aktionsraeume/hoerde/", "/antrag/", "/en/antrag/"]


def _abfragen():
    """Queries per page as rendered (not from the page cache)."""
    zahlen = {}
    for url in SEITEN:
        seitencache.neu_gestartet()
        with CaptureQueriesContext(connection) as abfragen:
            response = Client().get(url)
        assert response.status_code == 200 and seitencache.KOPFZEILE not in response
        zahlen[url] = len(abfragen.captured_queries)
    return zahlen


def test_public_pages_query_counts_are_the_same_with_0_and_20000_antraege():
    leer = _abfragen()
    jahr = timezone.localdate().year
    antraege_fuellen(20000, jahr=jahr, kosten=3)
    assert Kostenposition.objects.count() == 60000
    assert Buchung.objects.filter(antrag__aktionsraum__slug="hoerde").exists()  # listed there
    # One query more on a district page once it lists granted projects (their titles), however
    # many there are; every other page makes exactly as many.
    assert _abfragen() == {**leer, "/aktionsraeume/hoerde/": leer["/aktionsraeume/hoerde/"] + 1}
    assert all(n <= 9 for n in leer.values()), leer
