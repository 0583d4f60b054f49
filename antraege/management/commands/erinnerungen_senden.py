"""Daily: reminders of the Verwendungsnachweis and the Beauftragte's weekly list (cron)."""

from django.core.management.base import BaseCommand

from antraege.models import Erinnerung
from antraege.services.fristen import erinnerungen_senden


class Command(BaseCommand):
    help = (
        "Sendet fällige Erinnerungen: Verwendungsnachweis 14 Tage vor und am Tag nach der "
        "Frist, einmal je Woche die Liste für die Beauftragten. Jede Erinnerung höchstens einmal."
    )

    def handle(self, *args, **options):
        gesendet = erinnerungen_senden()
        for anlass, anzahl in gesendet.items():
            self.stdout.write(f"{Erinnerung.Anlass(anlass).label}: {anzahl}")
