"""20 staff granting at the same instant cannot overspend a pot by a cent (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection

from antraege import services
from antraege.models import Antrag, Buchung, Status

from .factories import submitted_antrag

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def test_parallel_grants_never_exceed_the_fund():
    staff = User.objects.create_user("projektbuero", is_staff=True)
    antraege = []
    for _ in range(25):  # 25 x 400 = 10,000 asked of a 5,000 fund: 12 fit, 13 must be refused
        antrag = submitted_antrag(beantragter_betrag=Decimal("400.00"))
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
        antraege.append(antrag)
    start = threading.Barrier(20)

    def grant(antrag):
        try:
            start.wait(timeout=30) if antraege.index(antrag) < 20 else None
            services.antrag_bewilligen(antrag=antrag, betrag=Decimal("400.00"), by=staff)
            return "ok"
        except ValidationError as exc:
            return exc.messages[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(grant, antraege))

    booked = sum(b.betrag for b in Buchung.objects.all())
    assert booked == Decimal("4800.00")
    assert results.count("ok") == 12
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 13
    assert all("Nicht genug Geld im Topf" in r for r in refused)
    assert Antrag.objects.filter(status=Status.BEWILLIGT).count() == 12
