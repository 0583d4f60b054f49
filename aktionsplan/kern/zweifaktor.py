"""Two-factor login for staff (django-otp): a TOTP app plus ten one-time backup codes.

After the password an account sees nothing of the Verwaltung until it has entered a code from
its authenticator app (or a backup code); an account without a device first sets one up, with
a QR code rendered by the portal itself. Wrong codes are counted by django-axes under the name
"<account> (Zweiter Faktor)", so that logging in again with the password does not reset them.
"""

import base64
import secrets
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

ANZAHL_ERSATZCODES = 10
GERAET = "Authenticator-App"
ERSATZ = "Ersatzcodes"


def axes_name(user) -> str:
    """The name under which django-axes counts this account's wrong codes."""
    return f"{user.get_username()} (Zweiter Faktor)"


def otpauth_uri(device: TOTPDevice) -> str:
    return device.config_url


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as inline SVG, made here: no image from another server."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, omitsize=True)
    return mark_safe(svg)  # noqa: S308 (made by segno from our own URI, no user text)


def geheimnis_lesbar(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing it into an app by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def ersatzcodes_erzeugen(user) -> list[str]:
    """Ten new one-time backup codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=ERSATZ, confirmed=True)
        codes = [secrets.token_hex(4) for _ in range(ANZAHL_ERSATZCODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def konto_einrichten(user) -> tuple[str, list[str]]:
    """Sets up the second factor without a browser (the first account, scripted set-ups):
    a confirmed TOTP device and backup codes. Returns the otpauth URI and the codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=GERAET, confirmed=True)
        codes = ersatzcodes_erzeugen(user)
    return otpauth_uri(device), codes


def sitzung_bestaetigen(client, user) -> None:
    """Marks a Django test client's session as past the second factor, as a real login with
    a code would (the changelist benchmark; `force_login` in the tests)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=GERAET, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Bestätigungscode"),
        max_length=16,
        help_text=_("Die 6 Ziffern aus Ihrer Authenticator-App oder einer Ihrer Ersatzcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Bitte geben Sie den Code ein.")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _weiter(request) -> str:
    ziel = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        ziel, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ziel
    return reverse("admin:index")


def _mit_weiter(request, name) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: _weiter(request)})}"


def _kontext(request, **extra):
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "has_permission": False,
        "next": _weiter(request),
        **extra,
    }


def _gesperrt(request, user):
    credentials = {settings.AXES_USERNAME_FORM_FIELD: axes_name(user)}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials)
    return None


def _falscher_code(request, user):
    """Counts a wrong code like a wrong password; the fifth one locks the account."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: axes_name(user)}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        return get_lockout_response(request, credentials)
    return None


def _angemeldet(request, user, device):
    otp_login(request, device)
    reset(username=axes_name(user))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pruefen(request):
    """The second step of every login: a code from the app or a backup code."""
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("admin:login"))
    if user.is_verified():
        return redirect(_weiter(request))
    if not user_has_device(user):
        return redirect(_mit_weiter(request, "zweifaktor:einrichten"))
    if sperre := _gesperrt(request, user):
        return sperre
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _passendes_geraet(user, form.cleaned_data["code"])
        if device is not None:
            _angemeldet(request, user, device)
            return redirect(_weiter(request))
        if sperre := _falscher_code(request, user):
            return sperre
        form.add_error("code", _("Der Code stimmt nicht. Bitte versuchen Sie es noch einmal."))
    return render(
        request,
        "admin/zweifaktor/pruefen.html",
        _kontext(request, form=form, title=_("Anmeldung bestätigen")),
    )


def _passendes_geraet(user, code):
    """The device that accepts `code`: six digits are the app's, anything else a backup code
    (so that a backup code does not count as a wrong app code)."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def einrichten(request):
    """Sets up the authenticator app: QR code and key, then the first code confirms it."""
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("admin:login"))
    if user_has_device(user):
        # A second device is added only by the Projektbüro (or after a reset): no take-over
        # of an account whose password alone is known.
        return redirect(_mit_weiter(request, "zweifaktor:pruefen"))
    if sperre := _gesperrt(request, user):
        return sperre
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=GERAET, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = ersatzcodes_erzeugen(user)
            _angemeldet(request, user, device)
            return render(
                request,
                "admin/zweifaktor/ersatzcodes.html",
                _kontext(request, codes=codes, title=_("Ihre Ersatzcodes")),
            )
        if sperre := _falscher_code(request, user):
            return sperre
        form.add_error("code", _("Der Code stimmt nicht. Bitte versuchen Sie es noch einmal."))
    uri = otpauth_uri(device)
    return render(
        request,
        "admin/zweifaktor/einrichten.html",
        _kontext(
            request,
            form=form,
            qr=qr_svg(uri),
            geheimnis=geheimnis_lesbar(device),
            title=_("Zweiten Faktor einrichten"),
        ),
    )


urlpatterns = [
    path("", pruefen, name="pruefen"),
    path("einrichten/", einrichten, name="einrichten"),
]

# The pages an account that has given only its password may still open.
FREIE_NAMEN = {"zweifaktor:pruefen", "zweifaktor:einrichten", "admin:logout"}
