"""Shared steps of the staff and applicant journeys: log in, take screenshots, follow the
status link from the mail in the outbox, and read what the pages say."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core import mail
from django.utils.text import slugify

from antraege.models import AusgehendeMail
from tests.factories import otp_code, zweiter_faktor

from .helpers import bildschirmfoto

PASSWORT = "Ein-sicheres-Passwort-2026"
# The login's labels: user name, password, button, second-factor code.
ANMELDUNG = {
    "de": ("Benutzername", "Passwort", "Anmelden", "Bestätigungscode"),
    "en": ("Username", "Password", "Log in", "Confirmation code"),
}
# Typed into every free-text field of the "feindlich" run: markup, SQL, a right-to-left
# override and quotes. The pages must show it as plain text and never run it.
FEINDLICH = "<script>alert('x')</script><img src=x onerror=alert(1)> ' OR 1=1; -- \u202e\""


def schritt_karte(page, verb: str):
    """The card of one step on the Antrag's page ("Nächster Schritt"), by its verb."""
    kopf = page.locator("summary", has_text=re.compile(f"^{re.escape(verb)}$"))
    return page.locator("details.schritt-karte").filter(has=kopf)


def schritt_nehmen(page, verb: str, felder=None, *, knopf: str = ""):
    """Opens the step's card as a person does (a click on its verb), fills its fields
    ({label: value}) and clicks its button (`knopf`, or the verb itself); returns the card."""
    karte = schritt_karte(page, verb)
    if karte.get_attribute("open") is None:
        karte.locator("summary").click()
    for label, wert in (felder or {}).items():
        karte.get_by_label(label).fill(wert)
    karte.get_by_role("button", name=knopf or verb, exact=True).click()
    return karte


class Journey:
    """One person's path through the pages; every step leaves a screenshot."""

    def __init__(self, page, name: str, output_dir: Path):
        self.page = page
        self.dir = output_dir / "journeys" / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.schritt = 0
        self.dialoge = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialoge.append(dialog.message)
        dialog.dismiss()

    def foto(self, name: str):
        self.schritt += 1
        datei = f"{self.schritt:02d}-{slugify(name)[:40]}.png"
        bildschirmfoto(self.page, self.dir / datei)

    def anmelden(self, username: str, passwort: str = PASSWORT, sprache: str = "de"):
        """Password, then the code from the account's authenticator app (as a person types it)."""
        page = self.page
        name, wort, knopf, code = ANMELDUNG[sprache]
        user = User.objects.filter(username=username).first()
        if user is not None:
            zweiter_faktor(user)  # the app was set up at the first login
        page.goto("/en/admin/" if sprache == "en" else "/admin/")
        page.get_by_label(name).fill(username)
        page.get_by_label(wort).fill(passwort)
        page.get_by_role("button", name=knopf).click()
        page.wait_for_load_state()
        if "/zwei-faktor/" in page.url and user is not None:
            self.foto(f"zweiter-faktor-{username}")
            page.get_by_label(code).fill(otp_code(zweiter_faktor(user)))
            page.get_by_role("button", name=knopf).click()
        self.foto(f"angemeldet-{username}")

    def meldung(self, text: str):
        """Waits for the admin's message list to show `text`; returns the whole message."""
        eintrag = self.page.locator("ul.messagelist li", has_text=text).first
        eintrag.wait_for()
        return eintrag.inner_text()

    def fehler(self, text: str):
        eintrag = self.page.locator("ul.messagelist li.error", has_text=text).first
        eintrag.wait_for()
        return eintrag.inner_text()

    def schritt_nehmen(self, verb: str, felder=None, *, knopf: str = ""):
        return schritt_nehmen(self.page, verb, felder, knopf=knopf)

    def karten_fehler(self, verb: str, text: str) -> str:
        """Waits for the step card's error summary to show `text`; returns the summary."""
        zusammenfassung = schritt_karte(self.page, verb).locator(".fehler-zusammenfassung")
        zusammenfassung.filter(has_text=text).wait_for()
        return zusammenfassung.inner_text()

    def ohne_dialog(self):
        assert self.dialoge == [], f"a script ran on the page: {self.dialoge}"


def status_link_aus_mail(antrag, betreff_enthaelt: str) -> str:
    """The status link of the newest mail sent to the applicant with `betreff_enthaelt` in its
    subject. The outbox keeps only "[Statuslink]": the link is in what was sent."""
    gesendet = [m for m in mail.outbox if betreff_enthaelt in m.subject and m.to == [antrag.email]]
    assert gesendet, f"no mail '{betreff_enthaelt}' sent for {antrag.aktenzeichen}"
    gespeichert = AusgehendeMail.objects.filter(antrag=antrag, betreff=gesendet[-1].subject)
    assert all("/antrag/status/" not in m.text for m in gespeichert), "a link in the outbox"
    link = re.search(r"https?://\S+/antrag/status/\S+/", gesendet[-1].body).group(0)
    # The mail names the public address; the test server listens elsewhere, same path.
    return urlsplit(link).path


def mails_an(adresse: str) -> list[str]:
    return [m.betreff for m in AusgehendeMail.objects.order_by("id") if adresse in m.empfaenger]


def zeile(page, titel: str) -> list[str]:
    """The cells of the table row whose header cell has `titel` (non-breaking spaces as spaces)."""
    row = page.locator("tr", has=page.locator("th", has_text=titel)).first
    row.wait_for()
    return [c.replace("\xa0", " ").strip() for c in row.locator("td").all_inner_texts()]


def budgetzeile(page, titel: str) -> dict[str, str]:
    """One row of the budget overview by column name ("Bewilligt", "Verfügbar", ...)."""
    tabelle = page.locator("#budgetuebersicht")
    tabelle.wait_for()  # the overview itself, not the start page's table of the same rows
    row = tabelle.locator("tr", has=page.locator("th", has_text=titel)).first
    zellen = [c.replace("\xa0", " ").strip() for c in row.locator("td").all_inner_texts()]
    kopf = tabelle.locator("thead th").all_text_contents()[1:]
    return dict(zip(kopf, zellen, strict=False))
