"""20 staff granting, paying or booking refunds at the same instant cannot overspend or
settle a claim twice by a cent (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from antraege.models import Antrag, Auszahlung, Buchung, Status
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import workflow
from antraege.services.auszahlung import auszahlung_anordnen, auszahlung_feststellen
from antraege.services.konferenz import EINVERNEHMLICH, beschluss_fassen

from .factories import (
    auszahlen,
    konferenz_fuer,
    projektbuero_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


def parallel(function, items):
    """Runs `function` on every item in 20 threads that start at the same instant."""
    start = threading.Barrier(min(20, len(items)))

    def run(index_item):
        index, item = index_item
        try:
            if index < 20:
                start.wait(timeout=30)
            function(item)
            return "ok"
        except ValidationError as exc:
            return exc.messages[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(run, enumerate(items)))


def test_parallel_beschluesse_never_exceed_the_fund():
    staff = projektbuero_user()
    antraege = []
    for _ in range(25):  # 25 x 400 = 10,000 asked of a 5,000 fund: 12 fit, 13 must be refused
        antrag = submitted_antrag(beantragter_betrag=Decimal("400.00"))
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
        antraege.append(antrag)
    konferenz = konferenz_fuer(antraege[0].aktionsraum, antraege)

    results = parallel(
        lambda antrag: beschluss_fassen(
            konferenz=konferenz,
            antrag=antrag,
            ergebnis="bewilligt",
            betrag=Decimal("400.00"),
            abstimmung=EINVERNEHMLICH,
            by=staff,
        ),
        antraege,
    )

    assert sum(b.betrag for b in Buchung.objects.all()) == Decimal("4800.00")
    assert results.count("ok") == 12
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 13
    assert all("Nicht genug Geld im Topf" in r for r in refused)
    assert Antrag.objects.filter(status=Status.BEWILLIGT).count() == 12
    assert konferenz.beschluesse.count() == 12  # a refused grant leaves no Beschluss behind


def test_parallel_central_grants_never_exceed_the_central_budget():
    staff = projektbuero_user()
    antraege = []
    for _ in range(20):  # 20 x 10,000 asked of 161,000: 16 fit, 4 must be refused
        antrag = submitted_antrag(
            finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("10000.00")
        )
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
        antraege.append(antrag)

    results = parallel(
        lambda antrag: workflow.antrag_bewilligen(
            antrag=antrag, betrag=Decimal("10000.00"), by=staff
        ),
        antraege,
    )

    assert sum(b.betrag for b in Buchung.objects.all()) == Decimal("160000.00")
    assert results.count("ok") == 16
    assert all("Nicht genug Geld im Topf" in r for r in results if r != "ok")


def test_parallel_payouts_never_exceed_the_grant():
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff)

    results = parallel(
        lambda n: auszahlung_feststellen(
            antrag=antrag,
            betrag=Decimal("150.00"),
            datum=timezone.localdate(),
            referenz=f"Rate {n}",
            by=staff,
        ),
        list(range(20)),
    )

    assert sum(a.betrag for a in Auszahlung.objects.all()) == Decimal("900.00")
    assert results.count("ok") == 6
    assert all("höchstens noch" in r for r in results if r != "ok")


def test_a_payout_ordered_by_many_at_once_is_ordered_once():
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff)
    auszahlung = auszahlung_feststellen(
        antrag=antrag, betrag=Decimal("400.00"), datum=timezone.localdate(), referenz="K", by=staff
    )
    zweite = [projektbuero_user(f"kasse{n}") for n in range(10)]

    results = parallel(lambda user: auszahlung_anordnen(auszahlung=auszahlung, by=user), zweite)

    assert results.count("ok") == 1
    assert all("bereits angeordnet" in r for r in results if r != "ok")
    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag_geldstand(antrag).netto_ausgezahlt == Decimal("400.00")
    assert antrag.status == Status.TEILWEISE_AUSGEZAHLT
    erste = antrag.verlauf.filter(nach=Status.TEILWEISE_AUSGEZAHLT, von=Status.BEWILLIGT)
    assert erste.count() == 1
    assert antrag.buchungen.filter(art=Buchung.Art.AUSZAHLUNG).count() == 1


def test_parallel_refunds_never_exceed_what_is_owed():
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff)
    auszahlen(antrag, "1000.00", staff)
    workflow.antrag_rueckfordern(
        antrag=antrag, betrag=Decimal("100.00"), by=staff, kommentar="Nicht verbraucht."
    )
    heute = timezone.localdate()
    kasse = projektbuero_user("kasse")  # a second account books what arrives

    results = parallel(
        lambda n: workflow.rueckzahlung_buchen(
            antrag=antrag, betrag=Decimal("30.00"), datum=heute, referenz=f"R{n}", by=kasse
        ),
        list(range(20)),
    )

    assert results.count("ok") == 3
    assert all("nur noch" in r for r in results if r != "ok")
    stand = antrag_geldstand(Antrag.objects.get(pk=antrag.pk))
    assert stand.zurueckerhalten == Decimal("90.00") and stand.rueckzahlung_offen == 10


def test_a_refund_and_a_write_off_at_once_never_settle_more_than_is_owed():
    staff, zweite = projektbuero_user(), projektbuero_user("zweite")
    antrag = zentral_bewilligt(staff)
    auszahlen(antrag, "1000.00", staff)
    workflow.antrag_rueckfordern(
        antrag=antrag, betrag=Decimal("100.00"), by=staff, kommentar="Nicht verbraucht."
    )
    heute = timezone.localdate()
    schritte = [
        lambda: workflow.rueckzahlung_buchen(
            antrag=antrag, betrag=Decimal("100.00"), datum=heute, referenz="R", by=zweite
        ),
        lambda: workflow.rueckforderung_niederschlagen(antrag=antrag, by=zweite, grund="weg"),
    ] * 5

    results = parallel(lambda schritt: schritt(), schritte)

    assert results.count("ok") == 1
    stand = antrag_geldstand(Antrag.objects.get(pk=antrag.pk))
    assert stand.zurueckerhalten + stand.niedergeschlagen == Decimal("100.00")
    assert stand.rueckzahlung_offen == 0


def test_a_conflict_declared_while_the_beschluss_is_taken_never_slips_past_the_quorum():
    """Ten rounds: a Beschluss with the exact quorum and a conflict of interest of one of the
    voters, at the same instant. Either the conflict came first (then the Beschluss is refused
    for want of the quorum) or the Beschluss did (then the conflict is refused): never both."""
    from antraege.models import Befangenheit, Beschluss, Rolle, Teilnahme
    from antraege.services import konferenz as dienst
    from quartiere.models import Aktionsraum

    staff = projektbuero_user()
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    Aktionsraum.objects.filter(pk=hoerde.pk).update(konferenz_quorum=2)
    for runde in range(10):
        antrag = submitted_antrag(beantragter_betrag=Decimal("100.00"))
        for schritt in (Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF):
            antrag = workflow.antrag_status_setzen(antrag=antrag, nach=schritt, by=staff)
        konferenz = konferenz_fuer(hoerde, [antrag])  # the Bezirksbürgermeister votes
        zweite = Teilnahme.objects.create(
            konferenz=konferenz, name=f"Mitglied {runde}", rolle=Rolle.BEZIRKSVERTRETUNG,
            stimmberechtigt=True, anwesend=True,
        )  # fmt: skip
        aufgaben = [
            lambda konferenz=konferenz, antrag=antrag: dienst.beschluss_fassen(
                konferenz=konferenz, antrag=antrag, ergebnis="bewilligt",
                betrag=Decimal("100.00"), abstimmung=EINVERNEHMLICH, by=staff,
            ),
            lambda konferenz=konferenz, antrag=antrag, zweite=zweite: dienst.befangenheit_erfassen(
                konferenz=konferenz, teilnahme=zweite, antrag=antrag, grund="Vorstand", by=staff
            ),
        ]  # fmt: skip
        ergebnisse = parallel(lambda aufgabe: aufgabe(), aufgaben)
        assert ergebnisse.count("ok") == 1, ergebnisse
        beschluss = Beschluss.objects.filter(antrag=antrag).exists()
        befangen = Befangenheit.objects.filter(antrag=antrag).exists()
        assert beschluss != befangen
