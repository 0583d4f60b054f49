"""The data migration loads the thirteen Aktionsräume and their contacts as in docs/FACTS.md."""

import pytest

from quartiere.models import Aktionsraum, Beauftragte, Zustaendigkeit

pytestmark = pytest.mark.django_db

SLUGS = [
    "borsigplatz",
    "hafen",
    "nordmarkt",
    "dorstfelder-bruecke",
    "hoerde",
    "wickede",
    "scharnhorst-ost",
    "alt-scharnhorst",
    "lindenhorst-eving",
    "eving-kemminghausen",
    "westerfilde",
    "bodelschwingh",
    "marten",
]


def test_thirteen_aktionsraeume_are_loaded_in_order():
    assert list(Aktionsraum.objects.values_list("slug", flat=True)) == SLUGS


def test_five_are_looked_after_by_stadterneuerung_and_eight_by_the_dezernat():
    stadterneuerung = set(
        Aktionsraum.objects.filter(zustaendigkeit=Zustaendigkeit.STADTERNEUERUNG).values_list(
            "name", flat=True
        )
    )
    assert stadterneuerung == {"Borsigplatz", "Hafen", "Nordmarkt", "Dorstfelder Brücke", "Hörde"}
    assert Aktionsraum.objects.filter(zustaendigkeit=Zustaendigkeit.DEZERNAT).count() == 8


@pytest.mark.parametrize(
    "slug, name, phone, mail",
    [
        ("hoerde", "Anke Weiermann", "(0231) 50-27316", "aweiermann@stadtdo.de"),
        ("dorstfelder-bruecke", "Anke Weiermann", "(0231) 50-27316", "aweiermann@stadtdo.de"),
        ("lindenhorst-eving", "Patricia Demel", "(0231) 50-26598", "pdemel@stadtdo.de"),
        ("eving-kemminghausen", "Patricia Demel", "(0231) 50-26598", "pdemel@stadtdo.de"),
        ("scharnhorst-ost", "Nadine Booken", "(0231) 50-28801", "nbooken@stadtdo.de"),
        ("westerfilde", "Claudia Schroth", "(0231) 50-28030", "cschroth@stadtdo.de"),
        ("bodelschwingh", "Claudia Schroth", "(0231) 50-28030", "cschroth@stadtdo.de"),
        ("marten", "Rüdiger Mundt", "(0231) 50-28930", "rmundt@stadtdo.de"),
        ("borsigplatz", "Gözde Akkus", "(0231) 50-16147", "gakkus@stadtdo.de"),
        ("hafen", "Gözde Akkus", "(0231) 50-16147", "gakkus@stadtdo.de"),
        ("nordmarkt", "Gözde Akkus", "(0231) 50-16147", "gakkus@stadtdo.de"),
    ],
)
def test_each_area_has_the_contact_of_the_brochure(slug, name, phone, mail):
    people = list(Aktionsraum.objects.get(slug=slug).beauftragte.all())
    assert [(p.name, p.telefon, p.email) for p in people] == [(name, phone, mail)]


@pytest.mark.parametrize("slug", ["wickede", "alt-scharnhorst"])
def test_wickede_and_alt_scharnhorst_have_no_named_contact(slug):
    assert not Aktionsraum.objects.get(slug=slug).beauftragte.exists()


def test_one_person_per_contact_even_when_looking_after_several_areas():
    assert Beauftragte.objects.count() == 6
    assert Beauftragte.objects.get(name="Gözde Akkus").adresse == "Südwall 2-4, 44137 Dortmund"


def test_phone_becomes_an_international_tel_uri():
    assert Beauftragte(telefon="(0231) 50-27316").telefon_uri == "tel:+492315027316"
    assert Beauftragte(telefon="").telefon_uri == ""
