"""`make restore ARCHIV=…`: an archive back into an empty database and attachment folder."""

from django.core.management.base import BaseCommand, CommandError

from aktionsplan.kern.sicherung import SicherungFehler, einspielen


class Command(BaseCommand):
    help = "Spielt eine Sicherung in eine leere Datenbank und einen leeren Anlagenordner ein."

    def add_arguments(self, parser):
        parser.add_argument("quelle", help="Archivdatei von sicherung_schreiben")

    def handle(self, *args, quelle, **options):
        try:
            einspielen(quelle)
        except SicherungFehler as fehler:
            raise CommandError(str(fehler)) from None
        self.stdout.write(f"Sicherung eingespielt: {quelle}")
        # Workers keep their database connection (CONN_MAX_AGE): a running portal would go on
        # reading what its connections opened before.
        self.stdout.write(
            "Läuft das Portal schon (gunicorn), starten Sie es jetzt neu, damit jeder Prozess "
            "die eingespielte Datenbank liest (z. B. systemctl restart aktionsplan oder "
            "kill -HUP <PID des gunicorn-Hauptprozesses>)."
        )
