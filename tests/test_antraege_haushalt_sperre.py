"""Budget and fund edits lock the year as every grant does (PostgreSQL): staff lowering a
fund while a Projektkonferenz grants from it wait for the grant and then see it, so the fund
never ends below what it has bound."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation

from antraege.models import Aktionsraumfonds, Antrag, Haushaltsjahr, Status
from antraege.selectors.hauptbuch import geldstand

from .factories import fonds_bewilligen, projektbuero_user, submitted_antrag

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def formular(hj, hoerde_betrag):
    daten = {
        "jahr": str(hj.jahr),
        "gesamtbudget": "226000.00",
        "fonds_je_aktionsraum": "5000.00",
        "nachweis_frist_monate": "3",
        "eingerichtet": "on",
    }
    fonds = list(hj.fonds.order_by("id"))
    daten |= {
        "fonds-TOTAL_FORMS": str(len(fonds)),
        "fonds-INITIAL_FORMS": str(len(fonds)),
        "fonds-MIN_NUM_FORMS": "0",
        "fonds-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(fonds):
        daten |= {
            f"fonds-{i}-id": str(f.pk),
            f"fonds-{i}-haushaltsjahr": str(hj.pk),
            f"fonds-{i}-aktionsraum": str(f.aktionsraum_id),
            f"fonds-{i}-betrag": hoerde_betrag if f.aktionsraum.slug == "hoerde" else "5000.00",
        }
    return daten


def test_lowering_a_fund_waits_for_a_grant_in_progress_and_then_refuses():
    staff = projektbuero_user()
    hj = Haushaltsjahr.objects.get(jahr=timezone.localdate().year)
    antrag = submitted_antrag(beantragter_betrag=Decimal("4000.00"))
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    daten = formular(hj, "2000.00")
    gebucht, weiter, antworten = threading.Event(), threading.Event(), []

    def bewilligen():
        try:
            with transaction.atomic():
                fonds_bewilligen(Antrag.objects.get(pk=antrag.pk), Decimal("4000.00"), staff)
                gebucht.set()  # booked, year and fund locked, not yet committed
                assert weiter.wait(20)
        finally:
            connection.close()

    def senken():
        try:
            with translation.override("de"):  # as the suite's own thread
                client = Client()
                client.force_login(projektbuero_user("zweite"))
                url = f"/admin/antraege/haushaltsjahr/{hj.pk}/change/"
                antworten.append(client.post(url, daten))
        finally:
            connection.close()

    grant = threading.Thread(target=bewilligen)
    grant.start()
    assert gebucht.wait(20)
    edit = threading.Thread(target=senken)
    edit.start()
    edit.join(1.0)
    assert edit.is_alive()  # the edit waits for the year the grant holds
    weiter.set()
    grant.join(20)
    edit.join(20)
    (antwort,) = antworten
    assert antwort.status_code == 200
    fehler = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", antwort.content.decode(), re.S)
    assert "nicht unter die schon gebundenen 4.000,00" in " ".join(fehler), fehler
    fonds = Aktionsraumfonds.objects.get(haushaltsjahr=hj, aktionsraum__slug="hoerde")
    assert fonds.betrag == Decimal("5000.00")
    assert geldstand(fonds.buchungen.all()).gebunden == Decimal("4000.00") <= fonds.betrag
