"""Reads, one module per subject: the access scope (`bereich`), the actions an account may
take on an Antrag (`aktionen`), the ledger (`hauptbuch`), the reports (`berichte`), the
deadlines and the start page's work list (`fristen`) and the status page (`statusseite`).

Everything is importable from here (`selectors.antrag_geldstand`); a module that needs only
one subject imports that module."""

from .aktionen import (
    Aktionen,
    aktionen,
    naechste_schritte,
)
from .bereich import (
    BANKFELDER,
    BEREICH_PFADE,
    KONTAKTFELDER,
    aktionsraeume_fuer,
    auswahl_im_bereich,
    darf_aktionsraum_bearbeiten,
    im_bereich,
    sieht_alle_aktionsraeume,
    verborgene_felder,
)
from .berichte import (
    BERICHT_GELD,
    BERICHT_SPALTEN,
    UEBERSICHT_SPALTEN,
    ZIEL_FELDER,
    budget_uebersicht,
    fonds_transparenz,
    jahresbericht,
)
from .fristen import (
    RUECKFRAGE_WARTET,
    VORLAUF,
    arbeitsliste_filter,
    arbeitsliste_titel,
    mit_rueckfrage_datum,
    nachweis_bald_faellig,
    nachweis_ueberfaellig,
    rueckfragen_unbeantwortet,
    startseite,
)
from .hauptbuch import (
    SPALTEN,
    Geldstand,
    antrag_geldstand,
    geld_ausdruecke,
    geldstaende,
    geldstand,
    geldstand_von,
    mit_geldstand,
    nicht_verbraucht,
    rueckzahlung_angaben,
    zentrale_buchungen,
)
from .statusseite import (
    SCHRITTE,
    entscheidungsdauer,
    naechste_konferenzen,
    schritte,
)

__all__ = [
    "BEREICH_PFADE",
    "aktionsraeume_fuer",
    "auswahl_im_bereich",
    "darf_aktionsraum_bearbeiten",
    "im_bereich",
    "sieht_alle_aktionsraeume",
    "KONTAKTFELDER",
    "BANKFELDER",
    "verborgene_felder",
    "naechste_schritte",
    "Aktionen",
    "aktionen",
    "SPALTEN",
    "Geldstand",
    "nicht_verbraucht",
    "rueckzahlung_angaben",
    "geld_ausdruecke",
    "geldstand",
    "geldstaende",
    "mit_geldstand",
    "antrag_geldstand",
    "geldstand_von",
    "zentrale_buchungen",
    "ZIEL_FELDER",
    "fonds_transparenz",
    "UEBERSICHT_SPALTEN",
    "budget_uebersicht",
    "BERICHT_SPALTEN",
    "BERICHT_GELD",
    "jahresbericht",
    "VORLAUF",
    "RUECKFRAGE_WARTET",
    "nachweis_bald_faellig",
    "nachweis_ueberfaellig",
    "mit_rueckfrage_datum",
    "rueckfragen_unbeantwortet",
    "arbeitsliste_filter",
    "arbeitsliste_titel",
    "startseite",
    "SCHRITTE",
    "schritte",
    "entscheidungsdauer",
    "naechste_konferenzen",
]
