"""A fair Projektkonferenz in the browser, as the area's Beauftragte: members set up, the
invitation mailed (through a real SMTP server) and printed, a changed agenda sent again,
attendance marked, one member befangen on one item, votes recorded, a Beschluss refused for
want of a quorum, the protocol signed off and printed to PDF with every item's attendance,
conflict and vote; afterwards nothing of the meeting changes."""

import re
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from django.utils import timezone
from pypdf import PdfReader

from antraege.models import Antrag, Beschluss, Einladung, Status
from quartiere.models import Aktionsraum
from tests.factories import (
    VALID_IBAN,
    beauftragte_user,
    entscheidungsreif,
    projektbuero_user,
    submitted_antrag,
)

from .helpers import assert_no_axe_violations
from .journey import Journey
from .test_journey_projektkonferenz import agenda_waehlen, beschluesse_erfassen, speichern

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

BBM = "Bezirksbürgermeisterin (Testeintrag)"
VORSTAND = "Vorstand Förderverein (Testeintrag)"
OHNE_MAIL = "Bewohnerin ohne E-Mail (Testeintrag)"


def mitglied_anlegen(page, name, rolle, organisation="", email="", weiter=True):
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.locator("#id_name").fill(name)
    page.locator("#id_rolle").select_option(label=rolle)
    page.locator("#id_organisation").fill(organisation)
    page.locator("#id_email").fill(email)
    knopf = "Sichern und neu hinzufügen" if weiter else "Sichern"
    page.get_by_role("button", name=knopf, exact=True).click()


def zeile_fuellen(page, antrag, ergebnis, *, abstimmung, stimmen=(), begruendung=""):
    row = page.locator(f"#zeile-{antrag.pk}")
    row.get_by_label(ergebnis, exact=True).check()
    row.get_by_label("Begründung", exact=True).fill(begruendung)
    if abstimmung:
        row.get_by_label(abstimmung, exact=True).check()
    for label, zahl in zip(("Ja", "Nein", "Enthaltung"), stimmen, strict=False):
        row.get_by_label(label, exact=True).fill(str(zahl))


def anwesend(page, name):
    """Ticks "anwesend" in the row of the person called `name` on the conference's page."""
    zeile = page.locator("tr.form-row", has=page.locator(f"input[value='{name}']"))
    zeile.locator("input[name$='-anwesend']").check()


def test_members_invitation_conflict_votes_quorum_and_the_signed_protocol(
    new_page, output_dir, settings, smtp_server
):
    port, postfach = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    # The Projektbüro set the area's quorum: three voting members present and not befangen.
    Aktionsraum.objects.filter(pk=hoerde.pk).update(konferenz_quorum=3)
    pb = projektbuero_user()
    verein, hoffest, lesepaten = (
        entscheidungsreif(
            submitted_antrag(
                titel=titel,
                organisation=org,
                antragsteller_art="verein",
                beantragter_betrag=Decimal(betrag),
                email=f"antrag{n}@example.org",
            ),
            pb,
        )
        for n, (titel, org, betrag) in enumerate(
            [
                ("Vereinsfest", "Förderverein Hörde e. V.", "800.00"),
                ("Hoffest", "Hofgemeinschaft Hörde", "500.00"),
                ("Lesepaten", "Leseclub Hörde", "300.00"),
            ]
        )
    )
    user = beauftragte_user(hoerde, username="weiermann")
    j = Journey(new_page(width=1280), "konferenz-mitglieder", output_dir)
    page = j.page
    j.anmelden(user.username)

    # 1. Members: three voting, one of them without an e-mail address.
    page.get_by_role("link", name="Mitglieder der Projektkonferenzen").first.click()
    page.get_by_role("link", name="Mitglied der Projektkonferenz hinzufügen").click()
    assert page.get_by_label("Mitglied seit").input_value() == timezone.localdate().strftime(
        "%d.%m.%Y"
    )
    mitglied_anlegen(
        page, BBM, "Bezirksbürgermeister/in", "Bezirksvertretung Hörde", "bbm@example.org"
    )
    j.meldung("erfolgreich hinzugefügt")
    mitglied_anlegen(
        page, VORSTAND, "Mitglied der Bezirksvertretung", "Förderverein Hörde e.V.",
        "vorstand@example.org",
    )  # fmt: skip
    j.meldung("erfolgreich hinzugefügt")
    mitglied_anlegen(page, OHNE_MAIL, "Bewohnerin oder Bewohner", weiter=False)
    j.meldung("erfolgreich hinzugefügt")
    j.foto("mitglieder")
    assert page.locator("#result_list tbody tr").count() == 3

    # 2. The conference, held today, from the members' list; two Anträge on the agenda.
    page.goto("/admin/")
    page.get_by_role("link", name="Projektkonferenz anlegen").click()
    page.get_by_label("Aktionsraum").select_option(label="Hörde")
    page.locator("#id_datum").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.locator("#id_ort").fill("Stadtteilzentrum Hörde")
    agenda_waehlen(page, verein)
    agenda_waehlen(page, hoffest)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich hinzugefügt")
    for name in (BBM, VORSTAND, OHNE_MAIL):
        assert page.locator(f"input[value='{name}']").count() == 1
    # Staff are told before the meeting: the Vorstand belongs to the applying association.
    warnung = page.locator("#moegliche-befangenheit").inner_text()
    assert VORSTAND in warnung and verein.aktenzeichen in warnung
    j.foto("konferenz-aus-mitgliedern")

    # 3. The invitation: mailed to the two members with an address, printed for the third.
    postfach.messages.clear()  # the applicants' and staff's mails of the set-up
    page.get_by_role("button", name="Einladung versenden").click()
    text = j.meldung("Einladung 1 versandt")
    assert "per E-Mail an 2 Mitglieder" in text and OHNE_MAIL in text
    post = {
        tuple(rcpt): message_from_bytes(inhalt, policy=policy.default)
        for rcpt, inhalt in postfach.messages
    }
    assert set(post) == {("bbm@example.org",), ("vorstand@example.org",)}
    einladung = post[("bbm@example.org",)]
    datum = timezone.localdate().strftime("%d.%m.%Y")
    assert einladung["Subject"].strip() == f"Einladung: Projektkonferenz Hörde am {datum}"
    text = einladung.get_body(("plain",)).get_content()
    for erwartet in (verein.aktenzeichen, "Vereinsfest", "Förderverein Hörde e. V.", "800,00"):
        assert erwartet in text, erwartet
    for privat in (verein.email, "Erika Beispiel", "Beispielstraße", VALID_IBAN[-4:], "DE89"):
        assert privat not in text, privat  # no address or bank data in an agenda
    page.get_by_role("link", name="Einladung 1 drucken").click()
    druck = page.locator("main").inner_text()
    assert OHNE_MAIL in druck and "Vereinsfest" in druck and "Hoffest" in druck
    j.foto("einladung-druck")
    page.go_back()

    # 4. A third Antrag joins the agenda: the changed agenda goes out as invitation 2; the
    # first stays as it was sent.
    agenda_waehlen(page, lesepaten)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("Einladung 2 versandt")
    betreffe = [
        message_from_bytes(inhalt, policy=policy.default)["Subject"].strip()
        for _r, inhalt in postfach.messages
    ]
    assert betreffe.count(f"Geänderte Einladung: Projektkonferenz Hörde am {datum}") == 2
    erste, zweite = Einladung.objects.order_by("nummer")
    assert [p["titel"] for p in erste.tagesordnung] == ["Vereinsfest", "Hoffest"]
    assert [p["titel"] for p in zweite.tagesordnung] == ["Vereinsfest", "Hoffest", "Lesepaten"]

    # 5. The meeting: all three present; the Vorstand declares a conflict on the Vereinsfest.
    for name in (BBM, VORSTAND, OHNE_MAIL):
        anwesend(page, name)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    j.meldung("erfolgreich geändert")
    page.get_by_role("link", name="Befangenheit", exact=True).click()
    page.get_by_label("Person").select_option(label=f"{VORSTAND} (Mitglied der Bezirksvertretung)")
    page.get_by_label("Antrag (Tagesordnungspunkt)").select_option(
        label=f"{verein.aktenzeichen} – Vereinsfest"
    )
    page.get_by_label("Grund").fill("Vorstand des antragstellenden Vereins")
    page.get_by_role("button", name="Befangenheit eintragen").click()
    j.meldung(f"Eingetragen: {VORSTAND} ist bei {verein.aktenzeichen} befangen.")
    assert_no_axe_violations(page)
    j.foto("befangenheit")

    # 6. Beschlüsse: the Vereinsfest lacks the quorum (two of three); nothing is booked.
    page.get_by_role("link", name=str(verein.projektkonferenzen.get())).click()
    beschluesse_erfassen(j)
    assert "2 stimmberechtigte Mitglieder anwesend und nicht befangen. Befangen: " + VORSTAND in (
        page.locator(f"#zeile-{verein.pk}").inner_text()
    )
    zeile_fuellen(page, verein, "bewilligt (wie beantragt)", abstimmung="einvernehmlich")
    zeile_fuellen(
        page, hoffest, "bewilligt (wie beantragt)", abstimmung="abgestimmt", stimmen=(2, 0, 1)
    )
    zeile_fuellen(
        page, lesepaten, "abgelehnt", abstimmung="abgestimmt", stimmen=(1, 2, 0),
        begruendung="Kein Bezug zum Quartier.",
    )  # fmt: skip
    speichern(j)
    fehler = page.locator("#fehler").inner_text()
    assert (
        f"Die Konferenz ist bei {verein.aktenzeichen} nicht beschlussfähig: 2 stimmberechtigte "
        "Mitglieder sind anwesend und nicht befangen, nötig sind 3." in fehler
    )
    assert not Beschluss.objects.exists()
    assert_no_axe_violations(page)
    j.foto("beschluss-ohne-quorum")
    # Without the quorum the item can only be adjourned; the other rows kept their values.
    zeile_fuellen(page, verein, "vertagt", abstimmung="", begruendung="Nicht beschlussfähig.")
    assert page.locator(f"#zeile-{hoffest.pk}").get_by_label("Ja", exact=True).input_value() == "2"
    speichern(j)
    j.meldung("Eingetragen:")
    beschluesse = {b.antrag_id: b for b in Beschluss.objects.all()}
    assert beschluesse[hoffest.pk].ja == 2 and beschluesse[hoffest.pk].stimmen_moeglich == 3
    assert beschluesse[verein.pk].ergebnis == "vertagt"
    assert Antrag.objects.get(pk=hoffest.pk).status == Status.BEWILLIGT
    assert Antrag.objects.get(pk=lesepaten.pk).status == Status.ABGELEHNT

    # 7. The protocol signed off by the person keeping it; then printed to PDF.
    page.get_by_role(
        "link", name="Daten der Konferenz (Teilnehmende, Tagesordnung, Protokoll)"
    ).click()
    page.get_by_label("Protokollführung (Name)").fill("Protokollführung (Testeintrag)")
    page.get_by_role("button", name="Protokoll abschließen").click()
    j.meldung("Das Protokoll ist abgeschlossen (Protokollführung (Testeintrag)")
    j.foto("abgeschlossen")
    assert page.get_by_role("button", name="Einladung versenden").count() == 0
    assert page.locator("#id_ort").count() == 0  # read-only now
    page.get_by_role("link", name="Protokoll drucken").click()
    pdf = output_dir / "journeys" / "konferenz-mitglieder" / "protokoll.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    # One space between words, across lines and pages; a word broken at its hyphen whole.
    protokoll = re.sub(
        r"-\s+", "-", " ".join(" ".join(s.extract_text().split()) for s in PdfReader(pdf).pages)
    )
    for erwartet in (
        f"{BBM}, Bezirksvertretung Hörde Bezirksbürgermeister/in stimmberechtigt anwesend",
        f"{OHNE_MAIL} Bewohnerin oder Bewohner stimmberechtigt anwesend",
        f"Befangen {VORSTAND} (Vorstand des antragstellenden Vereins): nimmt an Beratung und "
        "Abstimmung nicht teil",
        "Stimmberechtigt 2 Mitglieder anwesend und nicht befangen Abstimmung einvernehmlich "
        "Beschluss vertagt",
        "Stimmberechtigt 3 Mitglieder anwesend und nicht befangen Abstimmung Ja 2, Nein 0, "
        "Enthaltung 1 Beschluss bewilligt: 500,00 €",
        "Abstimmung Ja 1, Nein 2, Enthaltung 0 Beschluss abgelehnt",
        "Kein Bezug zum Quartier.",
        "von Protokollführung (Testeintrag) (Protokollführung)",
    ):
        assert erwartet in protokoll, (erwartet, protokoll)
    for antrag in (verein, hoffest, lesepaten):
        assert antrag.aktenzeichen in protokoll
    page.go_back()

    # 8. Frozen: no more Beschlüsse.
    page.get_by_role("link", name="Beschlüsse erfassen").first.click()
    page.get_by_text("Das Protokoll dieser Konferenz ist am").wait_for()
    j.ohne_dialog()
