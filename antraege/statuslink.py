"""The applicant's secret status link: derived from a random value, stored only as a keyed hash.

The link's token is HMAC-SHA256(STATUS_TOKEN_KEY, "link:" + salt) with a random per-Antrag salt
(like Django's password-reset tokens: nothing in the database is a working link). The database
keeps the salt and HMAC-SHA256(STATUS_TOKEN_KEY, "lookup:" + token), which finds the Antrag for
a link; without the key, neither gives the link away. A new salt makes a new link and ends the
old one. Mails in the outbox carry `PLATZHALTER` and get the real link only when they are sent.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import translation

# What staff see in the outbox instead of the applicant's link.
PLATZHALTER = "[Statuslink]"
# A status path in a log line or URL, with the token cut out.
_STATUS_PFAD = re.compile(r"(/antrag/(?:status|entwurf)/)[^/\s?#\"']+")


def _hmac(zweck: str, wert: str) -> bytes:
    key = settings.STATUS_TOKEN_KEY.encode()
    return hmac.new(key, f"{zweck}:{wert}".encode(), hashlib.sha256).digest()


def neuer_salt() -> str:
    return secrets.token_hex(16)


def token_aus_salt(salt: str) -> str:
    """The 43-character token of a salt (32 bytes, URL-safe base64 without padding)."""
    return base64.urlsafe_b64encode(_hmac("link", salt)).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """What the database stores and searches for one token."""
    return _hmac("lookup", token).hex()


def neue_werte() -> tuple[str, str]:
    """(salt, hash) for a new link: what the database keeps of it."""
    salt = neuer_salt()
    return salt, token_hash(token_aus_salt(salt))


def antrag_fuer_token(queryset, token: str):
    """The Antrag of a link, or None."""
    return queryset.filter(status_token_hash=token_hash(token)).first()


def token_fuer(antrag) -> str:
    """The working token of an Antrag; only for the link mailed to its applicant."""
    return token_aus_salt(antrag.status_token_salt)


def url_fuer(antrag) -> str:
    """The absolute status link, in the Antrag's language."""
    with translation.override(antrag.sprache or "de"):
        pfad = reverse("antraege:status", kwargs={"token": token_fuer(antrag)})
    return settings.PORTAL_BASE_URL.rstrip("/") + pfad


def entwurf_url_fuer(entwurf) -> str:
    """The absolute link to go on with a saved draft, in the draft's language."""
    with translation.override(entwurf.sprache or "de"):
        pfad = reverse("antraege:entwurf", kwargs={"token": token_aus_salt(entwurf.token_salt)})
    return settings.PORTAL_BASE_URL.rstrip("/") + pfad


def schwaerzen(text: str) -> str:
    """Replaces every status token in `text` (a path, a log line) by an ellipsis."""
    return _STATUS_PFAD.sub("\\1…", text)
