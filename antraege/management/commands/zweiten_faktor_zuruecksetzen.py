"""Resets a staff account's second factor (lost phone): it sets up a new one at its next login."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Setzt den zweiten Faktor eines Kontos zurück (z. B. verlorenes Diensthandy): "
        "bei der nächsten Anmeldung richtet die Person ihn neu ein."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Ein Konto „{username}“ gibt es nicht.")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
        self.stdout.write(
            f"Zweiter Faktor von „{username}“ zurückgesetzt. Die Person richtet ihn bei der "
            "nächsten Anmeldung neu ein; bitte vorher ihre Identität prüfen."
        )
