"""Loads the thirteen Aktionsräume of the city's Projektbüro page and the contacts of the
2025 brochure (docs/FACTS.md). Staff maintain both in the admin from then on."""

from django.db import migrations

STADTERNEUERUNG = "stadterneuerung"
DEZERNAT = "dezernat"

AKTIONSRAEUME = [
    # (slug, name, office, Stadtbezirk)
    ("borsigplatz", "Borsigplatz", STADTERNEUERUNG, "Innenstadt-Nord"),
    ("hafen", "Hafen", STADTERNEUERUNG, "Innenstadt-Nord"),
    ("nordmarkt", "Nordmarkt", STADTERNEUERUNG, "Innenstadt-Nord"),
    ("dorstfelder-bruecke", "Dorstfelder Brücke", STADTERNEUERUNG, "Innenstadt-West"),
    ("hoerde", "Hörde", STADTERNEUERUNG, "Hörde"),
    ("wickede", "Wickede", DEZERNAT, "Brackel"),
    ("scharnhorst-ost", "Scharnhorst-Ost", DEZERNAT, "Scharnhorst"),
    ("alt-scharnhorst", "Alt-Scharnhorst", DEZERNAT, "Scharnhorst"),
    ("lindenhorst-eving", "Lindenhorst/Eving", DEZERNAT, "Eving"),
    ("eving-kemminghausen", "Eving/Kemminghausen", DEZERNAT, "Eving"),
    ("westerfilde", "Westerfilde", DEZERNAT, "Mengede"),
    ("bodelschwingh", "Bodelschwingh", DEZERNAT, "Mengede"),
    ("marten", "Marten", DEZERNAT, "Lütgendortmund"),
]

BEAUFTRAGTE = [
    # (name, role as printed, phone, mail, address, slugs of the areas among the thirteen)
    (
        "Anke Weiermann",
        "Aktionsraumbeauftragte Hörde, Dorstfeld und Dorstfelder Brücke",
        "(0231) 50-27316",
        "aweiermann@stadtdo.de",
        "",
        ["hoerde", "dorstfelder-bruecke"],
    ),
    (
        "Patricia Demel",
        "Aktionsraumbeauftragte Eving-Lindenhorst und Eving-Kemminghausen",
        "(0231) 50-26598",
        "pdemel@stadtdo.de",
        "",
        ["lindenhorst-eving", "eving-kemminghausen"],
    ),
    (
        "Nadine Booken",
        "Aktionsraumbeauftragte Scharnhorst-Ost, Wambeler Heide und Meylantviertel",
        "(0231) 50-28801",
        "nbooken@stadtdo.de",
        "",
        ["scharnhorst-ost"],
    ),
    (
        "Claudia Schroth",
        "Aktionsraumbeauftragte Bodelschwingh-Westerfilde und Nette",
        "(0231) 50-28030",
        "cschroth@stadtdo.de",
        "",
        ["bodelschwingh", "westerfilde"],
    ),
    (
        "Rüdiger Mundt",
        "Aktionsraumbeauftragter Marten, Bövinghausen und Westrich",
        "(0231) 50-28930",
        "rmundt@stadtdo.de",
        "",
        ["marten"],
    ),
    (
        "Gözde Akkus",
        "Koordinatorin Sozialplanung Nordstadt",
        "(0231) 50-16147",
        "gakkus@stadtdo.de",
        "Südwall 2-4, 44137 Dortmund",
        ["borsigplatz", "hafen", "nordmarkt"],
    ),
]


def load(apps, schema_editor):
    Aktionsraum = apps.get_model("quartiere", "Aktionsraum")
    Beauftragte = apps.get_model("quartiere", "Beauftragte")
    by_slug = {}
    for order, (slug, name, office, bezirk) in enumerate(AKTIONSRAEUME, start=1):
        by_slug[slug], _ = Aktionsraum.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "zustaendigkeit": office,
                "stadtbezirk": bezirk,
                "sort_order": order * 10,
            },
        )
    for name, funktion, telefon, email, adresse, slugs in BEAUFTRAGTE:
        person, _ = Beauftragte.objects.get_or_create(
            email=email,
            defaults={"name": name, "funktion": funktion, "telefon": telefon, "adresse": adresse},
        )
        person.aktionsraeume.add(*(by_slug[s] for s in slugs))


class Migration(migrations.Migration):
    dependencies = [("quartiere", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
