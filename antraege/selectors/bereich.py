"""Access scope: which Aktionsräume and which of an Antrag's personal data an account may see."""

# The scope rule lives with the areas (quartiere/bereich.py); the Anträge read it from here.
from quartiere.bereich import BEREICH_PFADE as BEREICH_PFADE
from quartiere.bereich import aktionsraeume_fuer as aktionsraeume_fuer
from quartiere.bereich import auswahl_im_bereich as auswahl_im_bereich
from quartiere.bereich import darf_aktionsraum_bearbeiten as darf_aktionsraum_bearbeiten
from quartiere.bereich import im_bereich as im_bereich
from quartiere.bereich import sieht_alle_aktionsraeume as sieht_alle_aktionsraeume

# The applicant's personal data that not every role may see (masked everywhere else).
KONTAKTFELDER = ["strasse", "plz", "wohnort", "email", "telefon"]
BANKFELDER = ["kontoinhaber", "iban"]


def verborgene_felder(*, user) -> list[str]:
    """The Antrag fields this account may not see: Lesezugriff no contact data and no bank
    account, a Beauftragte no bank account."""
    verborgen = []
    if not user.has_perm("antraege.kontaktdaten_sehen"):
        verborgen += KONTAKTFELDER
    if not user.has_perm("antraege.iban_sehen"):
        verborgen += BANKFELDER
    return verborgen
