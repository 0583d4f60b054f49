"""The Projektbüro maintains the district pages' documents and key figures."""

from django.db import migrations


def anlegen(apps, schema_editor):
    from antraege.rollen import rollen_anlegen

    rollen_anlegen(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("antraege", "0012_adresse_bestaetigt_anonymisiert"),
        ("quartiere", "0004_positionen"),
    ]

    operations = [migrations.RunPython(anlegen, migrations.RunPython.noop)]
