"""`make backup`: the database and the attachments in one archive (aktionsplan/kern/
sicherung.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aktionsplan.kern.sicherung import SicherungFehler, schreiben


class Command(BaseCommand):
    help = "Schreibt Datenbank und Anlagen in ein Archiv (tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("ziel", nargs="?", help="Archivdatei; Standard: backups/<Zeit>.tar.gz")

    def handle(self, *args, ziel=None, **options):
        ziel = Path(ziel or f"backups/aktionsplan-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            schreiben(ziel)
        except SicherungFehler as fehler:
            raise CommandError(str(fehler)) from None
        self.stdout.write(f"Sicherung geschrieben: {ziel}")
