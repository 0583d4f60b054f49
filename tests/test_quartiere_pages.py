"""The public pages: home, list, detail, legal pages, and their bad-input behaviour."""

import re

import pytest
from django.urls import reverse

from antraege.models import Antrag
from quartiere.models import Aktionsraum

from .factories import AktionsraumFactory, BeauftragteFactory, submitted_antrag

pytestmark = pytest.mark.django_db


def test_home_explains_the_programme_and_its_three_goals(client):
    html = client.get("/").content.decode()
    assert "Aktionsplan Soziale Stadt Dortmund" in html
    for goal in [
        "Nachbarschaften und sozialen Zusammenhalt im Quartier stärken",
        "Eltern und Kinder im Quartier stärken",
        "Beschäftigung im Quartier fördern",
    ]:
        assert goal in html


def test_home_groups_the_areas_by_office(client):
    html = client.get("/").content.decode()
    stadterneuerung = html.index("Betreut von: Stadterneuerung")
    dezernat = html.index("Betreut von: Dezernat für Arbeit")
    assert stadterneuerung < html.index(">Borsigplatz<") < dezernat < html.index(">Marten<")
    for area in Aktionsraum.objects.all():
        assert f'href="/aktionsraeume/{area.slug}/"' in html


def test_list_links_every_active_area_and_hides_retired_ones(client):
    Aktionsraum.objects.filter(slug="marten").update(is_active=False)
    html = client.get(reverse("quartiere:list")).content.decode()
    assert len(re.findall(r'href="/aktionsraeume/[a-z-]+/"', html)) == 12
    assert "/aktionsraeume/marten/" not in html


def test_detail_shows_contact_with_tel_and_mailto_links(client):
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert "Anke Weiermann" in html
    assert 'href="tel:+492315027316"' in html
    assert 'href="mailto:aweiermann@stadtdo.de"' in html
    assert "Stadterneuerung" in html
    assert "Projektbüro" in html


def test_detail_without_contact_names_the_projektbuero_as_the_only_contact(client, settings):
    settings.PROJEKTBUERO_EMAIL = "projektbuero@example.org"
    html = client.get("/aktionsraeume/wickede/").content.decode()
    assert "keine Ansprechperson vor Ort benannt" in html
    assert 'href="mailto:projektbuero@example.org"' in html
    assert "Dezernat für Arbeit, Gesundheit, Soziales, Sport und Freizeit" in html


def test_detail_links_the_application_form_with_the_area_preselected(client):
    html = client.get("/aktionsraeume/nordmarkt/").content.decode()
    assert 'href="/antrag/start/?aktionsraum=nordmarkt"' in html
    start = client.get("/antrag/start/?aktionsraum=nordmarkt").content.decode()
    assert 'href="/antrag/?aktionsraum=nordmarkt"' in start


def test_retired_area_is_not_found(client):
    Aktionsraum.objects.filter(slug="marten").update(is_active=False)
    assert client.get("/aktionsraeume/marten/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/aktionsraeume/gibt-es-nicht/",
        "/aktionsraeume/%C3%A4%00%3Cscript%3E/",
        "/nirgendwo/",
        "/aktionsraeume/hoerde/extra/",
        "/aktionsraeume/..%2F..%2Fetc%2Fpasswd/",
    ],
)
def test_unknown_paths_give_the_german_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/aktionsraeume/", "/aktionsraeume/hoerde/", "/impressum/"])
def test_head_is_answered_like_get_without_body(client, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["options", "put", "delete"])
def test_other_methods_are_not_allowed(client, method):
    response = getattr(client, method)("/aktionsraeume/hoerde/")
    assert response.status_code == 405
    assert "nicht erlaubt" in response.content.decode()


@pytest.mark.parametrize(
    "path, text",
    [
        ("/impressum/", "Herausgeber"),
        ("/datenschutz/", "DSGVO"),
        ("/barrierefreiheit/", "BITV 2.0"),
    ],
)
def test_legal_pages_exist_and_are_linked_from_every_page(client, path, text):
    assert text in client.get(path).content.decode()
    assert f'href="{path}"' in client.get("/aktionsraeume/").content.decode()


def test_base_template_has_language_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html
    for landmark in ["<header", "<nav", "<main", "<footer"]:
        assert landmark in html


def test_pages_load_nothing_from_other_origins(client):
    for path in ["/", "/aktionsraeume/", "/aktionsraeume/hoerde/", "/antrag/"]:
        html = client.get(path).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("path", ["/", "/antrag/", "/admin/login/"])
def test_pages_grant_no_camera_microphone_or_location(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in policy


def test_english_pages_live_under_en(client):
    response = client.get("/en/aktionsraeume/hoerde/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/aktionsraeume/", "/aktionsraeume/hoerde/"])
def test_query_count_stays_bounded_with_many_areas_and_contacts(
    client, django_assert_max_num_queries, path
):
    people = BeauftragteFactory.create_batch(30)
    for area in AktionsraumFactory.create_batch(100):
        area.beauftragte.add(*people[:3])
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.beauftragte.add(*people)
    for i in range(30):  # granted projects shown on the district page
        antrag = submitted_antrag(aktionsraum=hoerde, titel=f"Projekt {i}")
        Antrag.objects.filter(pk=antrag.pk).update(status="bewilligt", bewilligter_betrag=1)
    # A district page also lists its documents, key figures and next Projektkonferenz: one
    # query each.
    with django_assert_max_num_queries(9 if path.count("/") == 3 else 6):
        assert client.get(path).status_code == 200
