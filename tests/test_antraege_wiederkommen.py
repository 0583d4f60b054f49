"""Coming back (issue 37 point 5): the home and start pages lead to the page that mails the
links again, which now also sends the link of a draft saved for later; a saved draft keeps its
chosen files as long as itself, and its mail says until when."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Entwurf, VorlaeufigeAnlage
from antraege.services import einreichung
from antraege.services.entwurf import entwuerfe_aufraeumen

from .factories import PDF_BYTES, antrag_post_data

pytestmark = pytest.mark.django_db

LINK = "Gespeicherten Antrag fortsetzen oder gestellten Antrag ansehen"


def spaeter(client, **overrides):
    data = antrag_post_data(**overrides)
    data.pop("absenden")
    data["spaeter"] = "1"
    return client.post("/antrag/", data)


@pytest.mark.parametrize("seite", ["/", "/antrag/start/"])
def test_the_home_and_start_pages_lead_back(client, seite):
    html = client.get(seite).content.decode()
    assert re.search(rf'<a href="/antrag/statuslink/">{LINK}</a>', html), seite


def test_a_saved_draft_keeps_its_files_as_long_as_itself(
    client, django_capture_on_commit_callbacks
):
    plan = SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        spaeter(client, anlagen=[plan])
    entwurf = Entwurf.objects.get()
    datei = VorlaeufigeAnlage.objects.get()
    assert datei.gueltig_bis == entwurf.gueltig_bis
    assert "Wir bewahren den Entwurf und die ausgewählten Dateien bis zum" in mail.outbox[-1].body
    # Two days later the file is still there; after the draft's time both are gone.
    entwuerfe_aufraeumen(jetzt=timezone.now() + timedelta(days=2))
    assert VorlaeufigeAnlage.objects.count() == 1
    entwuerfe_aufraeumen(jetzt=entwurf.gueltig_bis + timedelta(seconds=1))
    assert not VorlaeufigeAnlage.objects.exists() and not Entwurf.objects.exists()


def test_the_lost_link_page_sends_the_link_of_a_saved_draft_too(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        spaeter(client, titel="Halb fertig")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert einreichung.statuslinks_erneut_senden(email="Erika@Example.org") == 1
    link = re.search(r"http://\S+(/antrag/entwurf/[A-Za-z0-9_-]+/)", mail.outbox[-1].body)
    assert 'value="Halb fertig"' in client.get(link.group(1)).content.decode()
    # Two saved drafts: one mail, the newest (saving needs no confirmed address, so a flood of
    # drafts under someone's address must not multiply the mails).
    with django_capture_on_commit_callbacks(execute=True):
        spaeter(client, titel="Zweiter Entwurf")
    assert einreichung.statuslinks_erneut_senden(email="erika@example.org") == 1
    # An expired draft and another address's draft are not sent.
    Entwurf.objects.update(gueltig_bis=timezone.now() - timedelta(minutes=1))
    assert einreichung.statuslinks_erneut_senden(email="erika@example.org") == 0
    assert einreichung.statuslinks_erneut_senden(email="jemand@example.org") == 0
