"""On a fresh install, sets up the current budget year with the programme's amounts.

Run by `make run` and `make serve` after the migrations: it does nothing once any year has
been set up, so the Projektbüro's own years and amounts are never touched.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from antraege.services import budget


class Command(BaseCommand):
    help = (
        "Richtet bei einer neuen Installation das laufende Haushaltsjahr mit den Beträgen des "
        "Programms ein (226.000 €, davon 5.000 € je Aktionsraumfonds)."
    )

    def handle(self, *args, **options):
        jahr = timezone.localdate().year
        hj = budget.haushaltsjahr_mit_programmbetraegen(jahr=jahr)
        if hj is not None:
            self.stdout.write(
                f"Haushaltsjahr {jahr} eingerichtet: 226.000 € Projektbudget, davon "
                f"{hj.fonds.count()} Aktionsraumfonds zu je 5.000 €."
            )
