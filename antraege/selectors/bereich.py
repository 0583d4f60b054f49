"""Which of an Antrag's personal data an account may see; the area scope itself is
`quartiere.bereich`."""

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
