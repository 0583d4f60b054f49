"""Fills N Anträge in a transaction that is rolled back, and times the admin's pages.

    .venv/bin/python -m tests.bench.verwaltung --anzahl 20000 --laeufe 15

Prints the median and the slowest time of the changelist (first page, a search, a filter)
and of the budget overview. Nothing is left in the database afterwards (DATABASE_URL as for
the portal; SQLite by default).
"""

import argparse
import os
import secrets
import statistics
import time

import django

SEITEN = {
    "Antragsliste": "/admin/antraege/antrag/",
    "Antragsliste, Suche": "/admin/antraege/antrag/?q=Projekt+1234",
    "Antragsliste, Filter": "/admin/antraege/antrag/?status__exact=in_pruefung",
    "Budgetübersicht": "/admin/antraege/haushaltsjahr/uebersicht/",
}


class Rollback(Exception):
    pass


def messen(anzahl: int, laeufe: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from aktionsplan.kern import zweifaktor
    from tests.bench.fuellen import antraege_fuellen

    t0 = time.perf_counter()
    antraege_fuellen(anzahl)
    print(f"{anzahl} Anträge angelegt in {time.perf_counter() - t0:.1f} s")
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
        print(
            f"{name}: Median {statistics.median(zeiten):.0f} ms, "
            f"langsamster Lauf {max(zeiten):.0f} ms ({laeufe} Läufe)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=20000)
    parser.add_argument("--laeufe", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktionsplan.settings")
    django.setup()
    from django.db import transaction

    try:
        with transaction.atomic():
            messen(args.anzahl, args.laeufe)
            raise Rollback
    except Rollback:
        print("Testdaten wieder entfernt.")


if __name__ == "__main__":
    main()
