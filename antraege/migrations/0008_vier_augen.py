"""Vier-Augen-Prinzip: payouts in two steps, confirmation of changed bank accounts, a reason
for conferences entered late. Payouts booked before count as ordered (no second person)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q


def alte_auszahlungen_angeordnet(apps, schema_editor):
    Auszahlung = apps.get_model("antraege", "Auszahlung")
    Auszahlung.objects.filter(angeordnet_am__isnull=True).update(angeordnet_am=F("festgestellt_am"))


def rollen_aktualisieren(apps, schema_editor):
    from antraege.rollen import rollen_anlegen

    rollen_anlegen(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("antraege", "0007_personendaten_rechte"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("auszahlung", "user", "festgestellt_von"),
        migrations.RenameField("auszahlung", "gebucht_am", "festgestellt_am"),
        migrations.AlterField(
            model_name="auszahlung",
            name="festgestellt_von",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Sachlich und rechnerisch richtig: festgestellt von",
            ),
        ),
        migrations.AlterField(
            model_name="auszahlung",
            name="festgestellt_am",
            field=models.DateTimeField(auto_now_add=True, verbose_name="Festgestellt am"),
        ),
        migrations.AddField(
            model_name="auszahlung",
            name="angeordnet_von",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Angeordnet von",
            ),
        ),
        migrations.AddField(
            model_name="auszahlung",
            name="angeordnet_am",
            field=models.DateTimeField(blank=True, null=True, verbose_name="Angeordnet am"),
        ),
        migrations.RunPython(alte_auszahlungen_angeordnet, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auszahlung",
            constraint=models.CheckConstraint(
                condition=~Q(angeordnet_von=F("festgestellt_von")), name="auszahlung_vier_augen"
            ),
        ),
        migrations.AddConstraint(
            model_name="auszahlung",
            constraint=models.CheckConstraint(
                condition=Q(angeordnet_von__isnull=True) | Q(angeordnet_am__isnull=False),
                name="auszahlung_angeordnet_mit_datum",
            ),
        ),
        migrations.AddField(
            model_name="antrag",
            name="iban_pruefung_offen",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="Neue Bankverbindung noch nicht bestätigt",
            ),
        ),
        migrations.AddField(
            model_name="antrag",
            name="iban_geaendert_von",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Bankverbindung geändert von",
            ),
        ),
        migrations.AddField(
            model_name="projektkonferenz",
            name="nachtrag_begruendung",
            field=models.TextField(
                blank=True,
                help_text="Nur nötig, wenn die Konferenz mehr als 30 Tage zurückliegt (das darf "
                "nur das Projektbüro eintragen).",
                verbose_name="Begründung für den Nachtrag",
            ),
        ),
        migrations.AddField(
            model_name="historicalantrag",
            name="iban_geaendert_von",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Bankverbindung geändert von",
            ),
        ),
        migrations.AddField(
            model_name="historicalantrag",
            name="iban_pruefung_offen",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="Neue Bankverbindung noch nicht bestätigt",
            ),
        ),
        migrations.AddField(
            model_name="historicalprojektkonferenz",
            name="nachtrag_begruendung",
            field=models.TextField(
                blank=True,
                help_text="Nur nötig, wenn die Konferenz mehr als 30 Tage zurückliegt (das darf "
                "nur das Projektbüro eintragen).",
                verbose_name="Begründung für den Nachtrag",
            ),
        ),
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
                    (
                        "auszahlung_feststellen",
                        "Auszahlungen als sachlich und rechnerisch richtig feststellen",
                    ),
                    ("iban_bestaetigen", "Geänderte Bankverbindungen bestätigen"),
                ],
                "verbose_name": "Antrag",
                "verbose_name_plural": "Anträge",
            },
        ),
        migrations.RunPython(rollen_aktualisieren, migrations.RunPython.noop),
    ]
