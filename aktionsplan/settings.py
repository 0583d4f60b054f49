"""Settings for the Aktionsplan portal, read from the environment (django-environ).

With no configuration the portal runs locally on SQLite with DEBUG on; every variable is
documented in README.md.
"""

import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

LOOPBACK = ["127.0.0.1", "localhost", "[::1]"]
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOOPBACK)
    # DEBUG pages show settings and tracebacks: never to anyone but this machine.
    if set(ALLOWED_HOSTS) - set(LOOPBACK):
        raise ImproperlyConfigured(
            "DEBUG=1 is for this machine only: ALLOWED_HOSTS may name only 127.0.0.1, "
            "localhost and [::1]. On a server set DEBUG=0."
        )
else:
    # A production start without these is a misconfiguration, never a silent default.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG=0, SECRET_KEY and ALLOWED_HOSTS must be set.")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "With DEBUG=0, SECRET_KEY needs at least 50 characters, e.g. from "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )

# Key of the status links' hashes (antraege/statuslink.py). Changing it ends every status link
# already mailed; it defaults to SECRET_KEY so that one secret is enough.
STATUS_TOKEN_KEY = env.str("STATUS_TOKEN_KEY", default=SECRET_KEY)

INSTALLED_APPS = [
    # Django's admin whose pages need the second factor (aktionsplan/verwaltung.py).
    "aktionsplan.verwaltung.VerwaltungAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "simple_history",
    "import_export",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # No models: listed so that its IBAN messages come in German ("DE-IBAN müssen …").
    "localflavor",
    "quartiere",
    "antraege",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and X-Frame-Options on every answer, static files included.
    "aktionsplan.middleware.ContentSecurityPolicyMiddleware",
    # Turns a used-up rate limit (django-ratelimit) into the German 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored public page is answered here, before all below (aktionsplan/kern/seitencache.py).
    "aktionsplan.middleware.SeitencacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff log in with a password and a code (app or backup code): aktionsplan/kern/zweifaktor.py.
    "django_otp.middleware.OTPMiddleware",
    "aktionsplan.middleware.ZweiFaktorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aktionsplan.middleware.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses them after AXES_FAILURE_LIMIT attempts.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Lock the account name from that address: a typo elsewhere does not lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ... and many failures from one address, for any account names, lock that address too.
AXES_HANDLER = "aktionsplan.kern.anmeldeschutz.AnmeldeschutzHandler"
AXES_ADRESSE_FAILURE_LIMIT = env.int("AXES_ADRESSE_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The lock-outs are shown by our own admin ("Gesperrte Anmeldungen"), in plain German.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_TEMPLATE = "admin/gesperrt.html"
# How many reverse proxies in front of the portal append to X-Forwarded-For: the visitor's
# address for the login lock and the rate limits (aktionsplan/kern/drosselung.py).
PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "aktionsplan.kern.drosselung.client_adresse"

# Rate limits of the public side ("N/s", "N/m", "N/h", "N/d"), counted in the shared cache.
# Work that must not make a response slower for some visitors than for others runs in a
# thread after the response (aktionsplan/kern/hintergrund.py).
HINTERGRUND_THREADS = env.bool("HINTERGRUND_THREADS", default=True)
RATELIMITS = {
    # every post of the application form (also a round trip for a cost row), per address
    "formular_adresse": env.str("RATELIMIT_FORMULAR_ADRESSE", default="100/h"),
    # Anträge stored (or repeats mailed their link again), per client address ...
    "antrag_adresse": env.str("RATELIMIT_ANTRAG_ADRESSE", default="10/h"),
    # ... and per e-mail address
    "antrag_email": env.str("RATELIMIT_ANTRAG_EMAIL", default="5/h"),
    # posts behind a status link (answer, Verwendungsnachweis, withdrawal), per address ...
    "status_adresse": env.str("RATELIMIT_STATUS_ADRESSE", default="100/h"),
    # ... and per status link
    "status_link": env.str("RATELIMIT_STATUS_LINK", default="30/h"),
    # "Statuslink verloren?": requests per address, and per e-mail address asked for
    "statuslink_adresse": env.str("RATELIMIT_STATUSLINK_ADRESSE", default="10/h"),
    "statuslink_email": env.str("RATELIMIT_STATUSLINK_EMAIL", default="3/h"),
    # "Speichern und später weitermachen": links mailed per e-mail address
    "entwurf_email": env.str("RATELIMIT_ENTWURF_EMAIL", default="3/h"),
    # Draft links mailed per client (IPv4 address or IPv6 /64), as Anträge are counted.
    "entwurf_adresse": env.str("RATELIMIT_ENTWURF_ADRESSE", default="10/h"),
    # attachment downloads behind a status link, per address and per link
    "download_adresse": env.str("RATELIMIT_DOWNLOAD_ADRESSE", default="300/h"),
    "download_link": env.str("RATELIMIT_DOWNLOAD_LINK", default="100/h"),
}
# Letters to applicants (antraege/emails.py). The reply period of a Rückfrage and the payment
# period of a Rückforderung are the Projektbüro's to set; the account for repayments is the
# city's and must be configured (without it the letter names the Projektbüro to ask).
RUECKFRAGE_ANTWORT_TAGE = env.int("RUECKFRAGE_ANTWORT_TAGE", default=14)
RUECKZAHLUNG_FRIST_TAGE = env.int("RUECKZAHLUNG_FRIST_TAGE", default=30)
RUECKZAHLUNG_KONTOINHABER = env.str("RUECKZAHLUNG_KONTOINHABER", default="")
RUECKZAHLUNG_IBAN = env.str("RUECKZAHLUNG_IBAN", default="")
RUECKZAHLUNG_BANK = env.str("RUECKZAHLUNG_BANK", default="")

# Forms not sent yet (antraege/services/entwurf.py): a draft nobody saved and each pending
# upload last a day, a draft saved for later 30 days.
ENTWURF_STUNDEN = 24
VORLAEUFIGE_ANLAGE_STUNDEN = 24
# Files chosen on forms not sent yet, kept for VORLAEUFIGE_ANLAGE_STUNDEN: at most this much
# per client (IPv4 address or IPv6 /64), and in all (every post without a draft starts one).
VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB = env.int("VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB", default=120)
VORLAEUFIGE_ANLAGEN_GESAMT_MB = env.int("VORLAEUFIGE_ANLAGEN_GESAMT_MB", default=2000)
# The last part of the total is kept for clients with nothing pending yet, each up to the
# second figure (a usual application's files): a full pool still lets new applicants in.
VORLAEUFIGE_ANLAGEN_RESERVE_MB = env.int("VORLAEUFIGE_ANLAGEN_RESERVE_MB", default=500)
VORLAEUFIGE_ANLAGEN_RESERVE_JE_CLIENT_MB = env.int(
    "VORLAEUFIGE_ANLAGEN_RESERVE_JE_CLIENT_MB", default=25
)
ENTWURF_TAGE = 30

RATELIMIT_VIEW = "aktionsplan.kern.drosselung.zu_viele_anfragen"
RATELIMIT_IP_META_KEY = "aktionsplan.kern.drosselung.client_adresse"
# Every limit and cap counts an IPv6 client by its /64 network (kern.drosselung.client_netz).
RATELIMIT_IPV4_MASK = 32
RATELIMIT_IPV6_MASK = 64
# Our database cache counts atomically (aktionsplan/kern/cache.py); the library knows only its name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# One cache for every worker and instance over the same database (`manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "aktionsplan.kern.cache.DatenbankCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
}
# Public pages as rendered (aktionsplan/kern/seitencache.py), renewed on every change they show. A
# folder is the fastest cache that every worker and every instance on one machine shares
# (SEITENCACHE=datei); SEITENCACHE=datenbank shares them over the database between machines.
SEITENCACHE_SEKUNDEN = env.int("SEITENCACHE_SEKUNDEN", default=600)
# While developing (DEBUG=1) a changed template shows at once: no page cache unless asked for.
SEITENCACHE = env.str("SEITENCACHE", default="aus" if DEBUG else "datei")
if SEITENCACHE == "aus":
    CACHES["seiten"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
elif SEITENCACHE == "datei":
    CACHES["seiten"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("SEITENCACHE_DIR", default=str(BASE_DIR / "var" / "seitencache")),
    }
elif SEITENCACHE == "datenbank":
    CACHES["seiten"] = {
        "BACKEND": "aktionsplan.kern.cache.DatenbankCache",
        "LOCATION": "portal_seiten",
    }
else:
    raise ImproperlyConfigured("SEITENCACHE ist 'datei', 'datenbank' oder 'aus'.")
CACHES["seiten"].update(TIMEOUT=SEITENCACHE_SEKUNDEN, OPTIONS={"MAX_ENTRIES": 2000})
# Redis (Django's own backend) for both when REDIS_URL is set: several machines, one cache.
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    CACHES["seiten"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "seiten",
        "TIMEOUT": SEITENCACHE_SEKUNDEN,
    }

# Bots: a hidden field that people leave empty, and the least time a person needs for the form.
ANTRAG_MINDESTZEIT_SEKUNDEN = env.int("ANTRAG_MINDESTZEIT_SEKUNDEN", default=5)
# The same e-mail address and title within this time is the same Antrag: not stored twice.
ANTRAG_DOPPELT_STUNDEN = env.int("ANTRAG_DOPPELT_STUNDEN", default=24)

# DSGVO: months after the step into a final state until the applicant's personal data are
# removed by `manage.py personendaten_loeschen` (docs/verwaltung.md, "Datenschutz"; shown on
# /datenschutz/).
AUFBEWAHRUNG_MONATE = {
    # nothing was paid: a year covers objections and questions after the decision
    "zurueckgezogen": env.int("AUFBEWAHRUNG_ZURUECKGEZOGEN_MONATE", default=12),
    "abgelehnt": env.int("AUFBEWAHRUNG_ABGELEHNT_MONATE", default=12),
    "aufgehoben": env.int("AUFBEWAHRUNG_AUFGEHOBEN_MONATE", default=12),
    # money was paid: the grant file with Verwendungsnachweis and receipts, 10 years
    "abgeschlossen": env.int("AUFBEWAHRUNG_ABGESCHLOSSEN_MONATE", default=120),
}
# django-axes login records (address, account name, browser) are deleted after this many days.
AXES_PROTOKOLL_TAGE = env.int("AXES_PROTOKOLL_TAGE", default=90)

# The issuer shown in the authenticator app next to the account name.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Aktionsplan Soziale Stadt Dortmund")

ROOT_URLCONF = "aktionsplan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aktionsplan.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "aktionsplan.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}


def _test_db_ordner() -> str:
    """/dev/shm when it has 2 GB free (the test database stays far below), else the temp dir."""
    try:
        frei = os.statvfs("/dev/shm")
        if frei.f_bavail * frei.f_frsize >= 2 * 1024**3:
            return "/dev/shm"
    except OSError:
        pass
    return tempfile.gettempdir()


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue up instead of failing: BEGIN IMMEDIATE takes the write lock at the start
    # of every transaction, which makes the service layer's check-then-book safe on SQLite.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # Tests use a file, not Django's shared in-memory database, so that the live server's
    # threads get connections of their own as in production; in memory-backed /dev/shm where
    # there is room, as every flush of a committing test waits for the disk otherwise.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(_test_db_ordner()) / f"aktionsplan-test-{os.getpid()}.sqlite3")
    }
# Each worker keeps its connection (SQLite too: opening one costs about 1.3 ms a request);
# after `make restore` the workers are restarted so that they open the restored database.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
# English dates as "1 May 2027" on every page (aktionsplan/formate/en/formats.py).
FORMAT_MODULE_PATH = ["aktionsplan.formate"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# Uploads: at most 5 attachments of 10 MB each plus the form itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Anything longer is refused before it is read (aktionsplan/wsgi.py).
MAX_REQUEST_BYTES = 5 * 10 * 1024 * 1024 + DATA_UPLOAD_MAX_MEMORY_SIZE
# Uploaded files and their folders belong to the portal's user alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60 if not DEBUG else 0

# Uploaded attachments are private: stored outside any public URL, served only by views that
# check access.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Attachments (applications' files, receipts): in PRIVATE_MEDIA_ROOT by default, which every
# instance on the machine (or over a shared mount) reads; with ANLAGEN_S3_BUCKET in an
# S3-compatible object store through django-storages, which instances on several machines share.
# Either way no file has a public address: only access-checked views serve them.
STORAGES["anlagen"] = {"BACKEND": "aktionsplan.kern.speicher.PrivateStorage"}
if ANLAGEN_S3_BUCKET := env.str("ANLAGEN_S3_BUCKET", default=""):
    STORAGES["anlagen"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ANLAGEN_S3_BUCKET,
            "endpoint_url": env.str("ANLAGEN_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ANLAGEN_S3_REGION", default="") or None,
            "access_key": env.str("ANLAGEN_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("ANLAGEN_S3_SECRET_KEY", default="") or None,
            "location": env.str("ANLAGEN_S3_PREFIX", default=""),
            "default_acl": "private",
            # Never a second file under a name in use; names come from the portal anyway.
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }

# Exports neutralise formula cells themselves (antraege/exports.py): the library's own switch
# only strips a leading "=".
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# The public forms render with our KERN UX pack (templates/kern/field.html).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("kern",)
CRISPY_TEMPLATE_PACK = "kern"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# In production a mail that only goes to the console is a mail lost.
if not DEBUG and EMAIL_CONFIG["EMAIL_BACKEND"] in {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}:
    raise ImproperlyConfigured(
        "With DEBUG=0, EMAIL_URL must name a mail server (e.g. smtp+tls://user:pass@host:587)."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="aktionsplan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Absolute address of the portal, used for links in mails (status link).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# The Projektbüro's public contact, promised on the lost-link page, the accessibility
# statement, the Impressum, the status page and in every letter: production refuses to start
# without a real address; while developing a local one stands in (nothing is sent there).
PROJEKTBUERO_EMAIL = env.str(
    "PROJEKTBUERO_EMAIL", default="projektbuero@localhost" if DEBUG else ""
)
PROJEKTBUERO_PHONE = env.str("PROJEKTBUERO_PHONE", default="")
# The Projektbüro's postal address, the lines of the sender on every printed letter, separated
# by "|" (e.g. "Straße und Hausnummer | PLZ Dortmund"). Paper applicants answer to it.
PROJEKTBUERO_ANSCHRIFT = [
    zeile.strip()
    for zeile in env.str("PROJEKTBUERO_ANSCHRIFT", default="").split("|")
    if zeile.strip()
]
if not DEBUG and (not PROJEKTBUERO_EMAIL or PROJEKTBUERO_EMAIL.endswith("@localhost")):
    raise ImproperlyConfigured(
        "With DEBUG=0, PROJEKTBUERO_EMAIL must be the Projektbüro's public address: the "
        "pages and letters promise applicants a way to reach it."
    )
if not DEBUG and not PROJEKTBUERO_ANSCHRIFT:
    raise ImproperlyConfigured(
        "With DEBUG=0, PROJEKTBUERO_ANSCHRIFT must be the Projektbüro's postal address "
        '(lines separated by "|"): every printed letter names it as the sender.'
    )
if not DEBUG:
    # Without the city's account a Rückforderung cannot say where to pay: production does
    # not start, so that staff never meet a step that is impossible for want of a setting.
    from localflavor.generic.validators import IBANValidator

    try:
        IBANValidator()(RUECKZAHLUNG_IBAN.replace(" ", "").upper())
    except Exception:  # noqa: BLE001 - any refusal means the same here
        RUECKZAHLUNG_IBAN = ""
    if not (RUECKZAHLUNG_IBAN and RUECKZAHLUNG_KONTOINHABER.strip()):
        raise ImproperlyConfigured(
            "With DEBUG=0, RUECKZAHLUNG_IBAN (a valid IBAN) and RUECKZAHLUNG_KONTOINHABER "
            "must name the city's account for repayments: every Rückforderung letter gives it."
        )

CSRF_FAILURE_VIEW = "aktionsplan.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health check may ask over plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 404 warning or a request line would otherwise carry the secret status link.
    "filters": {"statuslink": {"()": "aktionsplan.logfilter.StatuslinkFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["statuslink"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Replaces Django's own handlers (which log unfiltered); django.request, django.server
    # and the others log through this one.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
