"""The status link cannot leak: stored only as a keyed hash, never in the outbox or a log, and
renewed by staff on request (the old link stops working)."""

import hashlib
import hmac
import io
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from antraege import emails, statuslink
from antraege.models import Antrag, AusgehendeMail, Status
from antraege.rollen import LESEZUGRIFF
from antraege.services import workflow
from quartiere.models import Aktionsraum

from .factories import (
    antrag_post_data,
    beauftragte_user,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
    token,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def eingereicht(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/antrag/", antrag_post_data())
    return Antrag.objects.get()


def alle_werte_der_zeile(antrag) -> str:
    """Every column of the Antrag's row as the database has it (what a dump would show)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM antraege_antrag WHERE id = %s", [antrag.pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_the_database_row_holds_no_working_link(eingereicht):
    geheim = token(eingereicht)
    zeile = alle_werte_der_zeile(eingereicht)
    assert geheim not in zeile
    # What is stored is HMAC-SHA256 under the settings key, not a plain hash anyone can make.
    assert eingereicht.status_token_hash != hashlib.sha256(geheim.encode()).hexdigest()
    from django.conf import settings

    erwartet = hmac.new(
        settings.STATUS_TOKEN_KEY.encode(), f"lookup:{geheim}".encode(), hashlib.sha256
    ).hexdigest()
    assert eingereicht.status_token_hash == erwartet


def test_the_stored_hash_or_salt_do_not_open_the_status_page(client, eingereicht):
    assert client.get(f"/antrag/status/{token(eingereicht)}/").status_code == 200
    for wert in [eingereicht.status_token_hash, eingereicht.status_token_salt]:
        assert client.get(f"/antrag/status/{wert}/").status_code == 404


def test_another_key_gives_other_links(eingereicht, settings):
    alt = token(eingereicht)
    settings.STATUS_TOKEN_KEY = "ein-anderer-schluessel"
    assert token(eingereicht) != alt


def test_the_outbox_keeps_a_placeholder_and_only_the_sent_mail_has_the_link(eingereicht):
    geheim = token(eingereicht)
    gespeichert = AusgehendeMail.objects.get(antrag=eingereicht, empfaenger=[eingereicht.email])
    assert gespeichert.gesendet_am is not None
    assert geheim not in gespeichert.text + gespeichert.html
    assert statuslink.PLATZHALTER in gespeichert.text
    assert statuslink.PLATZHALTER in gespeichert.html
    gesendet = next(m for m in mail.outbox if m.to == [eingereicht.email])
    assert f"/antrag/status/{geheim}/" in gesendet.body
    html = gesendet.alternatives[0][0]
    assert f'<a href="http://127.0.0.1:8000/antrag/status/{geheim}/">' in html
    assert statuslink.PLATZHALTER not in gesendet.body + html


def test_internal_notices_never_get_a_link_put_in(client, django_capture_on_commit_callbacks):
    # An applicant who types the placeholder must not get the Beauftragte's mail a link.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/antrag/", antrag_post_data(titel="Fest [Statuslink] am Platz"))
    antrag = Antrag.objects.get()
    intern = next(m for m in mail.outbox if m.to != [antrag.email])
    assert "/antrag/status/" not in intern.body
    assert "[Statuslink]" in intern.body


def test_staff_see_the_placeholder_in_the_outbox_admin(client, eingereicht):
    client.force_login(projektbuero_user())
    mails = AusgehendeMail.objects.filter(antrag=eingereicht)
    for m in mails:
        html = client.get(f"/admin/antraege/ausgehendemail/{m.pk}/change/").content.decode()
        assert token(eingereicht) not in html
        assert "/antrag/status/" not in html
    erste = mails.get(empfaenger=[eingereicht.email])
    html = client.get(f"/admin/antraege/ausgehendemail/{erste.pk}/change/").content.decode()
    assert "[Statuslink]" in html


def test_a_mail_queued_before_a_renewal_is_sent_with_the_new_link(eingereicht):
    pb = projektbuero_user()
    with pytest.MonkeyPatch.context() as mp:
        # Keep the status mail in the outbox (as when the mail server is down).
        mp.setattr(emails, "mail_senden", lambda **kw: False)
        workflow.antrag_status_setzen(antrag=eingereicht, nach=Status.IN_PRUEFUNG, by=pb)
    workflow.statuslink_erneuern(antrag=eingereicht, by=pb)
    neu = token(eingereicht)
    mail.outbox.clear()
    emails.offene_mails_senden()
    assert mail.outbox and all(f"/antrag/status/{neu}/" in m.body for m in mail.outbox)


def test_renewing_makes_a_new_link_ends_the_old_one_and_mails_the_applicant(
    client, eingereicht, django_capture_on_commit_callbacks
):
    alt = token(eingereicht)
    pb = projektbuero_user()
    client.force_login(pb)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/antraege/antrag/{eingereicht.pk}/statuslink/", follow=True)
    assert "Neuer Statuslink an erika@example.org gesendet" in response.content.decode()
    neu = token(eingereicht)
    assert neu != alt
    client.logout()
    assert client.get(f"/antrag/status/{alt}/").status_code == 404
    assert client.get(f"/antrag/status/{alt}/nachweis/").status_code == 404
    assert client.get(f"/antrag/status/{neu}/").status_code == 200
    [brief] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert "neuer Statuslink" in brief.subject
    assert f"/antrag/status/{neu}/" in brief.body and alt not in brief.body
    eintrag = eingereicht.verlauf.last()
    assert eintrag.user == pb and "Neuer Statuslink" in eintrag.kommentar


def test_read_only_and_foreign_staff_cannot_renew_a_link(client, eingereicht):
    alt = token(eingereicht)
    url = f"/admin/antraege/antrag/{eingereicht.pk}/statuslink/"
    client.force_login(rollen_user("pruefer", LESEZUGRIFF))
    assert (
        "Neuen Statuslink senden"
        not in client.get(f"/admin/antraege/antrag/{eingereicht.pk}/change/").content.decode()
    )
    assert client.post(url).status_code == 403
    client.force_login(beauftragte_user(Aktionsraum.objects.get(slug="wickede")))
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert token(eingereicht) == alt


def test_the_own_beauftragte_sees_and_can_use_the_button(client, eingereicht):
    client.force_login(beauftragte_user(eingereicht.aktionsraum))
    html = client.get(f"/admin/antraege/antrag/{eingereicht.pk}/change/").content.decode()
    assert "Neuen Statuslink senden" in html
    alt = token(eingereicht)
    client.post(f"/admin/antraege/antrag/{eingereicht.pk}/statuslink/")
    assert token(eingereicht) != alt


def test_a_link_from_before_hashing_still_opens_and_is_renewed_with_the_next_mail(client):
    antrag = submitted_antrag()
    alt = "A" * 43
    Antrag.objects.filter(pk=antrag.pk).update(
        status_token_hash=statuslink.token_hash(alt), status_token_salt=""
    )
    assert client.get(f"/antrag/status/{alt}/").status_code == 200
    antrag.refresh_from_db()
    staff = projektbuero_user()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    antrag.refresh_from_db()
    assert not antrag.status_token_salt  # "in Prüfung" sends no mail
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Eine Frage"
    )
    antrag.refresh_from_db()
    assert antrag.status_token_salt
    assert client.get(f"/antrag/status/{token(antrag)}/").status_code == 200


def test_a_404_warning_shows_the_status_path_without_the_token(client):
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    alt = handler.setStream(stream)
    try:
        geheim = "Zz9" * 14 + "x"
        client.get(f"/antrag/status/{geheim}/nachweis/")
        client.get(f"/en/antrag/status/{geheim}/")
    finally:
        handler.setStream(alt)
    log = stream.getvalue()
    assert "Not Found: /antrag/status/…/nachweis/" in log
    assert "Not Found: /en/antrag/status/…/" in log
    assert geheim not in log


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# gunicorn serves from its own SQLite file whichever run starts it: once, in the SQLite run.
@pytest.mark.sqlite_lauf
def test_gunicorns_access_log_shows_the_status_path_without_the_token(tmp_path):
    port = _freier_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leer.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "aktionsplan/gunicorn.conf.py",
            "--access-logfile",
            str(log),
            "aktionsplan.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    geheim = "Qq7" * 14 + "y"
    try:
        ende = time.monotonic() + 60  # a loaded CI machine boots gunicorn slowly
        while True:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/impressum/", timeout=2)
                break
            except OSError:
                assert time.monotonic() < ende, "gunicorn did not start"
                time.sleep(0.2)
        anfrage = urllib.request.Request(
            f"http://127.0.0.1:{port}/antrag/status/{geheim}/?x=1",
            headers={"Referer": f"http://127.0.0.1:{port}/antrag/status/{geheim}/"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(anfrage, timeout=5)
    finally:
        server.send_signal(signal.SIGTERM)
        _, fehler = server.communicate(timeout=20)
    zeilen = log.read_text()
    assert re.search(r'"GET /antrag/status/…/\?x=1 HTTP/1\.1" 404', zeilen), zeilen
    assert geheim not in zeilen and geheim not in fehler.decode()
