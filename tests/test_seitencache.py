"""Public pages come from the shared page cache, and every change they show renews them at once."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aktionsplan.kern import seitencache
from antraege.models import Aktionsraumfonds, Antrag
from quartiere.models import Aktionsraum, Beauftragte

from .factories import (
    antrag_post_data,
    entscheidungsreif,
    fonds_bewilligen,
    projektbuero_user,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db

HIT = seitencache.KOPFZEILE

PAGES = [
    "/",
    "/en/",
    "/aktionsraeume/",
    "/en/aktionsraeume/",
    "/aktionsraeume/hoerde/",
    "/datenschutz/",
    "/impressum/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
]


@pytest.mark.parametrize("url", PAGES)
def test_second_visit_is_served_from_the_cache_with_the_same_page(client, url):
    first = client.get(url)
    assert first.status_code == 200 and HIT not in first
    second = Client().get(url)
    assert second.status_code == 200 and second[HIT] == "1"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_a_page_from_the_cache_needs_no_database_query(client):
    client.get("/aktionsraeume/hoerde/")
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/aktionsraeume/hoerde/")
    assert response[HIT] == "1"
    assert len(queries) == 0


def test_german_and_english_are_kept_apart(client):
    client.get("/aktionsraeume/")
    english = Client().get("/en/aktionsraeume/")
    assert HIT not in english
    assert english["Content-Language"] == "en" and 'lang="en"' in english.content.decode()


def _fonds():
    jahr = timezone.localdate().year
    return Aktionsraumfonds.objects.get(aktionsraum__slug="hoerde", haushaltsjahr__jahr=jahr)


def _seite(url="/aktionsraeume/hoerde/"):
    return Client().get(url).content.decode()


def test_a_changed_fund_figure_is_on_the_page_at_once():
    assert "5.000,00\xa0€" in _seite()
    assert HIT in Client().get("/aktionsraeume/hoerde/")
    fonds = _fonds()
    fonds.betrag = Decimal("6250.00")
    fonds.save()
    html = _seite()
    assert "6.250,00\xa0€" in html and "5.000,00\xa0€" not in html


def test_a_renamed_area_and_a_changed_contact_are_on_every_page_at_once():
    for url in ["/", "/aktionsraeume/", "/aktionsraeume/hoerde/"]:
        _seite(url)
    area = Aktionsraum.objects.get(slug="hoerde")
    area.name = "Hörde (umbenannt)"
    area.save()
    for url in ["/", "/aktionsraeume/", "/aktionsraeume/hoerde/"]:
        assert "Hörde (umbenannt)" in _seite(url)
    kontakt = Beauftragte.objects.create(name="Neue Ansprechperson", email="neu@example.org")
    area.beauftragte.add(kontakt)  # a many-to-many change alone
    assert "Neue Ansprechperson" in _seite()
    assert "Neue Ansprechperson" in _seite("/aktionsraeume/hoerde/")
    kontakt.name = "Umbenannte Ansprechperson"
    kontakt.save()
    assert "Umbenannte Ansprechperson" in _seite("/aktionsraeume/hoerde/")


def test_a_grant_is_on_the_district_page_at_once():
    area = Aktionsraum.objects.get(slug="hoerde")
    antrag = submitted_antrag(aktionsraum=area, titel="Sommerfest am Phoenix-See")
    assert "Sommerfest am Phoenix-See" not in _seite()
    staff = projektbuero_user()
    fonds_bewilligen(entscheidungsreif(antrag, by=staff), Decimal("80.00"), by=staff)
    assert "Sommerfest am Phoenix-See" in _seite()


def test_a_page_rendered_while_a_change_commits_is_not_served_afterwards():
    calls = []

    @seitencache.oeffentlich
    def view(request):
        calls.append(1)
        seitencache.veraltet()  # another process commits a change while this one renders
        return HttpResponse(f"Stand {len(calls)}")

    factory = RequestFactory()
    assert view(factory.get("/x/")).content == b"Stand 1"
    assert view(factory.get("/x/")).content == b"Stand 2"  # the older page was thrown away


def test_a_lost_generation_never_makes_an_old_page_valid():
    _seite()
    caches["seiten"].delete(seitencache.GENERATION)
    response = Client().get("/aktionsraeume/hoerde/")
    assert HIT not in response
    assert Client().get("/aktionsraeume/hoerde/")[HIT] == "1"


def _token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_form_page_shares_its_template_but_each_visitor_gets_their_own_token():
    anna, bert = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = anna.get("/antrag/").content.decode()
    vorlage = seitencache._schluessel(RequestFactory().get("/antrag/")) + ":vorlage"
    assert caches["seiten"].get(vorlage) is not None  # bert gets the shared template
    second = bert.get("/antrag/").content.decode()
    assert "marke" not in first and "marke" not in second
    assert _token(first) != _token(second)
    assert anna.cookies["csrftoken"].value != bert.cookies["csrftoken"].value
    data = antrag_post_data(titel="Mit eigenem Token")
    # Bert's token with Anna's cookie is refused: the page carried no one else's secret ...
    refused = anna.post("/antrag/", {**data, "csrfmiddlewaretoken": _token(second)})
    assert refused.status_code == 403
    # ... and each visitor's own token works.
    response = bert.post("/antrag/", {**data, "csrfmiddlewaretoken": _token(second)})
    assert response.status_code == 302
    assert Antrag.objects.filter(titel="Mit eigenem Token").count() == 1


def test_the_form_page_for_an_area_is_its_own_and_an_unknown_area_is_not_kept():
    html = Client().get("/antrag/?aktionsraum=hoerde").content.decode()
    assert re.search(r'<option value="\d+" selected>Hörde</option>', html)
    assert "selected>Hörde" not in Client().get("/antrag/").content.decode()
    Client().get("/antrag/?aktionsraum=ausgedacht")
    schluessel = seitencache._schluessel(
        RequestFactory().get("/antrag/?aktionsraum=ausgedacht"), ["aktionsraum"]
    )
    assert not caches["seiten"].get_many([schluessel + ":vorlage"])


def test_pages_with_a_csrf_token_are_not_stored_whole():
    Client().get("/antrag/")
    # Only the template is kept, filled in for each visitor; never the page as one got it.
    assert Client().get("/antrag/").get(HIT) in (None, "vorlage")
    assert caches["seiten"].get(seitencache._schluessel(RequestFactory().get("/antrag/"))) is None


def test_a_visitor_with_a_session_or_messages_is_not_served_from_the_cache(client):
    _seite()
    staff = Client()
    staff.force_login(projektbuero_user())
    response = staff.get("/aktionsraeume/hoerde/")
    assert HIT not in response
    with_messages = Client()
    with_messages.cookies[CookieStorage.cookie_name] = "x"
    assert HIT not in with_messages.get("/aktionsraeume/hoerde/")


def test_what_a_session_visitor_renders_is_not_stored_for_others():
    staff = Client()
    staff.force_login(projektbuero_user())
    staff.get("/aktionsraeume/hoerde/")
    assert HIT not in Client().get("/aktionsraeume/hoerde/")


def test_a_query_string_is_not_served_from_the_cache():
    _seite()
    assert HIT not in Client().get("/aktionsraeume/hoerde/?a=1")
    assert HIT not in Client().get("/aktionsraeume/hoerde/?a=1")


def test_a_page_not_found_is_not_stored():
    for _ in range(2):
        assert Client().get("/aktionsraeume/gibt-es-nicht/").status_code == 404
    assert not caches["seiten"].get_many(
        [seitencache._schluessel(RequestFactory().get("/aktionsraeume/gibt-es-nicht/"))]
    )


def test_language_switch_is_a_plain_link_without_a_token():
    html = _seite()
    assert 'href="/en/aktionsraeume/hoerde/"' in html
    assert "csrfmiddlewaretoken" not in html and "<form" not in html


def test_the_bare_benchmark_view_is_not_in_the_portals_urls():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/bench/leer/")
    assert Client().get("/bench/leer/").status_code == 404


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"DEBUG": "1"}, "django.core.cache.backends.dummy.DummyCache"),
        (
            {
                "DEBUG": "0",
                "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
                "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
                "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
                "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
                "SECRET_KEY": "s" * 60,
                "ALLOWED_HOSTS": "a.example.org",
                "EMAIL_URL": "smtp://127.0.0.1:2525",
            },
            "django.core.cache.backends.filebased.FileBasedCache",
        ),  # fmt: skip
        ({"SEITENCACHE": "datenbank"}, "aktionsplan.kern.cache.DatenbankCache"),
    ],
)
def test_the_page_cache_is_a_shared_folder_in_production_and_off_while_developing(env, backend):
    import json

    from .test_settings import manage

    zeigen = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
    ergebnis = manage("shell", "-c", zeigen, **env)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert json.loads(ergebnis.stdout.strip().splitlines()[-1])["seiten"]["BACKEND"] == backend


def test_an_unknown_page_cache_setting_is_refused():
    from .test_settings import manage

    ergebnis = manage("check", SEITENCACHE="memcached")
    assert ergebnis.returncode != 0 and "SEITENCACHE ist" in ergebnis.stderr


@pytest.mark.parametrize(
    "abfrage",
    [
        "aktionsraum=hoerde&aktionsraum=hoerde",
        "aktionsraum=hoer%64e",
        "aktionsraum=marten&aktionsraum=hoerde",
        "aktionsraum=%68oerde&aktionsraum=hoerde&aktionsraum=hoerde",
    ],
)
def test_spellings_of_the_same_query_do_not_fill_the_page_cache(abfrage):
    cache = caches["seiten"]
    html = Client().get("/antrag/?aktionsraum=hoerde").content.decode()
    eintraege = len(cache._list_cache_files())
    for _mal in range(3):
        antwort = Client().get(f"/antrag/?{abfrage}")
        assert antwort.status_code == 200
        assert re.search(r'<option value="\d+" selected>Hörde</option>', antwort.content.decode())
    assert len(cache._list_cache_files()) == eintraege
    assert "selected>Hörde" in html


@pytest.mark.parametrize(
    "abfrage", ["aktionsraum=%00", "aktionsraum=hoerde%00", "aktionsraum=²", "aktionsraum="]
)
def test_a_made_up_area_in_the_form_address_is_no_error_and_not_kept(abfrage):
    cache = caches["seiten"]
    Client().get("/antrag/")
    eintraege = len(cache._list_cache_files())
    antwort = Client().get(f"/antrag/?{abfrage}")
    assert antwort.status_code == 200 and "selected>Hörde" not in antwort.content.decode()
    assert Client().get(f"/antrag/start/?{abfrage}").status_code == 200
    assert len(cache._list_cache_files()) == eintraege
