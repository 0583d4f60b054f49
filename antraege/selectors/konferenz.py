"""What the pages of a Projektkonferenz read: possible conflicts of interest, and every agenda
item with its attendance, conflicts and vote for the protocol."""

import re
import unicodedata
from dataclasses import dataclass

from ..models import Beschluss, Projektkonferenz

# Legal-form words that say nothing about which organisation it is.
_RECHTSFORM = re.compile(r"\b(e\s*v|ev|ggmbh|gmbh|gbr|ug|ag|eg|stiftung|verein)\b")


def organisation_schluessel(name: str) -> str:
    """An organisation's name for comparing: case, accents, punctuation and the legal form
    ("e. V.", "gGmbH", "Verein") left out ("Förderverein Hörde e. V." = "foerderverein hoerde")."""
    text = name.casefold().replace("ß", "ss")
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, ersatz)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = _RECHTSFORM.sub(" ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class MoeglicheBefangenheit:
    antrag: object
    teilnahme: object


def moegliche_befangenheiten(konferenz: Projektkonferenz) -> list[MoeglicheBefangenheit]:
    """A person of the meeting whose organisation is the applying organisation of an agenda
    item still to be decided, and who is not yet recorded as befangen for it: staff ask
    before the item."""
    personen = [
        (t, organisation_schluessel(t.organisation))
        for t in konferenz.teilnahmen.all()
        if t.organisation.strip()
    ]
    schon = set(konferenz.befangenheiten.values_list("teilnahme_id", "antrag_id"))
    entschieden = konferenz.beschluesse.values_list("antrag_id", flat=True)
    treffer = []
    for antrag in konferenz.tagesordnung.exclude(pk__in=entschieden).order_by("aktenzeichen"):
        schluessel = organisation_schluessel(antrag.organisation)
        if not schluessel:
            continue
        for teilnahme, ihr in personen:
            if ihr == schluessel and (teilnahme.pk, antrag.pk) not in schon:
                treffer.append(MoeglicheBefangenheit(antrag=antrag, teilnahme=teilnahme))
    return treffer


@dataclass(frozen=True)
class Punkt:
    """One agenda item in the protocol."""

    antrag: object
    beschluss: Beschluss | None
    befangen: list


def protokoll_punkte(konferenz: Projektkonferenz) -> list[Punkt]:
    """Every agenda item with its Beschluss of this conference (None: ohne Beschluss) and who
    was befangen, also a Beschluss whose Antrag is no longer on the agenda."""
    beschluesse = {b.antrag_id: b for b in konferenz.beschluesse.select_related("antrag")}
    antraege = {a.pk: a for a in konferenz.tagesordnung.all()}
    antraege |= {pk: b.antrag for pk, b in beschluesse.items()}
    befangen = {}
    for b in konferenz.befangenheiten.select_related("teilnahme"):
        befangen.setdefault(b.antrag_id, []).append(b)
    return [
        Punkt(antrag=a, beschluss=beschluesse.get(a.pk), befangen=befangen.get(a.pk, []))
        for a in sorted(antraege.values(), key=lambda a: a.aktenzeichen)
    ]
