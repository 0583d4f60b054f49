"""HTML and script typed into any text field come out escaped on every page and in every mail."""

import pytest
from django.core import mail

from antraege.models import Antrag, Status

from .factories import antrag_post_data, token

pytestmark = pytest.mark.django_db

EVIL = "<script>alert(1)</script><img src=x>"
TEXT_FIELDS = [
    "titel",
    "beschreibung",
    "zielgruppe",
    "durchfuehrungsort",
    "organisation",
    "ansprechperson",
    "strasse",
    "wohnort",
    "telefon",
    "kontoinhaber",
]


@pytest.fixture
def evil_antrag(client, django_capture_on_commit_callbacks):
    data = antrag_post_data(
        **{f: f"{f} {EVIL}" for f in TEXT_FIELDS},
        **{"kosten-0-beschreibung": f"Kosten {EVIL}"},
        # With a project page, so that the public pages show the title (and this text).
        oeffentlich_vorstellen="on",
        vorstellung_text=f"Vorstellung {EVIL}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/antrag/", data)
    assert response.status_code == 302
    return Antrag.objects.get()


def assert_escaped(html):
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_form_with_errors_escapes_what_was_typed(client):
    data = antrag_post_data(**{f: EVIL for f in TEXT_FIELDS}, beantragter_betrag="1")
    assert_escaped(client.post("/antrag/", data).content.decode())


def test_confirmation_and_status_pages_escape_every_field(client, evil_antrag):
    assert_escaped(client.get("/antrag/eingereicht/").content.decode())
    status = client.get(f"/antrag/status/{token(evil_antrag)}/").content.decode()
    assert_escaped(status)
    assert status.count("&lt;script&gt;") >= 3  # title, description, cost row


def test_html_mails_escape_every_field(client, evil_antrag, django_capture_on_commit_callbacks):
    # The applicant's first mail names nothing typed in; once the link was opened they do.
    client.get(f"/antrag/status/{token(evil_antrag)}/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/antrag/status/{token(evil_antrag)}/zurueckziehen/", {"bestaetigt": "ja"})
    erste, intern, zurueckgezogen = mail.outbox
    assert erste.to == zurueckgezogen.to == [evil_antrag.email]
    assert "<script>" not in erste.alternatives[0][0] + erste.body
    for message in [intern, zurueckgezogen]:
        html, _mime = message.alternatives[0]
        assert_escaped(html)
        assert "\n" not in message.subject


def test_district_page_escapes_granted_project_titles(client, evil_antrag):
    from .factories import fonds_bewilligen, projektbuero_user

    Antrag.objects.filter(pk=evil_antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(evil_antrag, evil_antrag.beantragter_betrag, by=projektbuero_user())
    assert_escaped(client.get("/aktionsraeume/hoerde/").content.decode())


def test_project_page_list_and_feed_escape_the_applicants_texts(client, evil_antrag):
    from .factories import fonds_bewilligen, projektbuero_user

    Antrag.objects.filter(pk=evil_antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    fonds_bewilligen(evil_antrag, evil_antrag.beantragter_betrag, by=projektbuero_user())
    seite = client.get(f"/projekte/{evil_antrag.aktenzeichen}/").content.decode()
    assert_escaped(seite)
    assert "Vorstellung &lt;script&gt;" in seite
    assert_escaped(client.get("/projekte/").content.decode())
    # The feed's summary is HTML for the reader: the text arrives there as text.
    feed = client.get("/projekte/feed.atom").content.decode()
    assert "<script>" not in feed
    assert "&amp;lt;script&amp;gt;" in feed.split("<summary")[1]
