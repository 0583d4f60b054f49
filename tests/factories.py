"""factory_boy factories for the portal's models."""

import factory

from quartiere.models import Aktionsraum, Beauftragte, Zustaendigkeit


class BeauftragteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beauftragte

    name = factory.Sequence(lambda n: f"Testperson {n}")
    funktion = "Aktionsraumbeauftragte (Test)"
    telefon = factory.Sequence(lambda n: f"(0231) 50-{10000 + n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class AktionsraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aktionsraum

    name = factory.Sequence(lambda n: f"Testgebiet {n}")
    slug = factory.Sequence(lambda n: f"testgebiet-{n}")
    zustaendigkeit = Zustaendigkeit.DEZERNAT
    stadtbezirk = "Teststadtbezirk"
    sort_order = factory.Sequence(lambda n: 1000 + n)
