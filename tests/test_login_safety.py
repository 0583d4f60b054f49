"""Admin logins: lock-out after repeated failures, strong passwords, expiring sessions."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "projektbuero", "password": password},
        REMOTE_ADDR="192.0.2.10",
    )


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client):
    User.objects.create_superuser("projektbuero", password="Richtig-und-lang-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "falsch").status_code == 200  # the form again
    response = login(client, "falsch")
    assert response.status_code == 429
    assert "vorübergehend gesperrt" in response.content.decode()
    response = login(client, "Richtig-und-lang-2026")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_before_the_limit(client):
    User.objects.create_superuser("projektbuero", password="Richtig-und-lang-2026")
    login(client, "falsch")
    assert login(client, "Richtig-und-lang-2026").status_code == 302


@pytest.mark.parametrize("password", ["kurz", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_staff_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_first_projektbuero_account_in_one_command(monkeypatch):
    monkeypatch.setenv("KONTO_PASSWORT", "Ein-gutes-Passwort-2026")
    call_command("konto_anlegen", "projektbuero", "rossbach", "--email", "pb@example.org")
    user = User.objects.get(username="rossbach")
    assert user.is_staff and not user.is_superuser
    assert user.groups.get().name == "Projektbüro"
    assert user.has_perm("antraege.auszahlen")


def test_the_account_command_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("KONTO_PASSWORT", "12345")
    with pytest.raises(CommandError, match="Passwort abgelehnt"):
        call_command("konto_anlegen", "projektbuero", "schwach")
    assert not User.objects.filter(username="schwach").exists()


def test_example_data_is_marked_and_only_loaded_on_request(settings):
    from antraege.models import Antrag, Projektkonferenz

    assert not Antrag.objects.exists()  # nothing by default
    settings.DEBUG = True
    call_command("beispieldaten_laden")
    assert Antrag.objects.count() == 4
    assert all(a.titel.startswith("[BEISPIEL]") for a in Antrag.objects.all())
    assert Projektkonferenz.objects.get().tagesordnung.count() == 2


def test_example_data_is_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="nie in Produktion"):
        call_command("beispieldaten_laden")


def test_one_password_sprayed_over_many_names_from_one_address_is_stopped(client):
    User.objects.create_superuser("projektbuero", password="Richtig-und-lang-2026")
    namen = [f"konto{i}" for i in range(settings.AXES_ADRESSE_FAILURE_LIMIT)]
    for name in namen[:-1]:
        antwort = client.post(
            "/admin/login/", {"username": name, "password": "Sommer2026!"}, REMOTE_ADDR="192.0.2.77"
        )
        assert antwort.status_code == 200  # no name reached its own limit
    antwort = client.post(
        "/admin/login/",
        {"username": namen[-1], "password": "Sommer2026!"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert antwort.status_code == 429
    assert "vorübergehend gesperrt" in antwort.content.decode()
    # The address is now locked, for every name, even with the right password ...
    response = client.post(
        "/admin/login/",
        {"username": "projektbuero", "password": "Richtig-und-lang-2026"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but not for colleagues elsewhere.
    assert login(client, "Richtig-und-lang-2026").status_code == 302


def test_the_locked_address_shows_as_locked_in_the_admin(client):
    from django.test import Client

    for i in range(settings.AXES_ADRESSE_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": f"konto{i}", "password": "x"}, REMOTE_ADDR="192.0.2.88"
        )
    pb = Client()
    from tests.factories import projektbuero_user

    pb.force_login(projektbuero_user())
    html = pb.get("/admin/antraege/anmeldesperre/").content.decode()
    assert html.count('alt="True"') == settings.AXES_ADRESSE_FAILURE_LIMIT
