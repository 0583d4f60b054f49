"""No application is lost to a mail outage; mail goes out through real SMTP too."""

from email import message_from_bytes

import pytest
from django.core import mail
from django.core.management import call_command

from antraege.models import Antrag, AusgehendeMail

from .factories import antrag_post_data, token

pytestmark = pytest.mark.django_db


class BrokenBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_mail_outage_keeps_the_antrag_records_the_error_and_the_command_retries(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_antraege_mail_outbox.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/antrag/", antrag_post_data())
    assert response.status_code == 302
    assert Antrag.objects.count() == 1
    pending = AusgehendeMail.objects.filter(gesendet_am__isnull=True)
    assert pending.count() == 2
    assert all("SMTP server unreachable" in m.letzter_fehler for m in pending)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("mails_senden")
    assert AusgehendeMail.objects.filter(gesendet_am__isnull=True).count() == 0
    assert {tuple(m.to) for m in mail.outbox} >= {("erika@example.org",)}
    assert all(m.versuche == 2 for m in AusgehendeMail.objects.all())


def test_retry_command_fails_loudly_while_the_server_is_still_down(settings):
    settings.EMAIL_BACKEND = "tests.test_antraege_mail_outbox.BrokenBackend"
    AusgehendeMail.objects.create(empfaenger=["a@example.org"], betreff="x", text="x")
    with pytest.raises(SystemExit):
        call_command("mails_senden")
    assert AusgehendeMail.objects.get().versuche == 1


def test_confirmation_is_delivered_through_a_real_smtp_server(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    port, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/antrag/", antrag_post_data())
    antrag = Antrag.objects.get()
    delivered = {tuple(rcpt): message_from_bytes(content) for rcpt, content in handler.messages}
    confirmation = delivered[("erika@example.org",)]
    assert antrag.aktenzeichen in confirmation["Subject"]
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in confirmation.walk()
        if not p.is_multipart()
    }
    assert token(antrag) in parts["text/plain"] and token(antrag) in parts["text/html"]
    assert AusgehendeMail.objects.filter(gesendet_am__isnull=True).count() == 0
