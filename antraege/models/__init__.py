"""The Anträge' data by subject: budget years and pots (`haushalt`), the Antrag with its
Kostenplan, Anlagen and history (`antrag`), the ledger, payouts and the Verwendungsnachweis
(`geld`), the Projektkonferenz (`verfahren`), the outbox (`post`), locked logins (`zugriff`)
and drafts (`entwurf`). Data and small derived properties only; every rule lives in
`antraege/services/`.

Django finds an app's models through `antraege.models`, so this package imports them all
(Django's own convention for a models package); `from antraege.models import Antrag` is the
address the code uses, the module behind it is named above."""

from .antrag import (
    Anlage,
    Antrag,
    AntragstellerArt,
    Eingang,
    Finanzierungsquelle,
    Kostenposition,
    Status,
    StatusAenderung,
)
from .entwurf import Entwurf, VorlaeufigeAnlage
from .geld import (
    WIRKUNG,
    Auszahlung,
    AuszahlungQuerySet,
    Beteiligung,
    Buchung,
    NachweisPosition,
    Verwendungsnachweis,
)
from .haushalt import MONEY, ZERO, Aktionsraumfonds, Haushaltsjahr
from .post import AusgehendeMail, Erinnerung
from .verfahren import (
    Abstimmungsart,
    Befangenheit,
    Beschluss,
    Einladung,
    Mitglied,
    Projektkonferenz,
    Rolle,
    Teilnahme,
)
from .zugriff import Anmeldesperre

__all__ = [
    "MONEY",
    "ZERO",
    "Haushaltsjahr",
    "Aktionsraumfonds",
    "Finanzierungsquelle",
    "AntragstellerArt",
    "Status",
    "Eingang",
    "Antrag",
    "Kostenposition",
    "Anlage",
    "StatusAenderung",
    "Buchung",
    "WIRKUNG",
    "AuszahlungQuerySet",
    "Auszahlung",
    "Beteiligung",
    "Verwendungsnachweis",
    "NachweisPosition",
    "Projektkonferenz",
    "Rolle",
    "Teilnahme",
    "Beschluss",
    "Abstimmungsart",
    "Befangenheit",
    "Einladung",
    "Mitglied",
    "Erinnerung",
    "AusgehendeMail",
    "Anmeldesperre",
    "Entwurf",
    "VorlaeufigeAnlage",
]
