"""Outlines as GeoJSON: checked whole and converted from EPSG:25832 on upload; the SVG map on
the home and district pages has one link per area with an outline or a position."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import Transformer

from quartiere import karte
from quartiere.models import Aktionsraum

# A small synthetic square near the centre given for Hörde (not the real boundary).
QUADRAT = [[7.49, 51.48], [7.51, 51.48], [7.51, 51.50], [7.49, 51.50], [7.49, 51.48]]


def geojson(geometrie=None, **extra):
    return json.dumps({"type": "Polygon", "coordinates": [QUADRAT], **extra, **(geometrie or {})})


def test_a_polygon_in_epsg_4326_is_taken_as_it_is():
    umriss = karte.umriss_pruefen(geojson())
    assert umriss == {"type": "Polygon", "coordinates": [QUADRAT]}


def test_a_feature_collection_with_one_multipolygon_is_taken():
    daten = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Test"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[QUADRAT], [QUADRAT]]},
            }
        ],
    }
    umriss = karte.umriss_pruefen(json.dumps(daten))
    assert umriss["type"] == "MultiPolygon" and umriss["coordinates"] == [[QUADRAT], [QUADRAT]]


def test_the_citys_epsg_25832_is_converted():
    hin = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    utm = [list(hin.transform(x, y)) for x, y in QUADRAT]
    assert 390_000 < utm[0][0] < 410_000 and 5_700_000 < utm[0][1] < 5_720_000
    umriss = karte.umriss_pruefen(
        json.dumps({"type": "Polygon", "coordinates": [utm]}), crs=karte.UTM32
    )
    for (x, y), (ex, ey) in zip(umriss["coordinates"][0], QUADRAT, strict=True):
        assert abs(x - ex) < 1e-6 and abs(y - ey) < 1e-6
    # A file that names its system itself is read in it, whatever was chosen.
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
    benannt = {"type": "Polygon", "coordinates": [utm], "crs": crs}
    assert karte.umriss_pruefen(json.dumps(benannt)) == umriss


def mit_riesenzahl(stellen):
    """An outline whose first longitude is a number of `stellen` digits."""
    umriss = geojson({"coordinates": [[[0, 51.48], *QUADRAT[1:]]]})
    return umriss.replace("[0,", "[" + "9" * stellen + ",")


@pytest.mark.parametrize(
    ("inhalt", "meldung"),
    [
        ('{"type": "Polygon", "coordinates": [[[7.49, 51.48]', "kein gültiges JSON (Zeile 1"),
        (b"\xff\xfe{", "kein Text in UTF-8"),
        ('{"type": "Point", "coordinates": [7.5, 51.5]}', "nicht „Point“"),
        ('{"type": "LineString", "coordinates": [[7.5, 51.5], [7.6, 51.5]]}', "nicht „LineString“"),
        ('{"type": "FeatureCollection", "features": []}', "genau ein Feature"),
        ('[1, 2]', "kein GeoJSON-Objekt"),
        ("[" * 100_000 + "]" * 100_000, "zu tief verschachtelt"),
        (geojson({"coordinates": [[QUADRAT[0], QUADRAT[1], QUADRAT[0]]]}), "mindestens vier"),
        (geojson({"coordinates": [QUADRAT[:-1] + [[7.4, 51.4]]]}), "nicht geschlossen"),
        (geojson({"coordinates": [[["7.49", 51.48], *QUADRAT[1:]]]}), "keine Koordinate"),
        (geojson({"coordinates": [[[p[1], p[0]] for p in QUADRAT]]}), "nicht in Dortmund"),
        (geojson({"coordinates": [[[x + 200, y] for x, y in QUADRAT]]}), "außerhalb von Länge"),
        (geojson({"crs": {"properties": {"name": "EPSG:3857"}}}), "nicht unterstützt"),
        (mit_riesenzahl(5000), "keine Koordinate"),
        (mit_riesenzahl(400), "keine Koordinate"),
        (geojson({"crs": "EPSG:25832"}), "„crs“ der Datei ist kein Koordinatensystem"),
        (geojson({"crs": {"properties": ["EPSG:25832"]}}), "„crs“ der Datei ist kein"),
        (geojson({"crs": {"properties": {"name": 25832}}}), "„crs“ der Datei ist kein"),
        (geojson({"crs": []}), "„crs“ der Datei ist kein"),
    ],
)  # fmt: skip
def test_bad_geojson_is_refused_with_a_german_message(inhalt, meldung):
    with pytest.raises(ValidationError) as fehler:
        karte.umriss_pruefen(inhalt)
    assert meldung in " ".join(fehler.value.messages)


def test_degrees_read_as_epsg_25832_are_refused():
    with pytest.raises(ValidationError, match="passen nicht zu EPSG:25832"):
        karte.umriss_pruefen(geojson(), crs=karte.UTM32)


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("projektbuero"))
    return client


def _formular(area, **extra):
    daten = {
        "name": area.name, "slug": area.slug, "art": area.art,
        "zustaendigkeit": area.zustaendigkeit, "stadtbezirk": area.stadtbezirk,
        "kurzbeschreibung": "", "sort_order": area.sort_order, "is_active": "on",
        "einfuehrung": "", "einfuehrung_en": "", "arbeit": "", "arbeit_en": "",
        "breite": area.breite, "laenge": area.laenge, "koordinatensystem": karte.WGS84,
        "beauftragte": [b.pk for b in area.beauftragte.all()],
    }  # fmt: skip
    return {**daten, **extra}


@pytest.mark.django_db
def test_staff_upload_an_outline_and_a_bad_one_leaves_the_old_outline(staff_client):
    area = Aktionsraum.objects.get(slug="hoerde")
    url = f"/admin/quartiere/aktionsraum/{area.pk}/change/"
    datei = SimpleUploadedFile("hoerde.geojson", geojson().encode(), "application/geo+json")
    antwort = staff_client.post(url, _formular(area, umriss_datei=datei))
    assert antwort.status_code == 302
    area.refresh_from_db()
    assert area.umriss == {"type": "Polygon", "coordinates": [QUADRAT]}

    kaputt = SimpleUploadedFile("falsch.geojson", b'{"type": "Point", "coordinates": [7, 51]}')
    antwort = staff_client.post(url, _formular(area, umriss_datei=kaputt, name="Anders"))
    assert antwort.status_code == 200
    assert "Erwartet wird ein Polygon oder MultiPolygon" in antwort.content.decode()
    area.refresh_from_db()
    assert area.name == "Hörde" and area.umriss["coordinates"] == [QUADRAT]

    antwort = staff_client.post(url, _formular(area, umriss_entfernen="on"))
    area.refresh_from_db()
    assert antwort.status_code == 302 and area.umriss is None


def _links_der_karte(html):
    svg = re.search(r'<svg class="karte-svg".*?</svg>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', svg)


@pytest.mark.django_db
def test_the_home_page_map_has_one_link_per_area_with_outline_or_position(client):
    # The thirteen come with their approximate centres (docs/FACTS.md): a marker each.
    links = _links_der_karte(client.get("/").content.decode())
    assert sorted(links) == sorted(a.get_absolute_url() for a in Aktionsraum.objects.active())
    marten = Aktionsraum.objects.get(slug="marten")
    marten.breite = marten.laenge = None
    marten.save()  # as the admin does: the cached page is renewed
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.umriss = {"type": "Polygon", "coordinates": [QUADRAT]}
    hoerde.save()
    html = client.get("/").content.decode()
    links = _links_der_karte(html)
    assert len(links) == 12 and "/aktionsraeume/marten/" not in links
    svg = re.search(r'<svg class="karte-svg".*?</svg>', html, re.S).group(0)
    assert svg.count("<path d=") == 1 and svg.count("<circle") == 11
    # The key names both kinds once each.
    assert "Aktionsraum mit Umriss" in html and "Aktionsraum (Punkt: ungefähre Mitte)" in html


@pytest.mark.django_db
def test_every_area_and_district_is_named_on_the_map_and_no_name_covers_another(client):
    from quartiere import karte

    alle = list(Aktionsraum.objects.active())
    plan = karte.karte(alle)
    boxen = []
    for gebiet in plan["gebiete"]:
        name = gebiet["name"]
        text = gebiet["aktionsraum"].name
        boxen.append(
            karte._box(
                name["x"], name["y"], len(text) * karte.SCHRIFT * 0.58, karte.SCHRIFT, name["anker"]
            )
        )
    for bezirk in plan["bezirke"]:
        text = bezirk["name"].upper()
        boxen.append(
            karte._box(
                bezirk["x"],
                bezirk["y"],
                len(text) * karte.BEZIRK_SCHRIFT * 0.58,
                karte.BEZIRK_SCHRIFT,
                bezirk["anker"],
            )
        )
    breite, hoehe = (float(z) for z in plan["viewbox"].split()[2:])
    for i, a in enumerate(boxen):
        assert 0 <= a[0] and a[2] <= breite and 0 <= a[1] and a[3] <= hoehe, a
        for b in boxen[i + 1 :]:
            assert not karte._ueberlappt(a, b, luft=0), (a, b)
    assert sorted(b["name"] for b in plan["bezirke"]) == sorted({a.stadtbezirk for a in alle})

    html = client.get("/").content.decode()
    svg = re.search(r'<svg class="karte-svg".*?</svg>', html, re.S).group(0)
    for area in alle:
        assert f'aria-hidden="true">{area.name}</text>' in svg.replace("&#x27;", "'")
    # One sentence says what the dots mean, not a note per area.
    assert html.count("ungefähre Mitte") == 2  # the key and that sentence


@pytest.mark.django_db
def test_the_district_page_marks_its_area_and_lists_the_areas_as_text(client):
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    svg = re.search(r'<svg class="karte-svg".*?</svg>', html, re.S).group(0)
    assert 'aria-current="page" aria-label="Aktionsraum Hörde"' in svg
    liste = re.search(r'<ul class="karte-liste">.*?</ul>', html, re.S).group(0)
    assert liste.count("<li>") == 13 and "Hörde" in liste


@pytest.mark.django_db
def test_no_map_without_any_outline_or_position(client):
    Aktionsraum.objects.update(breite=None, laenge=None, umriss=None)  # before any page
    assert "karte-svg" not in client.get("/").content.decode()
    assert "karte-svg" not in client.get("/aktionsraeume/hoerde/").content.decode()
