"""The status page shows the steps and the area's named contact; "Statuslink verloren?" sends
the link again to the address of each Antrag, with the same answer whether or not it is known."""

import re

import pytest
from django.core import mail
from django.test import Client

from antraege.models import Antrag, AusgehendeMail, Status
from antraege.selectors import statusseite
from antraege.services import einreichung
from quartiere.models import Aktionsraum

from .factories import submitted_antrag, token

pytestmark = pytest.mark.django_db


def _schritte(html):
    liste = re.search(r'<ol class="schritte">.*?</ol>', html, re.S).group(0)
    return re.findall(r'class="schritt schritt-(\w+)"', liste)


@pytest.mark.parametrize(
    ("status", "erwartet"),
    [
        (Status.EINGEREICHT, ["erledigt", "aktuell", "offen", "offen", "offen"]),
        (Status.RUECKFRAGE, ["erledigt", "aktuell", "offen", "offen", "offen"]),
        (Status.ENTSCHEIDUNGSREIF, ["erledigt", "erledigt", "aktuell", "offen", "offen"]),
        (Status.BEWILLIGT, ["erledigt", "erledigt", "erledigt", "aktuell", "offen"]),
        (Status.AUSGEZAHLT, ["erledigt"] * 4 + ["aktuell"]),
        (Status.ABGESCHLOSSEN, ["erledigt"] * 5),
        (Status.ABGELEHNT, ["erledigt"] * 3 + ["entfaellt"] * 2),
        (Status.ZURUECKGEZOGEN, ["erledigt"] + ["entfaellt"] * 4),
    ],
)
def test_the_status_page_shows_where_the_antrag_stands(client, status, erwartet):
    antrag = submitted_antrag()
    Antrag.objects.filter(pk=antrag.pk).update(status=status)
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert _schritte(html) == erwartet
    assert html.count('aria-current="step"') == erwartet.count("aktuell")


def test_every_status_has_a_place_on_the_steps():
    for status in Status:
        schritte = statusseite.schritte(Antrag(status=status))
        assert len(schritte) == 5 and {s["zustand"] for s in schritte} <= {
            "erledigt", "aktuell", "offen", "entfaellt"
        }  # fmt: skip


def test_the_status_page_names_the_contact_of_the_area(client):
    antrag = submitted_antrag(aktionsraum=Aktionsraum.objects.get(slug="hoerde"))
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    person = antrag.aktionsraum.beauftragte.first()
    assert person.name in html and f'href="mailto:{person.email}"' in html


def test_the_lost_link_page_sends_every_link_of_the_address_again(
    client, django_capture_on_commit_callbacks
):
    erste = submitted_antrag(email="Erika@Example.org", titel="Erstes")
    zweite = submitted_antrag(email="erika@example.org", titel="Zweites")
    submitted_antrag(email="jemand@example.org", titel="Fremdes")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post("/antrag/statuslink/", {"email": " erika@EXAMPLE.org "})
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert "Wenn zu dieser E-Mail-Adresse ein Antrag oder ein gespeicherter Entwurf gehört" in html
    assert sorted(m.to[0].lower() for m in mail.outbox) == ["erika@example.org"] * 2
    for antrag in (erste, zweite):
        text = next(m.body for m in mail.outbox if antrag.aktenzeichen in m.subject)
        assert f"/antrag/status/{token(antrag)}/" in text  # the same, still valid link
    # The outbox keeps no working link.
    assert all("/antrag/status/" not in m.text for m in AusgehendeMail.objects.all() if m.text)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    submitted_antrag(email="erika@example.org")
    mail.outbox.clear()
    bekannt = client.post("/antrag/statuslink/", {"email": "erika@example.org"})
    unbekannt = Client().post("/antrag/statuslink/", {"email": "niemand@example.org"})

    def ohne_token(a):
        return re.sub(r'value="[^"]+"', "", a.content.decode())

    assert ohne_token(bekannt) == ohne_token(unbekannt)
    assert (bekannt.status_code, unbekannt.status_code) == (200, 200)
    assert not [m for m in mail.outbox if "niemand" in m.to[0]]


@pytest.mark.parametrize("email", ["", "keine-adresse", "a@b", "x" * 300 + "@example.org"])
def test_a_bad_address_is_refused_with_a_german_message(client, email):
    antwort = client.post("/antrag/statuslink/", {"email": email})
    assert antwort.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in antwort.content.decode()


def test_a_filled_honeypot_sends_nothing(client):
    submitted_antrag(email="erika@example.org")
    mail.outbox.clear()
    antwort = client.post("/antrag/statuslink/", {"email": "erika@example.org", "webseite": "x"})
    assert antwort.status_code == 400 and mail.outbox == []


@pytest.mark.bot_schutz
def test_asking_for_links_is_limited_per_address_asked_for(client):
    submitted_antrag(email="erika@example.org")
    daten = {"email": "erika@example.org"}
    codes = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/antrag/statuslink/", daten).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert (
        Client(REMOTE_ADDR="10.0.0.9")
        .post("/antrag/statuslink/", {"email": "other@example.org"})
        .status_code
        == 200
    )


def test_the_footer_links_the_lost_link_page(client):
    assert 'href="/antrag/statuslink/"' in client.get("/").content.decode()


SCHREIBWEISEN = [
    "erika@example.org",
    "ERIKA@Example.ORG",
    "erika@example.org\x00",
    "\x00erika@example.org",
    "erıka@example.org",  # dotless i: PostgreSQL's upper() makes it an I
    "ｅrika@example.org",  # full-width e
    "erika@example.org" + " " * 300,
    " " * 240 + "erika@example.org" + " " * 100,
    "erika@example.org\x00\x00",
    "Erika@example.org",
    "erika@EXAMPLE.org",
    "erika@example.ORG\x00",
]


@pytest.mark.bot_schutz
def test_no_spelling_of_an_address_gets_more_links_than_the_limit(
    django_capture_on_commit_callbacks, settings
):
    settings.RATELIMITS = {**settings.RATELIMITS, "statuslink_adresse": "100/h"}
    submitted_antrag(email="erika@example.org")
    mail.outbox.clear()
    codes = []
    for nummer, email in enumerate(SCHREIBWEISEN):
        with django_capture_on_commit_callbacks(execute=True):
            antwort = Client(REMOTE_ADDR=f"10.0.1.{nummer}").post(
                "/antrag/statuslink/", {"email": email}
            )
        codes.append(antwort.status_code)
    assert len([m for m in mail.outbox if m.to == ["erika@example.org"]]) == 3
    assert codes.count(200) >= 3 and set(codes) <= {200, 429}


@pytest.mark.bot_schutz
def test_the_limit_counts_the_stored_address_whatever_key_the_form_had(
    django_capture_on_commit_callbacks,
):

    submitted_antrag(email="Erika@Example.org")
    mail.outbox.clear()
    for _versuch in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            einreichung.statuslinks_erneut_senden(email="erika@example.org")
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_lost_link_answer_does_not_wait_for_the_lookup_or_the_mail(
    settings, monkeypatch, aktionsraeume_geladen
):
    """The mails go out after the response, in a thread: the answer comes while sending is
    still held up, and the mail arrives once it is let go."""
    import threading

    from django.core.mail.backends.locmem import EmailBackend

    from aktionsplan.kern import hintergrund

    settings.HINTERGRUND_THREADS = True
    submitted_antrag(email="erika@example.org")
    mail.outbox.clear()
    los = threading.Event()
    gesendet_in = []
    original = EmailBackend.send_messages

    def aufgehalten(self, messages):
        gesendet_in.append(threading.current_thread().name)
        assert los.wait(10)
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", aufgehalten)
    antwort = Client().post("/antrag/statuslink/", {"email": "erika@example.org"})
    assert antwort.status_code == 200 and mail.outbox == []
    los.set()
    hintergrund.warten()
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    assert gesendet_in == ["hintergrund-statuslinks_erneut_senden"]
