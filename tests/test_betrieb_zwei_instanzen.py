"""Scale-out: two gunicorn instances on different ports over one PostgreSQL database, one
attachment folder and one page cache serve one person as if they were one, and several workers
of one instance show a change at once."""

import html as html_module
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from decimal import Decimal
from http.cookies import SimpleCookie

import psycopg
import pytest
from django_otp.oath import TOTP

from .bench.seiten import gunicorn_starten
from .factories import PDF_BYTES
from .throwaway_postgres import cluster, find_bindir, free_port

pytestmark = pytest.mark.postgres_only

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORT = "Ein-sicheres-Passwort-2026"


class Besucher:
    """One browser: its cookies go to whichever instance it asks (as behind a proxy)."""

    def __init__(self):
        self.cookies = {}

    def anfrage(self, port, methode, pfad, felder=None, dateien=()):
        kopf = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if felder is not None:
            kopf["Referer"] = f"http://127.0.0.1:{port}{pfad}"
            if dateien:
                body, kopf["Content-Type"] = _multipart(felder, dateien)
            else:
                body = urllib.parse.urlencode(felder, doseq=True).encode()
                kopf["Content-Type"] = "application/x-www-form-urlencoded"
        verbindung = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        verbindung.request(methode, pfad, body=body, headers=kopf)
        antwort = verbindung.getresponse()
        inhalt = antwort.read()
        if antwort.headers.get_content_type() == "text/html":
            inhalt = inhalt.decode()
        for kopfzeile in antwort.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(kopfzeile).items():
                self.cookies[name] = morsel.value
        verbindung.close()
        return antwort, inhalt

    def get(self, port, pfad):
        return self.anfrage(port, "GET", pfad)

    def formular(self, port, pfad, felder, dateien=()):
        """Loads the page for its CSRF token, then posts the form to the same instance."""
        _antwort, html = self.get(port, pfad)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.anfrage(port, "POST", pfad, {**felder, "csrfmiddlewaretoken": token}, dateien)


def _multipart(felder, dateien):
    grenze = "----aktionsplan-test"
    teile = []
    for name, wert in felder.items():
        for einzeln in wert if isinstance(wert, list) else [wert]:
            kopf = f'--{grenze}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            teile.append(f"{kopf}{einzeln}\r\n".encode())
    for name, dateiname, inhalt, art in dateien:
        teile.append(
            f'--{grenze}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{dateiname}"\r\nContent-Type: {art}\r\n\r\n'.encode()
            + inhalt
            + b"\r\n"
        )
    return b"".join(teile) + f"--{grenze}--\r\n".encode(), f"multipart/form-data; boundary={grenze}"


def _manage(env, *args, eingabe=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, input=eingabe, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


KONTO = f"""
from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from antraege.services import budget
from antraege.models import Haushaltsjahr
jahr, _neu = Haushaltsjahr.objects.update_or_create(
    jahr=timezone.localdate().year, defaults={{"eingerichtet": True}}
)
budget.haushaltsjahr_einrichten(haushaltsjahr=jahr)
user = User.objects.create_superuser("projektbuero", "pb@example.org", "{PASSWORT}")
print(TOTPDevice.objects.create(user=user, name="App", confirmed=True).key)
"""


def _code(schluessel_hex):
    totp = TOTP(bytes.fromhex(schluessel_hex))
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture(scope="module")
def zwei_instanzen(statische_dateien):
    """Two instances (2 workers each) over one cluster, one attachment folder, one page cache."""
    if find_bindir() is None:
        pytest.fail("PostgreSQL server binaries not found")
    with cluster() as (url, _stop), tempfile.TemporaryDirectory() as tmp:
        ports = [free_port(), free_port()]
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
            "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
            "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
            "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
            "SECRET_KEY": "s" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": f"filemail://{tmp}/mails",
            "PRIVATE_MEDIA_ROOT": f"{tmp}/private_media",
            "SEITENCACHE_DIR": f"{tmp}/seitencache",
            "STATIC_ROOT": str(statische_dateien),
            "SECURE_SSL_REDIRECT": "0",
            "ANTRAG_MINDESTZEIT_SEKUNDEN": "0",
            "WEB_CONCURRENCY": "2",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "createcachetable")
        schluessel = _manage(env, "shell", eingabe=KONTO).strip().splitlines()[-1]
        prozesse = []
        logs = [open(f"{tmp}/gunicorn-{p}.log", "w") for p in ports]
        try:
            for port, log in zip(ports, logs, strict=True):
                prozesse.append(
                    gunicorn_starten({**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, log)
                )
            yield {"ports": ports, "url": url, "schluessel": schluessel, "env": env}
        finally:
            for prozess in prozesse:
                prozess.terminate()
                prozess.wait(timeout=30)
            for log in logs:
                log.close()


def _antrag_felder(aktionsraum_id):
    from .factories import VALID_IBAN

    return {
        "aktionsraum": aktionsraum_id,
        "finanzierungsquelle": "projektbudget",
        "titel": "Lesecafé für zwei Instanzen",
        "beschreibung": "Ein Lesecafé im Stadtteilzentrum.",
        "ziele": ["ziel_nachbarschaft"],
        "zielgruppe": "Familien im Quartier",
        "teilnehmende": "40",
        "durchfuehrungsort": "Stadtteilzentrum",
        "beginn": "2027-05-01",
        "ende": "2027-05-02",
        "antragsteller_art": "verein",
        "organisation": "Leseverein e. V.",
        "ansprechperson": "Erika Beispiel",
        "strasse": "Beispielstraße 1",
        "plz": "44263",
        "wohnort": "Dortmund",
        "email": "lesecafe@example.org",
        "kontoinhaber": "Leseverein e. V.",
        "iban": VALID_IBAN,
        "eigenmittel": "0",
        "eigenleistung": "0",
        "drittmittel": "0",
        "beantragter_betrag": "500,00",
        "datenschutz": "on",
        # With a project page: the area page then names the project, as this test reads it.
        "oeffentlich_vorstellen": "on",
        "vorstellung_text": "Ein Lesecafé, von zwei Instanzen bedient.",
        "kosten-TOTAL_FORMS": "1",
        "kosten-INITIAL_FORMS": "0",
        "kosten-MIN_NUM_FORMS": "1",
        "kosten-MAX_NUM_FORMS": "30",
        "kosten-0-beschreibung": "Bücher",
        "kosten-0-betrag": "500,00",
    }


def _sql(url, abfrage, *parameter):
    with psycopg.connect(url) as verbindung:
        return verbindung.execute(abfrage, parameter).fetchone()


def test_one_person_is_served_by_two_instances_as_by_one(zwei_instanzen):
    a, b = zwei_instanzen["ports"]
    url = zwei_instanzen["url"]
    hoerde = _sql(url, "SELECT id FROM quartiere_aktionsraum WHERE slug = 'hoerde'")[0]

    # The district page is cached on B before anything happens.
    besucherin = Besucher()
    for _ in range(3):
        antwort, html = besucherin.get(b, "/aktionsraeume/hoerde/")
    assert antwort.status == 200 and antwort.headers["X-Seitencache"] == "1"
    assert "Lesecafé für zwei Instanzen" not in html

    # An Antrag with a file: checked on A (the file waits as a pending upload), sent from the
    # check page on B, which finds the file; the session carries on, with the file.
    antragstellerin = Besucher()
    antwort, pruefseite = antragstellerin.formular(
        a, "/antrag/", {**_antrag_felder(hoerde), "pruefen": "1"},
        dateien=[("anlagen", "angebot.pdf", PDF_BYTES, "application/pdf")],
    )  # fmt: skip
    assert antwort.status == 200 and "angebot.pdf" in pruefseite, pruefseite[:2000]
    felder = {}
    for name, wert in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', pruefseite
    ):
        felder.setdefault(name, []).append(html_module.unescape(wert))
    felder = {k: v if len(v) > 1 else v[0] for k, v in felder.items()}
    antwort, _html = antragstellerin.anfrage(b, "POST", "/antrag/", {**felder, "absenden": "1"})
    assert antwort.status == 302, _html[:2000]
    antwort, html = antragstellerin.get(b, "/antrag/eingereicht/")
    aktenzeichen = _sql(url, "SELECT aktenzeichen FROM antraege_antrag")[0]
    assert antwort.status == 200 and aktenzeichen in html

    # Staff log in on A (password and code); the session works on B, which shows the Antrag
    # and its file.
    staff = Besucher()
    antwort, _html = staff.formular(
        a, "/admin/login/?next=/admin/",
        {"username": "projektbuero", "password": PASSWORT, "next": "/admin/"},
    )  # fmt: skip
    assert antwort.status == 302
    antwort, _html = staff.formular(
        a, "/admin/zwei-faktor/?next=/admin/",
        {"code": _code(zwei_instanzen["schluessel"]), "next": "/admin/"},
    )  # fmt: skip
    assert antwort.status == 302 and antwort.headers["Location"] == "/admin/"
    antrag_id, anlage_id = _sql(
        url, "SELECT antrag_id, id FROM antraege_anlage WHERE antrag_id IS NOT NULL"
    )
    antwort, html = staff.get(b, f"/admin/antraege/antrag/{antrag_id}/change/")
    assert antwort.status == 200 and "Lesecafé für zwei Instanzen" in html
    antwort, datei = staff.get(b, f"/admin/antraege/antrag/anlage/{anlage_id}/")
    assert antwort.status == 200 and datei.startswith(b"%PDF")

    # A grant on B is on A's and B's district page at once, though both had it cached.
    antwort, _html = besucherin.get(a, "/aktionsraeume/hoerde/")
    assert besucherin.get(a, "/aktionsraeume/hoerde/")[0].headers["X-Seitencache"] == "1"
    schritt = f"/admin/antraege/antrag/{antrag_id}/change/"
    teil = {"betrag": "450,00", "kommentar": "Honorar nicht förderfähig."}
    for nach, extra in [("in_pruefung", {}), ("entscheidungsreif", {}), ("bewilligt", teil)]:
        _antwort, html = staff.get(b, schritt)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        antwort, _html = staff.anfrage(
            b, "POST", f"/admin/antraege/antrag/{antrag_id}/schritt/",
            {"nach": nach, "csrfmiddlewaretoken": token, **extra},
        )  # fmt: skip
        assert antwort.status == 302
        status = _sql(url, "SELECT status FROM antraege_antrag")[0]
        assert status == nach, re.findall(
            r'<li class="(?:error|warning)">(.*?)</li>', staff.get(b, schritt)[1]
        )
    gebucht = _sql(url, "SELECT sum(betrag) FROM antraege_buchung WHERE art = %s", "bewilligung")
    assert gebucht[0] == Decimal("450.00")
    for port in (a, b, a, b):  # every worker of both instances
        _antwort, html = besucherin.get(port, "/aktionsraeume/hoerde/")
        assert "Lesecafé für zwei Instanzen" in html and "450,00\xa0€" in html


FONDS_AENDERN = """
from django.utils import timezone
from antraege.models import Aktionsraumfonds
fonds = Aktionsraumfonds.objects.get(
    aktionsraum__slug="marten", haushaltsjahr__jahr=timezone.localdate().year
)
fonds.betrag = "6250.00"
fonds.save()
"""


def test_a_changed_fund_figure_is_on_the_page_at_once_in_every_worker(zwei_instanzen):
    a, b = zwei_instanzen["ports"]
    besucher = Besucher()
    for _ in range(10):  # both workers of both instances have served the page from the cache
        for port in (a, b):
            antwort, html = besucher.get(port, "/aktionsraeume/marten/")
            assert "5.000,00\xa0€" in html
    assert antwort.headers["X-Seitencache"] == "1"
    # A third process (a command, as staff's admin would be) changes the fund ...
    _manage(zwei_instanzen["env"], "shell", eingabe=FONDS_AENDERN)
    # ... and no worker of either instance serves the old figure again.
    for _ in range(10):
        for port in (a, b):
            antwort, html = besucher.get(port, "/aktionsraeume/marten/")
            assert "6.250,00\xa0€" in html and "5.000,00\xa0€" not in html
