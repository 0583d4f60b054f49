"""The Projektbüro's contact is on every page and in every letter that promises it."""

import pytest
from django.core import mail
from django.test import Client

from antraege.models import AusgehendeMail

from .factories import submitted_antrag, token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pfad", ["/antrag/statuslink/", "/barrierefreiheit/", "/impressum/", "/datenschutz/"]
)
def test_each_page_that_promises_the_projektbuero_names_its_address(pfad, settings):
    settings.PROJEKTBUERO_PHONE = "(0231) 50-00000"
    html = Client().get(pfad).content.decode()
    assert 'href="mailto:projektbuero@example.org"' in html
    assert "(0231) 50-00000" in html


def test_the_status_page_and_every_letter_name_the_projektbuero_beside_the_area(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        antrag = submitted_antrag()
    assert antrag.aktionsraum.beauftragte.exists()  # the area has its own contact too
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert "projektbuero@example.org" in html
    brief = AusgehendeMail.objects.get(empfaenger=[antrag.email])
    assert "Ihre Ansprechperson im Aktionsraum Hörde" in brief.text
    assert "Projektbüro Aktionsplan Soziale Stadt, E-Mail projektbuero@example.org" in brief.text
    assert any("projektbuero@example.org" in m.body for m in mail.outbox)


def test_while_developing_a_local_address_stands_in(settings):
    import subprocess
    import sys
    from pathlib import Path

    ergebnis = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='aktionsplan.settings';"
            "from django.conf import settings; print(settings.PROJEKTBUERO_EMAIL)",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
        timeout=60,
    )
    assert ergebnis.stdout.strip() == "projektbuero@localhost", ergebnis.stderr
