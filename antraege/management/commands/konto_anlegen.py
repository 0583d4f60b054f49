"""Creates a staff account in one of the three roles, e.g. the first Projektbüro account."""

import getpass
import os

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aktionsplan.kern import zweifaktor
from antraege.rollen import BEAUFTRAGTE, LESEZUGRIFF, PROJEKTBUERO, rollen_anlegen
from quartiere.models import Beauftragte

ROLLEN = {"projektbuero": PROJEKTBUERO, "beauftragte": BEAUFTRAGTE, "lesezugriff": LESEZUGRIFF}


class Command(BaseCommand):
    help = (
        "Legt ein Konto für den Verwaltungsbereich an: "
        "konto_anlegen projektbuero NAME --email ADRESSE (fragt nach dem Passwort)."
    )

    def add_arguments(self, parser):
        parser.add_argument("rolle", choices=sorted(ROLLEN))
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--beauftragte",
            help="Name der Beauftragten (wie im Verwaltungsbereich), mit der das Konto "
            "verknüpft wird; nötig für die Rolle beauftragte.",
        )

    def handle(self, *args, rolle, username, email, beauftragte, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Den Benutzernamen „{username}“ gibt es schon.")
        person = None
        if rolle == "beauftragte":
            person = Beauftragte.objects.filter(name=beauftragte or "").first()
            if person is None:
                raise CommandError(
                    "Für die Rolle beauftragte bitte --beauftragte mit einem vorhandenen "
                    'Namen angeben, z. B. --beauftragte "Anke Weiermann".'
                )
        passwort = os.environ.get("KONTO_PASSWORT") or self._passwort_abfragen()
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(passwort, user)
        except ValidationError as exc:
            raise CommandError("Passwort abgelehnt: " + " ".join(exc.messages)) from None
        if not Group.objects.filter(name=ROLLEN[rolle]).exists():
            rollen_anlegen()
        with transaction.atomic():
            user.set_password(passwort)
            user.save()
            user.groups.add(Group.objects.get(name=ROLLEN[rolle]))
            if person is not None:
                person.user = user
                person.save(update_fields=["user"])
            uri, codes = zweifaktor.konto_einrichten(user)
        self.stdout.write(f"Konto „{username}“ mit der Rolle {ROLLEN[rolle]} angelegt.")
        # Shown this once: the key for the authenticator app and the backup codes.
        self.stdout.write(
            "Zweiter Faktor: diese Adresse in die Authenticator-App übernehmen (als QR-Code "
            "oder von Hand); sie wird nur jetzt angezeigt:"
        )
        self.stdout.write(uri)
        self.stdout.write("Ersatzcodes (jeder gilt einmal): " + " ".join(codes))

    def _passwort_abfragen(self):
        erstes = getpass.getpass("Passwort: ")
        if erstes != getpass.getpass("Passwort (wiederholen): "):
            raise CommandError("Die beiden Passwörter stimmen nicht überein.")
        return erstes
