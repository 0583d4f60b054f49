"""Two-factor login for staff: the password alone reaches nothing, a wrong code is refused and
counted by django-axes, a right code (or a backup code, once) opens the Verwaltung, set-up
shows a QR code made by the portal, and `konto_anlegen` sets up the first account."""

import base64
import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from antraege.models import Antrag
from antraege.services import einreichung

from .factories import PDF_BYTES, otp_code, projektbuero_user, submitted_antrag, zweiter_faktor

pytestmark = pytest.mark.django_db
PASSWORT = "Ein-sicheres-Passwort-2026"
ADRESSE = "192.0.2.44"


@pytest.fixture(autouse=True)
def _ohne_wartezeit(settings):
    # django-otp slows down guessing by seconds after each wrong code; the tests do not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def mit_passwort(client, username="projektbuero", passwort=PASSWORT):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": passwort, "next": "/admin/"},
        REMOTE_ADDR=ADRESSE,
    )


def code_senden(client, code, next_="/admin/"):
    return client.post("/admin/zwei-faktor/", {"code": code, "next": next_}, REMOTE_ADDR=ADRESSE)


@pytest.fixture
def staff():
    user = projektbuero_user()
    zweiter_faktor(user)
    return user


@pytest.fixture
def antrag():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import antrag_daten

    return einreichung.antrag_einreichen(
        daten=antrag_daten(titel="Geheimes Sommerfest"),
        kosten=[("Material", antrag_daten()["beantragter_betrag"])],
        dateien=[SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")],
    )


def test_the_password_alone_reaches_nothing(client, staff, antrag):
    response = mit_passwort(client)
    assert response.status_code == 302
    anlage = antrag.anlagen.get()
    versucht = [
        "/admin/",
        "/admin/antraege/antrag/",
        f"/admin/antraege/antrag/{antrag.pk}/change/",
        f"/admin/antraege/antrag/{antrag.pk}/history/",
        f"/admin/antraege/antrag/anlage/{anlage.pk}/",
        "/admin/antraege/antrag/export/",
        "/admin/antraege/haushaltsjahr/uebersicht/",
        "/admin/antraege/haushaltsjahr/uebersicht/csv/",
        "/admin/antraege/ausgehendemail/",
        "/admin/autocomplete/?app_label=antraege&model_name=projektkonferenz"
        "&field_name=tagesordnung&term=Sommer",
        "/en/admin/antraege/antrag/",
        "/admin/password_change/",
    ]
    for url in versucht:
        response = client.get(url, REMOTE_ADDR=ADRESSE)
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path in (
            "/admin/zwei-faktor/",
            "/en/admin/zwei-faktor/",
        )
        assert antrag.aktenzeichen not in response.content.decode()
    # A step posted with the password alone changes nothing either.
    response = client.post(f"/admin/antraege/antrag/{antrag.pk}/schritt/", {"nach": "in_pruefung"})
    assert response.status_code == 302
    assert Antrag.objects.get(pk=antrag.pk).status == "eingereicht"
    seite = client.get("/admin/zwei-faktor/?next=/admin/", REMOTE_ADDR=ADRESSE)
    assert "Bestätigungscode" in seite.content.decode()
    assert antrag.titel not in seite.content.decode()


def test_a_right_code_opens_the_verwaltung_and_goes_where_asked(client, staff, antrag):
    mit_passwort(client)
    ziel = f"/admin/antraege/antrag/{antrag.pk}/change/"
    response = code_senden(client, otp_code(zweiter_faktor(staff)), next_=ziel)
    assert response.status_code == 302 and response["Location"] == ziel
    assert antrag.titel in client.get(ziel).content.decode()


def test_a_wrong_code_is_refused_and_five_lock_the_account(client, staff):
    mit_passwort(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = code_senden(client, "000000")
        assert response.status_code == 200
        assert "Der Code stimmt nicht" in response.content.decode()
    response = code_senden(client, "000000")
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="projektbuero (Zweiter Faktor)").exists()
    # Locked: the right code is refused now, and a new password login does not reset it.
    assert code_senden(client, otp_code(zweiter_faktor(staff))).status_code == 429
    client.logout()
    mit_passwort(client)
    assert code_senden(client, otp_code(zweiter_faktor(staff))).status_code == 429
    assert client.get("/admin/antraege/antrag/", REMOTE_ADDR=ADRESSE).status_code == 302


def test_a_right_code_after_a_wrong_one_works_and_clears_the_count(client, staff):
    mit_passwort(client)
    code_senden(client, "123456")
    assert code_senden(client, otp_code(zweiter_faktor(staff))).status_code == 302
    assert not AccessAttempt.objects.filter(username="projektbuero (Zweiter Faktor)").exists()


def test_a_code_is_accepted_only_once(client, staff):
    code = otp_code(zweiter_faktor(staff))
    mit_passwort(client)
    assert code_senden(client, code).status_code == 302
    client.logout()
    mit_passwort(client)
    assert code_senden(client, code).status_code == 200


def test_a_backup_code_works_once(client, staff):
    from aktionsplan.kern.zweifaktor import ersatzcodes_erzeugen

    codes = ersatzcodes_erzeugen(staff)
    mit_passwort(client)
    assert code_senden(client, codes[0]).status_code == 302
    client.logout()
    mit_passwort(client)
    assert code_senden(client, codes[0]).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_a_foreign_next_address_is_not_followed(client, staff):
    mit_passwort(client)
    response = code_senden(client, otp_code(zweiter_faktor(staff)), next_="https://evil.example/")
    assert response["Location"] == "/admin/"


def schluessel_aus_seite(html: str) -> bytes:
    text = re.search(r'class="zweifaktor-schluessel">([A-Z2-7 ]+)<', html).group(1)
    text = text.replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def test_a_new_account_sets_up_the_app_with_a_qr_code_made_here(client):
    User.objects.create_user("neu", password=PASSWORT, is_staff=True, is_superuser=True)
    response = mit_passwort(client, "neu")
    response = client.get(response["Location"], REMOTE_ADDR=ADRESSE, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/admin/zwei-faktor/einrichten/")
    assert "<svg" in html and 'role="img"' in html
    assert not re.search(r'(src|href)="https?://', html)  # nothing from another server
    schluessel = schluessel_aus_seite(html)
    device = TOTPDevice.objects.get(user__username="neu")
    assert not device.confirmed and device.bin_key == schluessel
    falsch = client.post(
        "/admin/zwei-faktor/einrichten/", {"code": "000000", "next": "/admin/"}, REMOTE_ADDR=ADRESSE
    )
    assert "Der Code stimmt nicht" in falsch.content.decode()
    app = TOTP(schluessel)
    response = client.post(
        "/admin/zwei-faktor/einrichten/",
        {"code": f"{app.token():06d}", "next": "/admin/"},
        REMOTE_ADDR=ADRESSE,
    )
    html = response.content.decode()
    assert "Ihre Ersatzcodes" in html
    assert len(re.findall(r"<li><code>[0-9a-f]{8}</code></li>", html)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_an_account_with_an_app_cannot_set_up_another_one_with_the_password(client, staff):
    mit_passwort(client)
    response = client.get("/admin/zwei-faktor/einrichten/", REMOTE_ADDR=ADRESSE)
    assert urlsplit(response["Location"]).path == "/admin/zwei-faktor/"
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_konto_anlegen_sets_up_the_second_factor_and_prints_it_once(client, monkeypatch):
    monkeypatch.setenv("KONTO_PASSWORT", PASSWORT)
    out = StringIO()
    call_command("konto_anlegen", "projektbuero", "rossbach", stdout=out)
    text = out.getvalue()
    uri = re.search(r"otpauth://totp/\S+", text).group(0)
    geheimnis = parse_qs(urlsplit(uri).query)["secret"][0]
    assert "Aktionsplan" in uri
    schluessel = base64.b32decode(geheimnis + "=" * (-len(geheimnis) % 8))
    mit_passwort(client, "rossbach")
    response = code_senden(client, f"{TOTP(schluessel).token():06d}")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    ersatz = re.search(r"Ersatzcodes \(jeder gilt einmal\): ((?:[0-9a-f]{8} ?){10})", text)
    assert ersatz is not None


def test_a_lost_phone_is_reset_by_command(client, staff):
    call_command("zweiten_faktor_zuruecksetzen", "projektbuero", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=staff).exists()
    mit_passwort(client)
    response = client.get("/admin/", REMOTE_ADDR=ADRESSE)
    assert urlsplit(response["Location"]).path == "/admin/zwei-faktor/einrichten/"


def test_the_public_pages_need_no_second_factor(client, staff):
    mit_passwort(client)
    assert client.get("/").status_code == 200
    assert client.get("/antrag/").status_code == 200


def test_an_antrag_made_here_is_seen_after_the_code(client, staff):
    submitted_antrag(titel="Nach dem Code sichtbar")
    mit_passwort(client)
    code_senden(client, otp_code(zweiter_faktor(staff)))
    assert "Nach dem Code sichtbar" in client.get("/admin/antraege/antrag/").content.decode()


def _abmelden_knopf(client, pfad):
    """The page's "Abmelden" form: where it posts and its CSRF token, as a browser sends it."""
    html = client.get(pfad, REMOTE_ADDR=ADRESSE).content.decode()
    muster = r'<form id="logout-form" method="post" action="([^"]+)">(.*?)</form>'
    form = re.search(muster, html, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    return form.group(1), token


@pytest.mark.parametrize("mit_app", [True, False], ids=["pruefen", "einrichten"])
def test_abmelden_on_the_two_factor_page_logs_out(staff, mit_app):
    """Issue 36 point 8: with the password given but not yet the code, "Abmelden" ends the
    session (Django's admin sent such an account from logout back to the start page)."""
    from django.test import Client

    if not mit_app:
        TOTPDevice.objects.filter(user=staff).delete()
    client = Client(enforce_csrf_checks=True)
    login = client.get("/admin/login/?next=/admin/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": staff.username, "password": PASSWORT, "next": "/admin/",
         "csrfmiddlewaretoken": token},
        REMOTE_ADDR=ADRESSE,
    )  # fmt: skip
    seite = "/admin/zwei-faktor/" if mit_app else "/admin/zwei-faktor/einrichten/"
    ziel, token = _abmelden_knopf(client, seite)
    assert "_auth_user_id" in client.session
    # Without its token, or as a GET, nothing happens.
    assert client.post(ziel, REMOTE_ADDR=ADRESSE).status_code == 403
    assert client.get(ziel, REMOTE_ADDR=ADRESSE).status_code == 405
    assert "_auth_user_id" in client.session
    antwort = client.post(ziel, {"csrfmiddlewaretoken": token}, REMOTE_ADDR=ADRESSE)
    assert antwort.status_code == 200
    assert "_auth_user_id" not in client.session
    # Signed out: the Verwaltung asks for the password again, not for the code.
    weiter = client.get("/admin/", REMOTE_ADDR=ADRESSE)
    assert urlsplit(weiter["Location"]).path == "/admin/login/"


def test_abmelden_after_the_code_still_logs_out(client, staff):
    mit_passwort(client)
    code_senden(client, otp_code(zweiter_faktor(staff)))
    assert client.post("/admin/logout/", REMOTE_ADDR=ADRESSE).status_code == 200
    assert "_auth_user_id" not in client.session
