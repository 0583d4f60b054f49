"""Many Anträge at once, for the benchmarks and the query-count tests (marked "Lasttest")."""

import secrets
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from aktionsplan.kern import seitencache
from antraege.models import Antrag, Buchung, Kostenposition, Status
from antraege.services import budget
from quartiere.models import Aktionsraum


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
