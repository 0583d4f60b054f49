"""The public pages of the Anträge by journey: the application form with its drafts
(`formular`), the secret status link (`status`) and the Verwendungsnachweis (`nachweis`).
Every rule they rely on is in `antraege/services/`."""
