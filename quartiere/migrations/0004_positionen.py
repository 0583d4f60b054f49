"""The approximate centre of each of the thirteen Aktionsräume (docs/FACTS.md, "Where the
Aktionsräume lie": averaged from the city's statistical sub-district polygons; good for a map
marker, not for boundaries). Areas that staff have moved or renamed keep what they have."""

from decimal import Decimal

from django.db import migrations

MITTEN = {
    "borsigplatz": ("51.523", "7.480"),
    "hafen": ("51.529", "7.442"),
    "nordmarkt": ("51.530", "7.467"),
    "dorstfelder-bruecke": ("51.512", "7.444"),
    "hoerde": ("51.488", "7.499"),
    "wickede": ("51.533", "7.616"),
    "scharnhorst-ost": ("51.552", "7.553"),
    "alt-scharnhorst": ("51.541", "7.519"),
    "lindenhorst-eving": ("51.548", "7.448"),
    "eving-kemminghausen": ("51.556", "7.479"),
    "westerfilde": ("51.541", "7.372"),
    "bodelschwingh": ("51.552", "7.367"),
    "marten": ("51.506", "7.379"),
}


def mitten_eintragen(apps, schema_editor):
    Aktionsraum = apps.get_model("quartiere", "Aktionsraum")
    for slug, (breite, laenge) in MITTEN.items():
        Aktionsraum.objects.filter(slug=slug, breite=None, laenge=None).update(
            breite=Decimal(breite), laenge=Decimal(laenge)
        )


class Migration(migrations.Migration):
    dependencies = [("quartiere", "0003_kennzahlen_karten_dokumente")]

    operations = [migrations.RunPython(mitten_eintragen, migrations.RunPython.noop)]
