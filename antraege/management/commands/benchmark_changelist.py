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

from aktionsplan import zweifaktor
from antraege import services
from antraege.models import Antrag, Status
from quartiere.models import Aktionsraum

SEITEN = {
    "Antragsliste": "/admin/antraege/antrag/",
    "Antragsliste, Suche": "/admin/antraege/antrag/?q=Projekt+1234",
    "Antragsliste, Filter": "/admin/antraege/antrag/?status__exact=in_pruefung",
    "Budgetübersicht": "/admin/antraege/haushaltsjahr/uebersicht/",
}


class Rollback(Exception):
    pass


def antraege_fuellen(anzahl: int) -> None:
    """Creates `anzahl` Anträge in bulk (benchmark and query-count test data only)."""
    hj = services.haushaltsjahr_fuer(jahr=timezone.localdate().year)
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
    if connection.vendor == "postgresql":
        # As autovacuum would after such a load: without statistics the planner takes the
        # table for empty and may join 20,000 rows with 20,000 in a nested loop (minutes).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE antraege_antrag")


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
