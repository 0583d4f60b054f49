"""Removes personal data whose retention period has passed (DSGVO); run it daily from cron:

30 3 * * * cd /srv/aktionsplan && .venv/bin/python manage.py personendaten_loeschen
"""

from django.core.management.base import BaseCommand

from antraege.services.datenschutz import personendaten_loeschen


class Command(BaseCommand):
    help = (
        "Löscht die Personendaten von Anträgen, deren Aufbewahrungsfrist abgelaufen ist, "
        "und alte Anmeldeprotokolle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--probe", action="store_true", help="Nur anzeigen, was gelöscht würde."
        )

    def handle(self, *args, probe=False, **options):
        lauf = personendaten_loeschen(probe=probe)
        vorsilbe = "Würde löschen" if probe else "Gelöscht"
        self.stdout.write(
            f"{vorsilbe}: Personendaten von {len(lauf.antraege)} Anträgen"
            + (f" ({', '.join(lauf.antraege)})" if lauf.antraege else "")
            + f", {lauf.anmeldeprotokolle} Anmeldeprotokolle"
            + f", {lauf.entwuerfe} abgelaufene Entwürfe"
            + f", {lauf.vorlaeufige_anlagen} vorläufige Anlagen"
        )
