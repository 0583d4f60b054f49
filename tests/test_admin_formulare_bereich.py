"""Every admin add and change form is narrowed to the account's areas, not only the lists.

A Beauftragte for Hörde opens every add and change form of the admin with the ids of another
area's Antrag, conference, fund, mail, attendee and Beschluss in GET parameters (single and
comma-separated, as the admin's own prefill takes them) and POSTs them. No response may show
that area's Aktenzeichen, title, applicant, attendee, place or amount.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from antraege.models import AusgehendeMail, Beschluss, Projektkonferenz, Teilnahme
from quartiere.models import Aktionsraum

from .factories import beauftragte_user, konferenz_fuer, projektbuero_user, submitted_antrag

pytestmark = pytest.mark.django_db

# What belongs to the other area; none of it may appear in a Hörde account's response.
FREMD = {
    "titel": "Geheimprojekt Wickede",
    "ansprechperson": "Fremda Verborgen",
    "ort": "Verborgener Saal",
    "teilnehmer": "Xaver Unsichtbar",
}
FREMDER_BETRAG = Decimal("4321.09")


@pytest.fixture
def fremd():
    wickede = Aktionsraum.objects.get(slug="wickede")
    antrag = submitted_antrag(
        aktionsraum=wickede,
        titel=FREMD["titel"],
        ansprechperson=FREMD["ansprechperson"],
        beantragter_betrag=FREMDER_BETRAG,
    )
    konferenz = konferenz_fuer(wickede, [antrag])
    konferenz.ort = FREMD["ort"]
    konferenz.save()
    teilnahme = Teilnahme.objects.create(
        konferenz=konferenz, name=FREMD["teilnehmer"], rolle="sonstige"
    )
    pb = projektbuero_user("pb-fremd")
    beschluss = Beschluss.objects.create(
        konferenz=konferenz, antrag=antrag, ergebnis="vertagt", user=pb
    )
    return {
        "antraege.antrag": antrag,
        "antraege.projektkonferenz": konferenz,
        "antraege.teilnahme": teilnahme,
        "antraege.beschluss": beschluss,
        "antraege.ausgehendemail": AusgehendeMail.objects.filter(antrag=antrag).first(),
        "antraege.aktionsraumfonds": wickede.fonds.first(),
        "quartiere.aktionsraum": wickede,
    }


@pytest.fixture
def eigen():
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    antrag = submitted_antrag(titel="Eigenes Projekt")
    return {
        "antraege.antrag": antrag,
        "antraege.projektkonferenz": konferenz_fuer(hoerde, []),
        "quartiere.aktionsraum": hoerde,
    }


def verraeterisch(html: str, fremd) -> list[str]:
    antrag = fremd["antraege.antrag"]
    gesucht = [*FREMD.values(), antrag.aktenzeichen, "4321", "4.321"]
    return [wort for wort in gesucht if wort in html]


def fremde_parameter(model, fremd) -> dict[str, str]:
    """Every field of `model` that points at another model, filled with a foreign id."""
    werte = {}
    for feld in model._meta.get_fields():
        if not (feld.is_relation and feld.concrete) or feld.related_model is None:
            continue
        ziel = fremd.get(feld.related_model._meta.label_lower)
        if ziel is not None:
            werte[feld.name] = str(ziel.pk)
    return werte


def admin_seiten(eigen, fremd):
    """(url, model) for every add page and the change page of an own and a foreign object."""
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = (model._meta.app_label, model._meta.model_name)
        try:
            yield reverse(f"admin:{info[0]}_{info[1]}_add"), model
        except NoReverseMatch:
            pass
        for objekte in (eigen, fremd):
            if label in objekte and objekte[label] is not None:
                yield reverse(f"admin:{info[0]}_{info[1]}_change", args=[objekte[label].pk]), model


def test_no_admin_form_shows_another_areas_data_to_a_beauftragte(client, eigen, fremd):
    client.force_login(beauftragte_user(eigen["quartiere.aktionsraum"]))
    versucht = []
    for url, model in admin_seiten(eigen, fremd):
        params = fremde_parameter(model, fremd)
        alle_ids = ",".join(str(o.pk) for o in fremd.values() if o is not None)
        for get in (params, {k: alle_ids for k in params}):
            response = client.get(url, get, follow=True)
            versucht.append(("GET", url, get, response.status_code))
            assert response.status_code in (200, 403, 404), (url, get)
            treffer = verraeterisch(response.content.decode(), fremd)
            assert not treffer, f"GET {url}?{get} shows {treffer}"
        post = {**params, "datum": "2026-12-01", "ort": "Saal", "name": "x", "titel": "x"}
        for key in [k for k in params if k in ("tagesordnung",)]:
            post[key] = [str(fremd["antraege.antrag"].pk)]
        response = client.post(url, post, follow=True)
        versucht.append(("POST", url, post, response.status_code))
        assert response.status_code in (200, 403, 404), (url, post)
        treffer = verraeterisch(response.content.decode(), fremd)
        assert not treffer, f"POST {url} {post} shows {treffer}"
    # The walk reached the forms that take choices from other models.
    urls = {u for _, u, _, _ in versucht}
    assert "/admin/antraege/projektkonferenz/add/" in urls
    assert (
        f"/admin/antraege/projektkonferenz/{eigen['antraege.projektkonferenz'].pk}/change/" in urls
    )
    assert len(versucht) >= 20


def test_the_reported_agenda_prefill_shows_only_own_antraege(client, eigen, fremd):
    client.force_login(beauftragte_user(eigen["quartiere.aktionsraum"]))
    ids = f"{fremd['antraege.antrag'].pk},{eigen['antraege.antrag'].pk}"
    html = client.get(f"/admin/antraege/projektkonferenz/add/?tagesordnung={ids}").content.decode()
    assert FREMD["titel"] not in html and fremd["antraege.antrag"].aktenzeichen not in html
    assert eigen["antraege.antrag"].aktenzeichen in html  # own prefill still works


def test_a_foreign_antrag_posted_onto_an_own_agenda_is_refused_without_naming_it(
    client, eigen, fremd
):
    hoerde = eigen["quartiere.aktionsraum"]
    client.force_login(beauftragte_user(hoerde))
    konferenz = eigen["antraege.projektkonferenz"]
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/"
    daten = {
        "aktionsraum": str(hoerde.pk),
        "datum": konferenz.datum.isoformat(),
        "ort": "Saal",
        "tagesordnung": [str(fremd["antraege.antrag"].pk)],
        "protokoll": "",
        "teilnahmen-TOTAL_FORMS": "0",
        "teilnahmen-INITIAL_FORMS": str(konferenz.teilnahmen.count()),
        "beschluesse-TOTAL_FORMS": "0",
        "beschluesse-INITIAL_FORMS": "0",
    }
    response = client.post(url, daten)
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html
    assert not verraeterisch(html, fremd)
    assert list(Projektkonferenz.objects.get(pk=konferenz.pk).tagesordnung.all()) == []


def test_a_conference_cannot_be_moved_to_another_area(client, eigen, fremd):
    client.force_login(beauftragte_user(eigen["quartiere.aktionsraum"]))
    response = client.post(
        "/admin/antraege/projektkonferenz/add/",
        {
            "aktionsraum": str(fremd["quartiere.aktionsraum"].pk),
            "datum": "2026-12-01",
            "ort": "Saal",
            "teilnahmen-TOTAL_FORMS": "0",
            "teilnahmen-INITIAL_FORMS": "0",
            "beschluesse-TOTAL_FORMS": "0",
            "beschluesse-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Projektkonferenz.objects.filter(
        aktionsraum=fremd["quartiere.aktionsraum"], ort="Saal"
    )
