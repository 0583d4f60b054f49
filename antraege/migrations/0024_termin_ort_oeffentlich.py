# Anträge made before the online form said that the place and dates of a granted project are
# shown publicly were promised only title, amount and goal: they keep that promise (False);
# new ones say so in the form (True).

from django.db import migrations, models


def bisherige_nicht_oeffentlich(apps, schema_editor):
    apps.get_model("antraege", "Antrag").objects.update(termin_ort_oeffentlich=False)


class Migration(migrations.Migration):
    dependencies = [
        ("antraege", "0023_nachweis_ungeplant"),
    ]

    operations = [
        migrations.AddField(
            model_name="antrag",
            name="termin_ort_oeffentlich",
            field=models.BooleanField(
                default=True, verbose_name="Zeitraum und Ort dürfen öffentlich genannt werden"
            ),
        ),
        migrations.AddField(
            model_name="historicalantrag",
            name="termin_ort_oeffentlich",
            field=models.BooleanField(
                default=True, verbose_name="Zeitraum und Ort dürfen öffentlich genannt werden"
            ),
        ),
        migrations.RunPython(bisherige_nicht_oeffentlich, migrations.RunPython.noop),
    ]
