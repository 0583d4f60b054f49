"""Personal data kept only as long as allowed (DSGVO): the daily deletion with time travel,
the right of access as one file, and the Datenschutzerklärung tied to the settings."""

import io
import json
import re
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase

from antraege.models import Anlage, Antrag, AusgehendeMail, Status, StatusAenderung
from antraege.rollen import LESEZUGRIFF
from antraege.selectors import berichte, hauptbuch
from antraege.services import auszahlung, einreichung, workflow
from antraege.services.datenschutz import GELOESCHT, personendaten_loeschen
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    antrag_post_data,
    beauftragte_user,
    projektbuero_user,
    rollen_user,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
PERSONENDATEN = [
    "Erika Beispiel",
    "Beispielstraße 1",
    "erika@example.org",
    "0231 000000",
    "Beispielverein e. V.",
    "DE89370400440532013000",
]


def am(jahr, monat, tag):
    return datetime(jahr, monat, tag, 12, tzinfo=BERLIN)


@pytest.fixture
def zurueckgezogen(client, time_machine):
    """An Antrag sent through the form on 1 March 2027 with a PDF, its link opened, answered a
    Rückfrage, withdrawn on 10 March 2027; a second browser still holds it in its session."""
    time_machine.move_to(am(2027, 3, 1))
    pdf = SimpleUploadedFile("Konzept Erika Beispiel.pdf", PDF_BYTES, "application/pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/antrag/", antrag_post_data(anlagen=pdf))
    antrag = Antrag.objects.get()
    from django.test import Client

    anderer = Client()
    anderer.post("/antrag/", antrag_post_data(titel="Zweiter Antrag"))  # session not shown yet
    client.get(f"/antrag/status/{token(antrag)}/")
    staff = projektbuero_user()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Wer ist Erika Beispiel?"
    )
    einreichung.antrag_rueckfrage_beantworten(
        antrag=antrag, antwort="Ich, Erika Beispiel, 0231 000000"
    )
    time_machine.move_to(am(2027, 3, 10))
    einreichung.antrag_zurueckziehen(antrag=antrag, kommentar="Erika Beispiel zieht zurück")
    return Antrag.objects.get(pk=antrag.pk)


def alles_gespeicherte(antrag) -> str:
    """Every text stored about an Antrag: its row, history rows, steps, proofs, mails."""

    def als_text(zeilen):
        return json.dumps(list(zeilen), default=str, ensure_ascii=False)

    teile = [als_text(Antrag.objects.filter(pk=antrag.pk).values())]
    teile.append(als_text(Antrag.history.filter(id=antrag.pk).values()))
    teile += list(StatusAenderung.objects.filter(antrag=antrag).values_list("kommentar", flat=True))
    for mail in AusgehendeMail.objects.filter(antrag=antrag):
        teile += [mail.text, mail.html, " ".join(mail.empfaenger)]
    return "\n".join(teile)


def test_a_withdrawn_antrag_keeps_its_data_for_a_year_then_loses_all_of_it(
    client, zurueckgezogen, time_machine, settings
):
    antrag = zurueckgezogen
    datei = Path(antrag.anlagen.get().datei.path)
    alter_link = token(antrag)
    sitzungen_vorher = Session.objects.count()
    assert all(wert in alles_gespeicherte(antrag) for wert in PERSONENDATEN[:3])

    time_machine.move_to(am(2028, 3, 9))  # a day short of a year
    call_command("personendaten_loeschen", stdout=io.StringIO())
    antrag.refresh_from_db()
    assert antrag.anonymisiert_am is None and antrag.email == "erika@example.org"
    assert datei.exists()

    time_machine.move_to(am(2028, 3, 10))
    ausgabe = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("personendaten_loeschen", stdout=ausgabe)
    assert f"Personendaten von 1 Anträgen ({antrag.aktenzeichen})" in ausgabe.getvalue()
    antrag.refresh_from_db()
    gespeichert = alles_gespeicherte(antrag)
    for wert in PERSONENDATEN + ["Ich, Erika", "Wer ist Erika", "zieht zurück"]:
        assert wert not in gespeichert, wert
    assert antrag.anonymisiert_am is not None
    assert antrag.ansprechperson == GELOESCHT and antrag.email == "" and antrag.iban == ""
    # What the budget figures need stays.
    assert antrag.aktenzeichen.startswith("AP-2027-") and antrag.titel
    assert antrag.beantragter_betrag == Decimal("350.00") and antrag.ziel_nachbarschaft
    assert antrag.aktionsraum.slug == "hoerde" and antrag.status == Status.ZURUECKGEZOGEN
    # Files, mails, the session that still pointed to it, the link: gone.
    assert not datei.exists() and not Anlage.objects.filter(antrag=antrag).exists()
    assert not AusgehendeMail.objects.filter(antrag=antrag).exists()
    assert client.get(f"/antrag/status/{alter_link}/").status_code == 404
    assert Session.objects.count() < sitzungen_vorher
    # The other Antrag (still open) is untouched.
    zweiter = Antrag.objects.get(titel="Zweiter Antrag")
    assert zweiter.anonymisiert_am is None and zweiter.email == "erika@example.org"


def test_a_rejected_antrag_after_its_year_and_an_open_one_never(time_machine):
    from .factories import submitted_antrag

    time_machine.move_to(am(2027, 1, 15))
    abgelehnt = submitted_antrag(finanzierungsquelle="projektbudget")
    offen = submitted_antrag(titel="Offen")
    staff = projektbuero_user()
    for schritt in (Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF):
        workflow.antrag_status_setzen(antrag=abgelehnt, nach=schritt, by=staff)
    workflow.antrag_status_setzen(
        antrag=abgelehnt, nach=Status.ABGELEHNT, by=staff, kommentar="Kein Bezug zum Quartier"
    )
    time_machine.move_to(am(2028, 1, 15))
    lauf = personendaten_loeschen()
    assert lauf.antraege == [abgelehnt.aktenzeichen]
    time_machine.move_to(am(2047, 1, 15))  # twenty years on, an open case keeps its data
    assert personendaten_loeschen().antraege == []
    offen.refresh_from_db()
    assert offen.anonymisiert_am is None and offen.ansprechperson == "Erika Beispiel"


def test_a_closed_grant_keeps_its_file_for_ten_years_and_every_figure_after(time_machine):

    time_machine.move_to(am(2026, 12, 20))  # in the budget year the tests have set up
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, betrag="1000.00")
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ABGESCHLOSSEN)
    StatusAenderung.objects.create(antrag=antrag, von="bewilligt", nach=Status.ABGESCHLOSSEN)
    vorher = hauptbuch.geldstand(antrag.buchungen.all())
    hj = antrag.haushaltsjahr
    bericht_vorher = berichte.jahresbericht(haushaltsjahr=hj, user=staff)

    time_machine.move_to(am(2036, 12, 19))
    assert personendaten_loeschen().antraege == []
    time_machine.move_to(am(2036, 12, 20))
    assert personendaten_loeschen().antraege == [antrag.aktenzeichen]
    antrag.refresh_from_db()
    assert antrag.anonymisiert_am and antrag.kontoinhaber == ""
    assert hauptbuch.geldstand(antrag.buchungen.all()) == vorher
    assert berichte.jahresbericht(haushaltsjahr=hj, user=staff) == bericht_vorher
    # A second run finds nothing more to do.
    assert personendaten_loeschen().antraege == []


def test_the_retention_periods_come_from_settings(time_machine, settings):
    from .factories import submitted_antrag

    settings.AUFBEWAHRUNG_MONATE = {**settings.AUFBEWAHRUNG_MONATE, "zurueckgezogen": 3}
    time_machine.move_to(am(2027, 1, 15))
    antrag = submitted_antrag()
    einreichung.antrag_zurueckziehen(antrag=antrag)
    time_machine.move_to(am(2027, 4, 14))
    assert personendaten_loeschen().antraege == []
    time_machine.move_to(am(2027, 4, 15))
    assert personendaten_loeschen().antraege == [antrag.aktenzeichen]


def test_a_trial_run_deletes_nothing(zurueckgezogen, time_machine):
    time_machine.move_to(am(2029, 1, 1))
    ausgabe = io.StringIO()
    call_command("personendaten_loeschen", "--probe", stdout=ausgabe)
    assert "Würde löschen: Personendaten von 1 Anträgen" in ausgabe.getvalue()
    zurueckgezogen.refresh_from_db()
    assert zurueckgezogen.anonymisiert_am is None and zurueckgezogen.anlagen.count() == 1


def test_login_records_older_than_90_days_are_deleted(time_machine):
    time_machine.move_to(am(2027, 1, 1))
    felder = {"ip_address": "10.0.0.1", "user_agent": "x", "username": "erika"}
    AccessAttempt.objects.create(**felder, failures_since_start=3)
    AccessLog.objects.create(**felder)
    AccessFailureLog.objects.create(**felder, locked_out=False)
    time_machine.move_to(am(2027, 3, 1))
    AccessLog.objects.create(**felder | {"username": "neu"})
    time_machine.move_to(am(2027, 4, 2))  # 91 days after the first
    assert personendaten_loeschen().anmeldeprotokolle == 3
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["neu"]
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def auskunft_holen(client, email):
    antwort = client.post("/admin/antraege/antrag/auskunft/", {"email": email})
    return antwort, zipfile.ZipFile(
        io.BytesIO(antwort.content)
    ) if antwort.status_code == 200 else None


def test_the_projektbuero_exports_everything_about_one_address_as_one_file(client, zurueckgezogen):
    from .factories import submitted_antrag

    submitted_antrag(titel="Fremd", email="jemand@example.org", ansprechperson="Max Fremd")
    client.force_login(projektbuero_user("pb2"))
    seite = client.get("/admin/antraege/antrag/")
    assert "Auskunft (DSGVO)" in seite.content.decode()
    antwort, archiv = auskunft_holen(client, "  ERIKA@example.org ")
    assert antwort["Content-Type"] == "application/zip"
    assert antwort["Content-Disposition"].startswith('attachment; filename="Auskunft-')
    assert "erika" not in antwort["Content-Disposition"]
    daten = json.loads(archiv.read("auskunft.json"))
    titel = sorted(a["antrag"]["titel"] for a in daten["antraege"])
    assert titel == ["Nachbarschaftsfest am Marktplatz", "Zweiter Antrag"]
    erster = next(a for a in daten["antraege"] if a["antrag"]["titel"].startswith("Nachbar"))
    assert erster["antrag"]["iban"] and erster["antrag"]["ansprechperson"] == "Erika Beispiel"
    assert any("Ich, Erika Beispiel" in s["kommentar"] for s in erster["statusverlauf"])
    assert erster["aenderungshistorie"] and erster["mails"] and erster["kostenplan"]
    (anlage,) = erster["anlagen"]
    assert anlage["dateiname"] == "Konzept Erika Beispiel.pdf"
    assert archiv.read(anlage["im_archiv"]) == PDF_BYTES
    text = archiv.read("auskunft.json").decode()
    assert "Max Fremd" not in text and "jemand@example.org" not in text
    antrag = zurueckgezogen
    assert token(antrag) not in text and antrag.status_token_hash not in text
    assert "status_token" not in text


@pytest.mark.parametrize("rolle", ["beauftragte", LESEZUGRIFF, "ohne"])
def test_only_the_projektbuero_may_export_personal_data(client, zurueckgezogen, rolle):
    from django.contrib.auth.models import User

    if rolle == "beauftragte":
        user = beauftragte_user(Aktionsraum.objects.get(slug="hoerde"))
    elif rolle == "ohne":
        user = User.objects.create_user("nur_staff", password="x", is_staff=True)
    else:
        user = rollen_user("lesen", rolle)
    client.force_login(user)
    assert client.get("/admin/antraege/antrag/auskunft/").status_code == 403
    antwort = client.post("/admin/antraege/antrag/auskunft/", {"email": "erika@example.org"})
    assert antwort.status_code == 403
    if rolle != "ohne":
        assert "Auskunft (DSGVO)" not in client.get("/admin/antraege/antrag/").content.decode()


@pytest.mark.parametrize(
    "eingabe", ["", "keine-adresse", "a@b", "erika example.org", "<script>@x.org"]
)
def test_a_bad_address_is_refused_with_a_german_message(client, eingabe):
    client.force_login(projektbuero_user())
    antwort = client.post("/admin/antraege/antrag/auskunft/", {"email": eingabe})
    assert antwort.status_code == 200
    seite = antwort.content.decode()
    assert "Bitte geben Sie" in seite and "E-Mail-Adresse" in seite


def test_an_address_with_nothing_stored_gives_an_empty_file(client):
    client.force_login(projektbuero_user())
    _antwort, archiv = auskunft_holen(client, "niemand@example.org")
    assert json.loads(archiv.read("auskunft.json"))["antraege"] == []


def fristen_auf_der_seite(client, pfad="/datenschutz/"):
    html = client.get(pfad).content.decode()
    tabelle = html.split('id="aufbewahrung"')[1].split("</table>")[0]
    return dict(re.findall(r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td></tr>", tabelle)), html


def test_the_datenschutzerklaerung_states_the_periods_the_code_applies(client, settings):
    fristen, html = fristen_auf_der_seite(client)
    assert fristen == {
        "zurückgezogen": "1 Jahr",
        "abgelehnt": "1 Jahr",
        "Bewilligung aufgehoben": "1 Jahr",
        "abgeschlossen": "10 Jahre",
    }
    assert set(settings.AUFBEWAHRUNG_MONATE) == {
        Status.ZURUECKGEZOGEN,
        Status.ABGELEHNT,
        Status.AUFGEHOBEN,
        Status.ABGESCHLOSSEN,
    }
    assert "nach 90 Tagen" in html and "innerhalb von 24 Stunden" in html
    for cookie in ("csrftoken", "sessionid", "django_language"):
        assert cookie in html
    settings.AUFBEWAHRUNG_MONATE = {**settings.AUFBEWAHRUNG_MONATE, "abgeschlossen": 78}
    settings.AXES_PROTOKOLL_TAGE = 30
    fristen, html = fristen_auf_der_seite(client)
    assert fristen["abgeschlossen"] == "78 Monate" and "nach 30 Tagen" in html


def test_the_english_privacy_page_states_the_same_periods(client):
    fristen, _html = fristen_auf_der_seite(client, "/en/datenschutz/")
    assert fristen == {
        "withdrawn": "1 year",
        "rejected": "1 year",
        "Grant cancelled": "1 year",
        "closed": "10 years",
    }


def test_the_periods_on_the_page_are_the_ones_the_deletion_uses(client, time_machine):
    """One Antrag per final state, ended on the same day: each is deleted exactly when the
    page says."""
    from .factories import submitted_antrag

    fristen, _html = fristen_auf_der_seite(client)
    time_machine.move_to(am(2027, 1, 10))
    staff = projektbuero_user()
    for status in (
        Status.ZURUECKGEZOGEN,
        Status.ABGELEHNT,
        Status.AUFGEHOBEN,
        Status.ABGESCHLOSSEN,
    ):
        antrag = submitted_antrag(titel=status)
        Antrag.objects.filter(pk=antrag.pk).update(status=status)
        StatusAenderung.objects.create(antrag=antrag, nach=status, user=staff)
    labels = {s.label: s.value for s in Status}
    for label, text in fristen.items():
        zahl = int(text.split()[0])
        jahre = zahl if "Jahr" in text else zahl / 12
        faellig = am(2027 + int(jahre), 1, 10)
        time_machine.move_to(faellig - timedelta(days=1))
        assert labels[label] not in [
            Antrag.objects.get(aktenzeichen=a).titel
            for a in personendaten_loeschen(probe=True).antraege
        ]
        time_machine.move_to(faellig)
        assert labels[label] in [
            Antrag.objects.get(aktenzeichen=a).titel
            for a in personendaten_loeschen(probe=True).antraege
        ]


def test_the_right_of_access_leaves_out_the_previous_contact_person(client):
    from .factories import submitted_antrag

    antrag = submitted_antrag(
        email="vorher@example.org", ansprechperson="Vera Vorher", telefon="0231 111111"
    )
    auszahlung.kontaktdaten_aendern(
        antrag=antrag,
        daten={"email": "nachher@example.org", "ansprechperson": "Nina Nachher", "telefon": ""},
        by=projektbuero_user(),
    )
    client.force_login(projektbuero_user("pb2"))
    _antwort, archiv = auskunft_holen(client, "nachher@example.org")
    text = archiv.read("auskunft.json").decode()
    daten = json.loads(text)
    assert daten["antraege"][0]["antrag"]["ansprechperson"] == "Nina Nachher"
    assert daten["antraege"][0]["aenderungshistorie"]  # the rows are there, without her data
    for fremd in ["Vera Vorher", "vorher@example.org", "0231 111111"]:
        assert fremd not in text, fremd
    # The previous person gets her own rows, and nothing of the new one.
    _antwort, archiv = auskunft_holen(client, "vorher@example.org")
    text = archiv.read("auskunft.json").decode()
    assert "Vera Vorher" in text and "Nina Nachher" not in text


def test_the_right_of_access_holds_a_draft_saved_for_later_with_its_files(client):
    from antraege.services import entwurf as entwuerfe

    entwurf, _token = entwuerfe.entwurf_anlegen()
    pdf = SimpleUploadedFile("Kostenplan Erika.pdf", PDF_BYTES, "application/pdf")
    entwuerfe.anlagen_vormerken(entwurf=entwurf, dateien=[pdf])
    entwuerfe.entwurf_speichern(
        entwurf=entwurf,
        daten={"titel": "Erikas Hoffest", "ansprechperson": "Erika Beispiel"},
        email="erika@example.org",
        sprache="de",
    )
    client.force_login(projektbuero_user())
    _antwort, archiv = auskunft_holen(client, "Erika@example.org")
    daten = json.loads(archiv.read("auskunft.json"))
    (gespeichert,) = daten["gespeicherte_entwuerfe"]
    assert gespeichert["angaben"]["titel"] == "Erikas Hoffest"
    (anlage,) = gespeichert["anlagen"]
    assert anlage["dateiname"] == "Kostenplan Erika.pdf"
    assert archiv.read(anlage["im_archiv"]) == PDF_BYTES
    assert _token not in archiv.read("auskunft.json").decode()


def test_the_deletion_run_removes_internal_notes_too(time_machine):
    from .factories import submitted_antrag

    time_machine.move_to(am(2027, 3, 1))
    antrag = submitted_antrag()
    staff = projektbuero_user()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.interne_notiz_anfuegen(
        antrag=antrag, by=staff, notiz="Frau Beispiel rief an: neue Nummer 0231 999999"
    )
    einreichung.antrag_zurueckziehen(antrag=antrag, kommentar="")
    assert StatusAenderung.objects.filter(interne_notiz__contains="0231 999999").exists()
    time_machine.move_to(am(2029, 3, 1))
    personendaten_loeschen()
    notizen = list(StatusAenderung.objects.values_list("interne_notiz", flat=True))
    assert not any("999999" in n for n in notizen) and GELOESCHT in notizen
