"""Retries every mail that could not be sent yet (run it from cron, e.g. every 5 minutes)."""

from django.core.management.base import BaseCommand

from antraege.emails import offene_mails_senden


class Command(BaseCommand):
    help = "Sendet alle noch nicht versandten E-Mails erneut."

    def handle(self, *args, **options):
        sent, failing = offene_mails_senden()
        self.stdout.write(f"{sent} gesendet, {failing} weiterhin fehlgeschlagen")
        if failing:
            raise SystemExit(1)
