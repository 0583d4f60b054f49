"""The ledger's rules as constraints, once the data follow them (see 0010)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("antraege", "0010_hauptbuch_daten")]

    operations = [
        migrations.AddConstraint(
            model_name='buchung',
            constraint=models.CheckConstraint(condition=models.Q(('betrag__gt', 0)), name='buchung_betrag_positiv'),
        ),
        migrations.AddConstraint(
            model_name='buchung',
            constraint=models.UniqueConstraint(condition=models.Q(('art', 'rueckzahlung')), fields=('antrag', 'referenz'), name='rueckzahlung_referenz_einmal'),
        ),
    ]
