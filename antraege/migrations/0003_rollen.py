"""Creates the staff groups Projektbüro, Aktionsraumbeauftragte and Lesezugriff."""

from django.db import migrations


def anlegen(apps, schema_editor):
    from antraege.rollen import rollen_anlegen

    rollen_anlegen(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("antraege", "0002_projektbuero"),
        ("quartiere", "0002_load_aktionsraeume"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "__latest__"),
    ]

    operations = [migrations.RunPython(anlegen, migrations.RunPython.noop)]
