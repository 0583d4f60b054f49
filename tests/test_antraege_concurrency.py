"""Parallel submissions on PostgreSQL: Aktenzeichen stay unique and gap-free."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from antraege.models import Antrag

from .factories import submitted_antrag

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def _submit(_):
    try:
        return submitted_antrag(finanzierungsquelle="projektbudget").aktenzeichen
    finally:
        connection.close()


def test_parallel_submissions_get_unique_consecutive_aktenzeichen():
    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(_submit, range(40)))
    assert len(set(numbers)) == 40
    assert sorted(Antrag.objects.values_list("laufende_nummer", flat=True)) == list(range(1, 41))
