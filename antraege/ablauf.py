"""The workflow as one table: every step from one status to the next, who takes it, the
right it needs, whether it needs a comment and which service function takes it (named as
`modul.funktion` in `antraege/services/`).

Everything else is read from here: the transitions the services check (`TRANSITIONS`), the
steps the admin offers as buttons (`VERWALTUNG`), the rights (`recht`), the fund
decisions only a Projektkonferenz takes (`NUR_DURCH_KONFERENZ`), when the applicant may
withdraw (`WITHDRAWABLE`), when a payout is possible (`AUSZAHLBAR`) and when a
Verwendungsnachweis (`NACHWEIS_MOEGLICH`). What each status means besides its steps (the
applicant's tracker, silent steps, the owed Nachweis, the admin button's words) is the second
table, `ZUSTAENDE`. The status itself is written by one function,
`services.workflow.status_schreiben`, which checks this table; every staff and Projektkonferenz
step runs through `services.workflow.schritt_ausfuehren`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Status

# Who takes a step.
VERWALTUNG = "verwaltung"  # staff, with a button on the Antrag's admin page
ANTRAGSTELLER = "antragsteller"  # the applicant (through the status link; staff for paper)
KONFERENZ = "konferenz"  # a Beschluss of the Projektkonferenz (fund money)
AUSZAHLUNG = "auszahlung"  # set by an ordered payout, never chosen

BEWILLIGEN = "antraege.bewilligen_zentral"
AUSZAHLEN = "antraege.auszahlen"
BESCHLIESSEN = "antraege.add_beschluss"


@dataclass(frozen=True)
class Schritt:
    von: str
    nach: str
    wer: tuple[str, ...]
    service: str
    recht: str = ""
    # The message when the comment the step needs is missing ("" = no comment needed).
    kommentar_noetig: str = ""


_ABLEHNUNG = _("Bitte begründen Sie die Ablehnung.")
_RUECKFRAGE = _("Bitte schreiben Sie Ihre Rückfrage in das Kommentarfeld.")
_AUFHEBUNG = _("Bitte begründen Sie, warum die Bewilligung aufgehoben wird.")
_KORREKTUR = _("Bitte schreiben Sie, was am Verwendungsnachweis korrigiert werden muss.")
_RUECKFORDERUNG = _("Bitte begründen Sie die Rückforderung.")

S = Status
SCHRITTE = [
    Schritt("", S.EINGEREICHT, (ANTRAGSTELLER,), "einreichung.antrag_einreichen"),
    Schritt(S.EINGEREICHT, S.IN_PRUEFUNG, (VERWALTUNG,), "workflow.antrag_status_setzen"),
    Schritt(S.EINGEREICHT, S.ZURUECKGEZOGEN, (ANTRAGSTELLER,), "einreichung.antrag_zurueckziehen"),
    Schritt(
        S.IN_PRUEFUNG, S.RUECKFRAGE, (VERWALTUNG,), "workflow.antrag_status_setzen",
        kommentar_noetig=_RUECKFRAGE,
    ),
    Schritt(S.IN_PRUEFUNG, S.ENTSCHEIDUNGSREIF, (VERWALTUNG,), "workflow.antrag_status_setzen"),
    Schritt(S.IN_PRUEFUNG, S.ZURUECKGEZOGEN, (ANTRAGSTELLER,), "einreichung.antrag_zurueckziehen"),
    # Staff take the Antrag back into review; the applicant's answer does the same.
    Schritt(S.RUECKFRAGE, S.IN_PRUEFUNG, (VERWALTUNG,), "workflow.antrag_status_setzen"),
    Schritt(
        S.RUECKFRAGE, S.IN_PRUEFUNG, (ANTRAGSTELLER,), "einreichung.antrag_rueckfrage_beantworten",
    ),
    Schritt(S.RUECKFRAGE, S.ZURUECKGEZOGEN, (ANTRAGSTELLER,), "einreichung.antrag_zurueckziehen"),
    Schritt(
        S.ENTSCHEIDUNGSREIF, S.BEWILLIGT, (VERWALTUNG,), "workflow.antrag_bewilligen",
        BEWILLIGEN,
    ),
    Schritt(
        S.ENTSCHEIDUNGSREIF, S.BEWILLIGT, (KONFERENZ,), "konferenz.beschluss_fassen",
        BESCHLIESSEN,
    ),
    Schritt(
        S.ENTSCHEIDUNGSREIF, S.ABGELEHNT, (VERWALTUNG,), "workflow.antrag_status_setzen",
        BEWILLIGEN, kommentar_noetig=_ABLEHNUNG,
    ),
    Schritt(
        S.ENTSCHEIDUNGSREIF, S.ABGELEHNT, (KONFERENZ,), "konferenz.beschluss_fassen",
        BESCHLIESSEN,
    ),
    Schritt(S.ENTSCHEIDUNGSREIF, S.IN_PRUEFUNG, (VERWALTUNG,), "workflow.antrag_status_setzen"),
    Schritt(
        S.ENTSCHEIDUNGSREIF, S.ZURUECKGEZOGEN, (ANTRAGSTELLER,), "einreichung.antrag_zurueckziehen",
    ),
    # Payouts move the status: in part, then in full (see services.auszahlung).
    Schritt(
        S.BEWILLIGT, S.TEILWEISE_AUSGEZAHLT, (AUSZAHLUNG,), "auszahlung.auszahlung_anordnen",
        AUSZAHLEN,
    ),
    Schritt(S.BEWILLIGT, S.AUSGEZAHLT, (AUSZAHLUNG,), "auszahlung.auszahlung_anordnen", AUSZAHLEN),
    Schritt(
        S.BEWILLIGT, S.AUFGEHOBEN, (VERWALTUNG,), "workflow.bewilligung_aufheben",
        AUSZAHLEN, kommentar_noetig=_AUFHEBUNG,
    ),
    Schritt(
        S.TEILWEISE_AUSGEZAHLT, S.AUSGEZAHLT, (AUSZAHLUNG,), "auszahlung.auszahlung_anordnen",
        AUSZAHLEN,
    ),
    Schritt(
        S.TEILWEISE_AUSGEZAHLT, S.NACHWEIS_EINGEREICHT, (ANTRAGSTELLER,),
        "einreichung.verwendungsnachweis_einreichen",
    ),
    Schritt(
        S.TEILWEISE_AUSGEZAHLT, S.RUECKFORDERUNG, (VERWALTUNG,), "workflow.antrag_rueckfordern",
        AUSZAHLEN, _RUECKFORDERUNG,
    ),
    Schritt(
        S.AUSGEZAHLT, S.NACHWEIS_EINGEREICHT, (ANTRAGSTELLER,),
        "einreichung.verwendungsnachweis_einreichen",
    ),
    Schritt(
        S.AUSGEZAHLT, S.RUECKFORDERUNG, (VERWALTUNG,), "workflow.antrag_rueckfordern",
        AUSZAHLEN, _RUECKFORDERUNG,
    ),
    Schritt(
        S.NACHWEIS_EINGEREICHT, S.ABGESCHLOSSEN, (VERWALTUNG,), "workflow.antrag_abschliessen",
        AUSZAHLEN,
    ),
    Schritt(
        S.NACHWEIS_EINGEREICHT, S.NACHWEIS_KORREKTUR, (VERWALTUNG,),
        "workflow.nachweis_zurueckgeben",
        AUSZAHLEN, _KORREKTUR,
    ),
    Schritt(
        S.NACHWEIS_EINGEREICHT, S.RUECKFORDERUNG, (VERWALTUNG,), "workflow.antrag_rueckfordern",
        AUSZAHLEN, _RUECKFORDERUNG,
    ),
    # The applicant corrects the proof through the status link, or staff ask money back.
    Schritt(
        S.NACHWEIS_KORREKTUR, S.NACHWEIS_EINGEREICHT, (ANTRAGSTELLER,),
        "einreichung.verwendungsnachweis_einreichen",
    ),
    Schritt(
        S.NACHWEIS_KORREKTUR, S.RUECKFORDERUNG, (VERWALTUNG,), "workflow.antrag_rueckfordern",
        AUSZAHLEN, _RUECKFORDERUNG,
    ),
    # "Rückzahlung offen": closed only once the money is back or written off.
    Schritt(
        S.RUECKFORDERUNG, S.ABGESCHLOSSEN, (VERWALTUNG,), "workflow.antrag_abschliessen",
        AUSZAHLEN,
    ),
]  # fmt: skip


def _reihenfolge(status) -> list[str]:
    return [s for s in Status.values if s in status]


# Which status may follow which (a new Antrag's first status has no "von").
TRANSITIONS: dict[str, set[str]] = {}
for _s in SCHRITTE:
    if _s.von:
        TRANSITIONS.setdefault(_s.von, set()).add(_s.nach)
# Steps the generic `antrag_status_setzen` takes; the others have functions of their own
# because they move money or are the applicant's.
EINFACHE_SCHRITTE = {s.nach for s in SCHRITTE if s.service == "workflow.antrag_status_setzen"}
# Decisions and money steps of the staff are the Projektbüro's; the permission each needs.
GELD_SCHRITTE = {s.nach: s.recht for s in SCHRITTE if s.recht and VERWALTUNG in s.wer}
# Fund money is granted or refused only by a Projektkonferenz Beschluss.
NUR_DURCH_KONFERENZ = {s.nach for s in SCHRITTE if KONFERENZ in s.wer}
# The applicant may withdraw until a decision is taken.
WITHDRAWABLE = {s.von for s in SCHRITTE if s.nach == Status.ZURUECKGEZOGEN}
# A payout (or a further instalment) is possible in these states.
AUSZAHLBAR = tuple(_reihenfolge({s.von for s in SCHRITTE if AUSZAHLUNG in s.wer}))
# A Verwendungsnachweis may be handed in (online or on paper) in these states.
NACHWEIS_MOEGLICH = {s.von for s in SCHRITTE if s.nach == Status.NACHWEIS_EINGEREICHT}


def recht(nach: str, wer: str = VERWALTUNG) -> str:
    """The permission the step to `nach` taken by `wer` needs, as the table says ("" for none).
    The services check it themselves, whoever calls them."""
    rechte = {s.recht for s in SCHRITTE if s.nach == nach and wer in s.wer}
    if len(rechte) != 1:
        raise LookupError(f"Kein eindeutiger Schritt nach {nach} für {wer}.")
    return rechte.pop()


def service(nach: str, wer: str = VERWALTUNG) -> str:
    """The service (`modul.funktion` in `antraege/services/`) that takes the step to `nach`
    for `wer`; the admin's buttons call it through `workflow.verwaltungsschritt`."""
    namen = {s.service for s in SCHRITTE if s.nach == nach and wer in s.wer}
    if len(namen) != 1:
        raise LookupError(f"Kein eindeutiger Schritt nach {nach} für {wer}.")
    return namen.pop()


def erlaubt(von: str, nach: str) -> bool:
    """Whether the table has a step from `von` ("" for a new Antrag) to `nach`."""
    return any(s.von == von and s.nach == nach for s in SCHRITTE)


def verwaltungsschritte(status: str) -> list[str]:
    """The statuses staff may move an Antrag to from `status` with a button, in order."""
    return _reihenfolge({s.nach for s in SCHRITTE if s.von == status and VERWALTUNG in s.wer})


def kommentar_fehlt(nach: str) -> str:
    """The message when a step to `nach` is taken without the comment it needs, or ""."""
    for schritt in SCHRITTE:
        if schritt.nach == nach and schritt.kommentar_noetig:
            return str(schritt.kommentar_noetig)
    return ""


# What the portal says and does in each status, besides the steps. One row per status (a test
# holds that every status has one): where it stands on the applicant's tracker
# (`statusseite.SCHRITTE`, 0-based; `beendet`: ended early, the later steps are no longer
# needed), whether staff's step into it sends the applicant nothing (`still`), whether the
# Verwendungsnachweis is still owed, the admin button that leads into it (`knopf`, its words
# when not the status's label; `erklaerung`, what it does) and the applicant's next step.
@dataclass(frozen=True)
class Zustand:
    fortschritt: int
    beendet: bool = False
    still: bool = False
    nachweis_ausstehend: bool = False
    knopf: str = ""
    erklaerung: str = ""
    # The label of the step's comment field (default: a comment to the applicant).
    kommentar_titel: str = ""
    # A step that ends or takes back (refusal, cancellation, Rückforderung): warning style, last.
    warnend: bool = False
    # What the applicant reads under "Wie geht es weiter?" (%(betrag)s paid, %(rest)s to come).
    weiter: str = ""
    # The stage's name for the applicant: the status page, its history, mails and letters.
    stufe: str = ""


ZUSTAENDE = {
    S.EINGEREICHT: Zustand(
        1,
        stufe=_("Eingegangen"),
        weiter=_("Ihr Antrag wird geprüft. Wenn etwas fehlt, melden wir uns bei Ihnen per E-Mail."),
    ),
    S.IN_PRUEFUNG: Zustand(
        1,
        stufe=_("Wird geprüft"),
        still=True,
        knopf=_("Prüfung beginnen"),
        erklaerung=_(
            "Sie beginnen (oder setzen fort) die Prüfung. Es geht keine E-Mail hinaus; auf der "
            "Statusseite steht, dass der Antrag geprüft wird."
        ),
        kommentar_titel=_("Kommentar (steht auf der Statusseite, keine E-Mail)"),
        weiter=_("Ihr Antrag wird geprüft. Wenn etwas fehlt, melden wir uns bei Ihnen per E-Mail."),
    ),
    S.RUECKFRAGE: Zustand(
        1,
        stufe=_("Rückfrage an Sie"),
        knopf=_("Rückfrage stellen"),
        kommentar_titel=_("Ihre Rückfrage"),
        erklaerung=_(
            "Ihre Rückfrage geht per E-Mail an die Antragstellerin / den Antragsteller. Sie / er "
            "antwortet über den Statuslink und kann den Antrag korrigieren."
        ),
        weiter=_(
            "Wir haben eine Rückfrage zu Ihrem Antrag. Bitte beantworten Sie sie; dabei können "
            "Sie Ihre Angaben korrigieren."
        ),
    ),
    S.ENTSCHEIDUNGSREIF: Zustand(
        2,
        stufe=_("Geprüft, die Entscheidung folgt"),
        still=True,
        knopf=_("Prüfung abschließen"),
        kommentar_titel=_("Kommentar (steht auf der Statusseite, keine E-Mail)"),
        erklaerung=_(
            "Die Prüfung ist fertig. Anträge an den Aktionsraumfonds setzen Sie danach auf die "
            "Tagesordnung einer Projektkonferenz; über das zentrale Budget entscheidet das "
            "Projektbüro."
        ),
        weiter=_("Ihr Antrag ist geprüft und wird bald entschieden."),
    ),
    S.BEWILLIGT: Zustand(
        3,
        stufe=_("Bewilligt"),
        nachweis_ausstehend=True,
        knopf=_("Bewilligen"),
        kommentar_titel=_("Kommentar (bei weniger als beantragt: Begründung)"),
        erklaerung=_(
            "Bewilligt den Betrag aus dem zentralen Projektbudget und bindet ihn dort sofort. "
            "Weniger als beantragt (Teilbewilligung) braucht eine Begründung im Kommentarfeld."
        ),
        weiter=_(
            "Ihr Antrag ist bewilligt. Das Geld wird ausgezahlt; danach weisen Sie die Verwendung "
            "nach."
        ),
    ),
    S.TEILWEISE_AUSGEZAHLT: Zustand(
        3,
        stufe=_("Ein Teil des Geldes ist überwiesen"),
        nachweis_ausstehend=True,
        weiter=_(
            "Ein Teil des Geldes ist überwiesen (%(betrag)s); %(rest)s folgen noch. Wenn Ihr "
            "Projekt vorbei ist, reichen Sie bitte hier den Verwendungsnachweis mit den Belegen "
            "ein."
        ),
    ),
    S.AUSGEZAHLT: Zustand(
        4,
        stufe=_("Geld überwiesen"),
        nachweis_ausstehend=True,
        weiter=_(
            "Das Geld ist überwiesen. Wenn Ihr Projekt vorbei ist, reichen Sie bitte hier den "
            "Verwendungsnachweis mit den Belegen ein."
        ),
    ),
    S.NACHWEIS_KORREKTUR: Zustand(
        4,
        stufe=_("Verwendungsnachweis: Korrektur nötig"),
        nachweis_ausstehend=True,
        knopf=_("Nachweis zur Korrektur zurückgeben"),
        kommentar_titel=_("Was muss korrigiert werden?"),
        erklaerung=_(
            "Gibt den Verwendungsnachweis zurück. Schreiben Sie ins Kommentarfeld, was fehlt; die "
            "Antragstellerin / der Antragsteller korrigiert ihn über den Statuslink."
        ),
        weiter=_(
            "Ihr Verwendungsnachweis muss korrigiert werden. Was fehlt, steht unten. Bitte "
            "reichen Sie ihn hier noch einmal ein."
        ),
    ),
    S.NACHWEIS_EINGEREICHT: Zustand(
        4,
        stufe=_("Verwendungsnachweis eingegangen"),
        weiter=_("Ihr Verwendungsnachweis ist eingegangen und wird geprüft."),
    ),
    S.RUECKFORDERUNG: Zustand(
        4,
        stufe=_("Rückzahlung erbeten"),
        knopf=_("Geld zurückfordern"),
        kommentar_titel=_("Begründung der Rückforderung"),
        warnend=True,
        erklaerung=_(
            "Fordert nicht verwendetes Geld zurück (Betrag im Feld „Betrag der Rückforderung“, "
            "Begründung im Kommentarfeld). Der Vorgang bleibt offen („Rückzahlung offen“); im Topf "
            "frei wird das Geld erst, wenn die Rückzahlung als eingegangen gebucht ist."
        ),
        weiter=_(
            "Wir fordern nicht verwendetes Geld zurück. Die Begründung finden Sie im Verlauf."
        ),
    ),
    S.ABGESCHLOSSEN: Zustand(
        5,
        stufe=_("Abgeschlossen"),
        knopf=_("Abschließen"),
        erklaerung=_(
            "Schließt den Vorgang ab. Bewilligtes Geld, das nie ausgezahlt wurde, geht in den "
            "Topf zurück. Nach einer Rückforderung geht das erst, wenn die Rückzahlung eingegangen "
            "oder die Forderung niedergeschlagen ist."
        ),
        weiter=_("Ihr Projekt ist abgeschlossen. Danke für Ihr Engagement im Quartier!"),
    ),
    S.ABGELEHNT: Zustand(
        3,
        stufe=_("Abgelehnt"),
        beendet=True,
        knopf=_("Ablehnen"),
        kommentar_titel=_("Begründung der Ablehnung"),
        warnend=True,
        erklaerung=_(
            "Lehnt den Antrag ab. Die Begründung aus dem Kommentarfeld wird per E-Mail mitgeteilt."
        ),
        weiter=_("Ihr Antrag wurde abgelehnt. Die Begründung steht im Verlauf."),
    ),
    S.AUFGEHOBEN: Zustand(
        3,
        stufe=_("Bewilligung aufgehoben"),
        beendet=True,
        knopf=_("Bewilligung aufheben"),
        kommentar_titel=_("Begründung der Aufhebung"),
        warnend=True,
        erklaerung=_(
            "Hebt die Bewilligung auf, solange nichts ausgezahlt ist. Das Geld geht in den Topf "
            "zurück. Bitte begründen Sie das im Kommentarfeld."
        ),
        weiter=_("Die Bewilligung wurde aufgehoben. Die Begründung steht im Verlauf."),
    ),
    S.ZURUECKGEZOGEN: Zustand(
        1,
        stufe=_("Zurückgezogen"),
        beendet=True,
        weiter=_("Sie haben den Antrag zurückgezogen. Es ist nichts weiter zu tun."),
    ),
}
# Staff's steps into these send the applicant nothing (the status page still shows them).
STILLE_SCHRITTE = {s for s, z in ZUSTAENDE.items() if z.still}
# While an Antrag is in one of these, the applicant still owes the Verwendungsnachweis.
NACHWEIS_AUSSTEHEND = _reihenfolge({s for s, z in ZUSTAENDE.items() if z.nachweis_ausstehend})


# Buttons whose words depend on where the step starts or on the pot.
KNOPF_AB = {
    (S.RUECKFRAGE, S.IN_PRUEFUNG): _("Ohne Antwort weiter prüfen"),
    (S.ENTSCHEIDUNGSREIF, S.IN_PRUEFUNG): _("Zurück in die Prüfung"),
}
KNOPF_FONDS = {S.ENTSCHEIDUNGSREIF: _("Zur Projektkonferenz geben")}


def stufe(status: str) -> str:
    """The applicant's name of the stage `status` (never the internal status name)."""
    return str(ZUSTAENDE[status].stufe)


def knopf(nach: str, *, von: str = "", fonds: bool = False) -> str:
    """The words of the admin button that leads from `von` to `nach` (a verb: "Bewilligen");
    `fonds`: an Antrag the Projektkonferenz decides."""
    if (von, nach) in KNOPF_AB:
        return str(KNOPF_AB[(von, nach)])
    if fonds and nach in KNOPF_FONDS:
        return str(KNOPF_FONDS[nach])
    return str(ZUSTAENDE[nach].knopf or Status(nach).label)


def kommentar_titel(nach: str) -> str:
    """The label of the comment field of the step to `nach`."""
    return str(
        ZUSTAENDE[nach].kommentar_titel or _("Kommentar an die Antragstellerin / den Antragsteller")
    )


def hauptschritt(von: str, schritte) -> str:
    """Of the steps `schritte` that can be taken from `von`, the one the page offers first:
    the step that moves furthest along the applicant's tracker, never a warning step and never
    one that goes back or on without the applicant; "" when there is none."""
    vorne = ZUSTAENDE[von].fortschritt if von in ZUSTAENDE else 0
    kandidaten = [
        s
        for s in schritte
        if not ZUSTAENDE[s].warnend
        and (von, s) not in KNOPF_AB
        and ZUSTAENDE[s].fortschritt >= vorne
    ]
    return max(kandidaten, key=lambda s: ZUSTAENDE[s].fortschritt, default="")
