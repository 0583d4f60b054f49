"""Fills N Anträge in a transaction that is rolled back, and times the admin's pages.

    manage.py benchmark_changelist --anzahl 20000 --laeufe 15

Prints the median and the slowest time of the changelist (first page, a search, a filter)
and of the budget overview. Nothing is left in the database afterwards.
"""

import secrets
import statistics
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from aktionsplan.kern import seitencache, zweifaktor
from antraege.models import Antrag, Buchung, Kostenposition, Status
from antraege.services import budget
from quartiere.models import Aktionsraum

SEITEN = {
    "Antragsliste": "/admin/antraege/antrag/",
    "Antragsliste, Suche": "/admin/antraege/antrag/?q=Projekt+1234",
    "Antragsliste, Filter": "/admin/antraege/antrag/?status__exact=in_pruefung",
    "Budgetübersicht": "/admin/antraege/haushaltsjahr/uebersicht/",
}


class Rollback(Exception):
    pass


def antraege_fuellen(anzahl: int, *, jahr: int | None = None, kosten: int = 0) -> None:
    """Creates `anzahl` Anträge in bulk with `kosten` cost rows each (benchmark and query-count
    test data only, marked "Lasttest"); one granted fund Antrag in 40 gets a 100 € booking."""
    hj = budget.haushaltsjahr_fuer(jahr=jahr or timezone.localdate().year)
    start = (Antrag.objects.filter(haushaltsjahr=hj).count() or 0) + 1
    raeume = list(Aktionsraum.objects.all())
    status = [Status.EINGEREICHT, Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF, Status.BEWILLIGT]
    jetzt = timezone.now()
    objekte = []
    for i in range(start, start + anzahl):
        objekte.append(
            Antrag(
                aktenzeichen=f"AP-{hj.jahr}-{i:06d}",
                haushaltsjahr=hj,
                laufende_nummer=i,
                status_token_hash=secrets.token_hex(32),
                status=status[i % len(status)],
                aktionsraum=raeume[i % len(raeume)],
                finanzierungsquelle="fonds" if i % 3 else "projektbudget",
                titel=f"Projekt {i}",
                beschreibung="Lasttest",
                ziel_nachbarschaft=True,
                zielgruppe="Lasttest",
                teilnehmende=10,
                durchfuehrungsort="Lasttest",
                beginn=date(hj.jahr, 5, 1),
                ende=date(hj.jahr, 5, 2),
                antragsteller_art="initiative",
                ansprechperson=f"Person {i}",
                strasse="Teststraße 1",
                plz="44135",
                email="last@example.org",
                kontoinhaber="Lasttest",
                iban="DE89370400440532013000",
                beantragter_betrag=Decimal("100.00"),
                datenschutz_zugestimmt_am=jetzt,
            )
        )
    Antrag.objects.bulk_create(objekte, batch_size=2000)
    neu = Antrag.objects.filter(haushaltsjahr=hj, laufende_nummer__gte=start)
    if kosten:
        Kostenposition.objects.bulk_create(
            (
                Kostenposition(antrag_id=pk, beschreibung=f"Kostenart {k}", betrag=Decimal("50.00"))
                for pk in neu.values_list("pk", flat=True).iterator()
                for k in range(1, kosten + 1)
            ),
            batch_size=5000,
        )
    if hj.eingerichtet:
        fonds = {f.aktionsraum_id: f for f in hj.fonds.all()}
        Buchung.objects.bulk_create(
            Buchung(
                haushaltsjahr=hj,
                fonds=fonds[a.aktionsraum_id],
                antrag=a,
                art=Buchung.Art.BEWILLIGUNG,
                betrag=Decimal("100.00"),
            )
            for a in neu.filter(status=Status.BEWILLIGT, finanzierungsquelle="fonds").only(
                "pk", "aktionsraum_id", "laufende_nummer"
            )
            if a.laufende_nummer % 40 == 3 and a.aktionsraum_id in fonds
        )
    if connection.vendor == "postgresql":
        # As autovacuum would after such a load: without statistics the planner takes the
        # table for empty and may join 20,000 rows with 20,000 in a nested loop (minutes).
        with connection.cursor() as cursor:
            for tabelle in ["antraege_antrag", "antraege_kostenposition", "antraege_buchung"]:
                cursor.execute(f"ANALYZE {tabelle}")
    seitencache.veraltet()  # bulk_create sends no signals


class Command(BaseCommand):
    help = "Misst die Antragsliste im Verwaltungsbereich mit vielen Anträgen (ohne Spuren)."

    def add_arguments(self, parser):
        parser.add_argument("--anzahl", type=int, default=20000)
        parser.add_argument("--laeufe", type=int, default=15)

    def handle(self, *args, anzahl, laeufe, **options):
        try:
            with transaction.atomic():
                self._messen(anzahl, laeufe)
                raise Rollback
        except Rollback:
            self.stdout.write("Testdaten wieder entfernt.")

    def _messen(self, anzahl, laeufe):
        t0 = time.perf_counter()
        antraege_fuellen(anzahl)
        self.stdout.write(f"{anzahl} Anträge angelegt in {time.perf_counter() - t0:.1f} s")
        user = User.objects.create_superuser(f"benchmark-{secrets.token_hex(4)}")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        zweifaktor.sitzung_bestaetigen(client, user)
        for name, url in SEITEN.items():
            client.get(url)  # warm-up
            zeiten = []
            for _ in range(laeufe):
                t = time.perf_counter()
                response = client.get(url)
                zeiten.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            self.stdout.write(
                f"{name}: Median {statistics.median(zeiten):.0f} ms, "
                f"langsamster Lauf {max(zeiten):.0f} ms ({laeufe} Läufe)"
            )
