"""Who may see the applicants' contact data and bank account: two permissions for the roles."""

from django.db import migrations


def rollen_aktualisieren(apps, schema_editor):
    from antraege.rollen import rollen_anlegen

    rollen_anlegen(apps)


class Migration(migrations.Migration):
    dependencies = [("antraege", "0006_statuslink_gehasht")]

    operations = [
        migrations.AlterModelOptions(
            name="antrag",
            options={
                "ordering": ["-eingereicht_am"],
                "permissions": [
                    ("alle_aktionsraeume", "Anträge aller Aktionsräume sehen"),
                    ("bewilligen_zentral", "Aus dem zentralen Projektbudget bewilligen"),
                    ("auszahlen", "Auszahlungen buchen und Verwendungsnachweise abschließen"),
                    (
                        "kontaktdaten_sehen",
                        "Adresse, Telefon und E-Mail der Antragstellenden sehen",
                    ),
                    ("iban_sehen", "Bankverbindung der Antragstellenden sehen"),
                ],
                "verbose_name": "Antrag",
                "verbose_name_plural": "Anträge",
            },
        ),
        migrations.RunPython(rollen_aktualisieren, migrations.RunPython.noop),
    ]
