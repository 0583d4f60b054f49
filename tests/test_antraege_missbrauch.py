"""The public form under automation: rate limits, honeypot, least fill time, the same Antrag
twice, mails without the sender's text, and the body cap in front of Django.

Each test lists what it tried; every refusal is a German page (4xx) with nothing stored and
nothing mailed to a third party.
"""

import io
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase

from aktionsplan.kern import drosselung
from aktionsplan.wsgi import KoerperGrenze
from antraege.models import Anlage, Antrag, AusgehendeMail, Status
from antraege.services import einreichung
from antraege.views import formular

from .factories import PDF_BYTES, antrag_post_data, ausgaben_je_zeile, submitted_antrag, token

pytestmark = [pytest.mark.django_db, pytest.mark.bot_schutz]


def gestempelt(vor_sekunden=60, **overrides):
    """A form post as a person makes it: shown `vor_sekunden` ago, honeypot left empty."""
    start = signing.dumps(int(time.time()) - vor_sekunden, salt=formular._START_SALT)
    return antrag_post_data(formular_start=start, **overrides)


def an_antragsteller(adresse="erika@example.org"):
    """The mails queued for one address (each is sent after its transaction's commit)."""
    return list(AusgehendeMail.objects.filter(empfaenger=[adresse]).order_by("id"))


def test_forty_identical_posts_store_one_antrag_and_mail_at_most_five_times(client):
    antworten = [client.post("/antrag/", gestempelt()) for _ in range(40)]
    codes = [a.status_code for a in antworten]
    assert Antrag.objects.count() == 1
    # 1 stored + 4 repeats (the link mailed again), then the address's 5 per hour are used up.
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert len(an_antragsteller()) == 5
    seite = antworten[-1].content.decode()
    assert "Zu viele Anfragen" in seite and "nichts gespeichert" in seite
    assert antworten[-1]["Retry-After"] == "3600"


def test_a_repeat_says_it_has_arrived_and_mails_the_same_link_again(client):
    client.post("/antrag/", gestempelt())
    antrag = Antrag.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        antwort = client.post("/antrag/", gestempelt(titel="  nachbarschaftsfest AM Marktplatz "))
    seite = client.get(antwort["Location"]).content.decode()
    assert "Dieser Antrag ist bereits eingegangen" in seite
    assert antrag.aktenzeichen not in seite  # whoever posted learns nothing of the Antrag
    assert Antrag.objects.count() == 1
    (nochmal,) = mail.outbox
    assert nochmal.to == ["erika@example.org"]
    assert "bereits bei uns eingegangen" in nochmal.body
    # The same link as before: the repeat does not end the one the applicant has.
    assert f"/antrag/status/{token(antrag)}/" in nochmal.body


def test_after_24_hours_or_with_another_title_it_is_a_new_antrag(client, time_machine):
    client.post("/antrag/", gestempelt())
    client.post("/antrag/", gestempelt(titel="Ein anderes Fest"))
    assert Antrag.objects.count() == 2
    time_machine.move_to(timedelta(hours=24, minutes=1))
    client.post("/antrag/", gestempelt())
    assert Antrag.objects.count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_identical_posts_at_once_store_one_antrag(aktionsraeume_geladen):
    barriere = threading.Barrier(5)  # five: the e-mail address's limit per hour
    codes = []
    daten = gestempelt()

    def senden():
        c = Client()
        barriere.wait()
        codes.append(c.post("/antrag/", daten).status_code)
        connection.close()

    threads = [threading.Thread(target=senden) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302] * 5
    assert Antrag.objects.count() == 1


def test_ten_antraege_per_address_and_five_per_email_address(client):
    tried = []
    for i in range(12):
        tried.append(
            client.post(
                "/antrag/", gestempelt(titel=f"Fest {i}", email=f"person{i}@example.org")
            ).status_code
        )
    assert tried == [302] * 10 + [429] * 2
    assert Antrag.objects.count() == 10
    # From other addresses, one e-mail address still gets at most five.
    for i in range(7):
        Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(
            "/antrag/", gestempelt(titel=f"Anderes Fest {i}", email="ziel@example.org")
        )
    assert Antrag.objects.filter(email="ziel@example.org").count() == 5
    assert len(an_antragsteller("ziel@example.org")) == 5


def test_round_trips_for_cost_rows_do_not_use_up_the_antrag_limit(client):
    for _ in range(15):
        assert client.post("/antrag/", gestempelt(kosten_hinzufuegen="1")).status_code == 200
    assert client.post("/antrag/", gestempelt()).status_code == 302


@pytest.mark.parametrize("wert", ["https://spam.example", "x", " "])
def test_a_filled_honeypot_stores_and_mails_nothing(client, wert):
    antwort = client.post("/antrag/", gestempelt(webseite=wert))
    assert antwort.status_code == 400
    assert "nicht angenommen" in antwort.content.decode()
    assert not Antrag.objects.exists() and not mail.outbox


def test_the_honeypot_is_in_the_form_but_hidden_from_people(client):
    seite = client.get("/antrag/").content.decode()
    assert 'class="honigtopf" aria-hidden="true"' in seite
    assert 'name="webseite"' in seite and 'tabindex="-1"' in seite
    assert 'name="formular_start"' in seite


@pytest.mark.parametrize(
    "stempel",
    [
        None,  # no stamp at all
        "",
        "123",  # not signed
        "forged:stamp:value",
        signing.dumps(int(time.time()) + 3600, salt="other.salt"),  # signed for something else
    ],
    # Fixed names: every pytest-xdist worker collects the same tests (the signed value differs).
    ids=["ohne", "leer", "unsigniert", "gefaelscht", "anderer_zweck"],
)
def test_without_a_valid_stamp_nothing_is_stored(client, stempel):
    daten = antrag_post_data()
    if stempel is not None:
        daten["formular_start"] = stempel
    antwort = client.post("/antrag/", daten)
    assert antwort.status_code == 200
    assert "Das ging sehr schnell" in antwort.content.decode()
    assert not Antrag.objects.exists() and not mail.outbox


def test_a_form_sent_within_five_seconds_is_shown_again_and_then_accepted(client):
    antwort = client.post("/antrag/", gestempelt(vor_sekunden=1))
    assert antwort.status_code == 200 and not Antrag.objects.exists()
    seite = antwort.content.decode()
    assert "Das ging sehr schnell" in seite
    # The values are kept, the stamp too: sent again a little later, the Antrag is stored.
    assert "Nachbarschaftsfest am Marktplatz" in seite
    stempel = seite.split('name="formular_start" value="')[1].split('"')[0]
    assert formular._sekunden_seit(stempel) < 5
    assert client.post("/antrag/", gestempelt(vor_sekunden=6)).status_code == 302


HOSTILE = {
    "titel": "Gewinn! Jetzt Konto bestätigen: https://phish.example/login",
    "ansprechperson": "Ihre Sparkasse – Sicherheitsabteilung",
    "organisation": "Besuchen Sie https://phish.example",
}


def test_the_first_mail_carries_nothing_typed_into_the_form(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/antrag/", gestempelt(**HOSTILE))
    antrag = Antrag.objects.get()
    (erste,) = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    texte = [erste.subject, erste.body, erste.alternatives[0][0]]
    for text in texte:
        for wert in HOSTILE.values():
            assert wert not in text
        assert "phish" not in text
    assert antrag.aktenzeichen in erste.subject and antrag.aktenzeichen in erste.body
    assert f"/antrag/status/{token(antrag)}/" in erste.body
    assert "Guten Tag,\n" in erste.body
    assert "projektbuero@example.org" in erste.body or "Projektbüro" in erste.body
    # The outbox row (what staff see) is as neutral.
    gespeichert = AusgehendeMail.objects.filter(empfaenger=["erika@example.org"]).get()
    assert "phish" not in gespeichert.text and "phish" not in gespeichert.html


def test_mails_before_the_link_was_opened_stay_neutral_and_name_the_antrag_after(client):
    antrag = submitted_antrag(**HOSTILE)
    einreichung.antrag_zurueckziehen(antrag=antrag)
    neutral = an_antragsteller()[-1]
    assert "phish" not in neutral.text and antrag.aktenzeichen in neutral.text
    # The applicant opens the link: the address is confirmed, later mails name the project.
    antrag2 = submitted_antrag(titel="Sommerfest im Hof", email="erika@example.org")
    assert client.get(f"/antrag/status/{token(antrag2)}/").status_code == 200
    antrag2.refresh_from_db()
    assert antrag2.adresse_bestaetigt_am is not None
    einreichung.antrag_zurueckziehen(antrag=antrag2)
    benannt = an_antragsteller()[-1]
    assert "Sommerfest im Hof" in benannt.text
    assert "Guten Tag Erika Beispiel," in benannt.text


def test_status_link_forms_are_limited_per_link(client):
    antrag = submitted_antrag()
    url = f"/antrag/status/{token(antrag)}/zurueckziehen/"
    codes = [client.post(url).status_code for _ in range(31)]  # unconfirmed: 400, no change
    assert codes[:30] == [400] * 30 and codes[30] == 429
    # Another applicant's link from elsewhere is not affected.
    anderer = submitted_antrag(titel="Anderes", email="other@example.org")
    andere_url = f"/antrag/status/{token(anderer)}/zurueckziehen/"
    assert Client(REMOTE_ADDR="10.1.1.1").post(andere_url).status_code == 400


def test_downloads_are_limited_per_link(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "download_link": "3/h"}
    antrag = submitted_antrag()
    anlage = Anlage(
        antrag=antrag, dateiname="a.pdf", content_type="application/pdf", groesse=len(PDF_BYTES)
    )
    anlage.datei.save("x.pdf", ContentFile(PDF_BYTES))
    url = f"/antrag/status/{token(antrag)}/anlage/{anlage.pk}/"
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_limits_come_from_settings(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "antrag_adresse": "2/h"}
    codes = [
        client.post("/antrag/", gestempelt(titel=f"T{i}", email=f"p{i}@example.org")).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_saw(rf, settings):
    anfrage = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.PROXY_COUNT = 0
    assert drosselung.client_adresse(anfrage) == "10.0.0.1"  # no proxy: the header is a lie
    settings.PROXY_COUNT = 1
    assert drosselung.client_adresse(anfrage) == "203.0.113.7"  # what the client wrote is ignored
    kaputt = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert drosselung.client_adresse(kaputt) == "0.0.0.0"


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(client, settings):
    settings.PROXY_COUNT = 1
    codes = []
    for i in range(12):
        codes.append(
            client.post(
                "/antrag/",
                gestempelt(titel=f"T{i}", email=f"p{i}@example.org"),
                HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 198.51.100.4",
            ).status_code
        )
    assert codes.count(429) == 2


class _NichtLesen(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


@pytest.mark.parametrize("laenge", [52 * 1024 * 1024 + 1, 10**12])
def test_a_body_above_the_cap_is_refused_before_it_is_read(laenge, settings):
    gerufen = []
    app = KoerperGrenze(
        lambda environ, start: gerufen.append(1) or [b""], settings.MAX_REQUEST_BYTES
    )
    antworten = []
    body = b"".join(
        app(
            {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(laenge), "wsgi.input": _NichtLesen()},
            lambda status, headers: antworten.append((status, dict(headers))),
        )
    )
    ((status, headers),) = antworten
    assert status.startswith("413") and not gerufen
    assert "Zu viele Daten auf einmal" in body.decode() and headers["Connection"] == "close"


@pytest.mark.parametrize("laenge", ["", "0", "1000", "abc", str(52 * 1024 * 1024)])
def test_a_body_within_the_cap_reaches_django(laenge, settings):
    gerufen = []
    app = KoerperGrenze(
        lambda environ, start: gerufen.append(1) or [b""], settings.MAX_REQUEST_BYTES
    )
    app({"CONTENT_LENGTH": laenge}, lambda *a: None)
    assert gerufen == [1]


def test_the_production_entry_point_has_the_cap():
    from aktionsplan import wsgi

    assert isinstance(wsgi.application, KoerperGrenze)
    assert wsgi.application.grenze == 5 * 10 * 1024 * 1024 + 2 * 1024 * 1024


def test_one_antrag_never_stores_more_than_50_mb(settings):
    antrag = submitted_antrag()
    for _ in range(5):
        Anlage.objects.create(
            antrag=antrag, datei="anlagen/x.pdf", dateiname="x.pdf",
            content_type="application/pdf", groesse=10 * 1024 * 1024,
        )  # fmt: skip
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.AUSGEZAHLT)
    antrag.refresh_from_db()
    with pytest.raises(ValidationError) as fehler:
        einreichung.verwendungsnachweis_einreichen(
            antrag=antrag,
            bericht="Bericht",
            ausgaben=ausgaben_je_zeile(antrag, 0),
            dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
        )
    assert "höchstens 50 MB" in " ".join(fehler.value.messages)
    antrag.refresh_from_db()
    assert antrag.status == Status.AUSGEZAHLT and antrag.anlagen.count() == 5


def test_the_cache_counts_up_without_losing_its_expiry():
    cache.add("zaehler", 1, 3600)
    assert cache.incr("zaehler") == 2
    assert cache.incr("zaehler", 5) == 7
    assert cache.get("zaehler") == 7
    # A key that has gone is counted afresh, not refused.
    assert cache.incr("weg") == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_counts_are_all_counted():
    cache.add("parallel", 0, 3600)
    barriere = threading.Barrier(10)

    def zaehlen():
        barriere.wait()
        for _ in range(20):
            cache.incr("parallel")
        connection.close()

    threads = [threading.Thread(target=zaehlen) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.get("parallel") == 200


def test_too_fast_returns_to_the_check_page_with_a_plain_message(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF_BYTES

    datei = SimpleUploadedFile("konzept.pdf", PDF_BYTES, "application/pdf")
    seite = client.post(
        "/antrag/", gestempelt(vor_sekunden=1) | {"anlagen": datei}
    ).content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in seite  # the check page, not the form
    assert "konzept.pdf" in seite  # the chosen file is kept, and goes with the next send
    assert 'id="zu-schnell"' in seite and 'id="fehler"' not in seite
    assert 'name="webseite"' not in seite and "Bitte lassen Sie dieses Feld leer" not in seite
    assert 'name="absenden"' in seite
