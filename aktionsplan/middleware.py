"""Middleware: a strict Content-Security-Policy and Permissions-Policy, a readable 405 page,
the second factor."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django_otp import user_has_device

PUBLIC_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# No page of the portal needs a camera, a microphone, the location or payments.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "interest-cohort=(), browsing-topics=()"
)
# Django's admin templates carry a few style attributes; everything else stays as strict.
ADMIN_POLICY = PUBLIC_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def sicherheitskopfzeilen(*, admin: bool = False) -> dict[str, str]:
    """The headers every answer carries: pages, static files, error pages, and the 413 that
    `aktionsplan/wsgi.py` gives before Django runs (Django's SecurityMiddleware adds nosniff,
    Referrer-Policy, Cross-Origin-Opener-Policy and, over HTTPS, HSTS to what passes it)."""
    return {
        "Content-Security-Policy": ADMIN_POLICY if admin else PUBLIC_POLICY,
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
    }


class ContentSecurityPolicyMiddleware:
    """Sets the policies on every response that does not bring its own. It sits right
    below Django's SecurityMiddleware, above the static files (WhiteNoise) and everything
    that may answer early, so that no answer leaves without them
    (`tests/test_sicherheitskopfzeilen.py` holds the order)."""

    def __init__(self, get_response):
        self.get_response = get_response

    OEFFENTLICH = tuple(sicherheitskopfzeilen().items())
    VERWALTUNG = tuple(sicherheitskopfzeilen(admin=True).items())

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith(("/admin/", "/en/admin/"))
        ohne_xfo = getattr(response, "xframe_options_exempt", False)
        for name, wert in self.VERWALTUNG if admin else self.OEFFENTLICH:
            if not (ohne_xfo and name == "X-Frame-Options"):
                response.setdefault(name, wert)
        return response


class SeitencacheMiddleware:
    """Answers a stored public page before everything below it runs (sessions, language, CSRF,
    login, the URL resolver): `aktionsplan/kern/seitencache.py`. It sits right below the
    security headers and the static files; `tests/test_seitencache_middleware.py` holds that no
    middleware that must run on every answer sits below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .kern.seitencache import antwort_aus_cache

        antwort = antwort_aus_cache(request)
        return antwort if antwort is not None else self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Gives Django's empty 405 answers a German page, keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class ZweiFaktorMiddleware:
    """An account that has given only its password reaches nothing of the Verwaltung but the
    two-factor pages and logout (after django-otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .kern.zweifaktor import FREIE_NAMEN

        # Public pages return here, before the user is loaded from the session.
        match = request.resolver_match
        if match is None or match.namespace not in ("admin", "zweifaktor"):
            return None
        if match.view_name in FREIE_NAMEN:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        ziel = "zweifaktor:pruefen" if user_has_device(user) else "zweifaktor:einrichten"
        return redirect(f"{reverse(ziel)}?{urlencode({'next': request.get_full_path()})}")
