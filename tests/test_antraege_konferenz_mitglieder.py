"""A fair Projektkonferenz: members per area, invitations with a frozen agenda, conflicts of
interest, votes and quorum, the protocol signed off and then frozen; every control in the
service, tried through each path by each role."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from antraege.models import (
    AusgehendeMail,
    Befangenheit,
    Beschluss,
    Buchung,
    Einladung,
    Mitglied,
    Projektkonferenz,
    Rolle,
    Teilnahme,
)
from antraege.rollen import LESEZUGRIFF
from antraege.selectors.konferenz import moegliche_befangenheiten, organisation_schluessel
from antraege.services import konferenz as dienst
from antraege.services.konferenz import EINVERNEHMLICH, Abstimmung
from quartiere.models import Aktionsraum
from tests.factories import (
    VALID_IBAN,
    beauftragte_user,
    entscheidungsreif,
    konferenz_fuer,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db

HEUTE = timezone.localdate


def mitglied(name, *, raum="hoerde", email="", stimmberechtigt=True, org="", **kwargs):
    return Mitglied.objects.create(
        aktionsraum=Aktionsraum.objects.get(slug=raum),
        name=name,
        rolle=kwargs.pop("rolle", Rolle.BEZIRKSVERTRETUNG),
        organisation=org,
        email=email,
        stimmberechtigt=stimmberechtigt,
        aktiv_von=kwargs.pop("von", date(2026, 1, 1)),
        aktiv_bis=kwargs.pop("bis", None),
    )


def fonds_antrag(staff, titel="Vereinsfest", org="", betrag="800.00"):
    return entscheidungsreif(
        submitted_antrag(titel=titel, organisation=org, beantragter_betrag=Decimal(betrag)), staff
    )


@pytest.fixture
def sitzung(staff):
    """A meeting held today in Hörde with two fund Anträge; its people are its members."""
    a1 = fonds_antrag(staff, "Vereinsfest", "Förderverein Hörde e. V.")
    a2 = fonds_antrag(staff, "Hoffest", "Hofgemeinschaft", "500.00")
    konferenz = konferenz_fuer(a1.aktionsraum, [a1, a2], mit_bezirksbuergermeister=False)
    mitglied("BBM (Testeintrag)", rolle=Rolle.BEZIRKSBUERGERMEISTER, email="bbm@example.org")
    mitglied("Vorstand (Testeintrag)", org="Förderverein Hörde e.V.", email="v@example.org")
    mitglied("Bewohnerin (Testeintrag)", rolle=Rolle.BUERGERSCHAFT)
    mitglied("Beraterin (Testeintrag)", stimmberechtigt=False, email="b@example.org")
    dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=staff)
    Teilnahme.objects.filter(konferenz=konferenz).update(anwesend=True)
    return konferenz, a1, a2


def person(konferenz, name):
    return konferenz.teilnahmen.get(name=name)


def aenderung(konferenz, **werte):
    """A complete, valid post of the conference's admin page (its people unchanged)."""
    teilnahmen = list(konferenz.teilnahmen.order_by("id"))
    daten = {
        "aktionsraum": konferenz.aktionsraum_id,
        "datum": konferenz.datum.strftime("%d.%m.%Y"),
        "ort": konferenz.ort,
        "tagesordnung": list(konferenz.tagesordnung.values_list("pk", flat=True)),
        "protokoll": konferenz.protokoll,
        "teilnahmen-TOTAL_FORMS": str(len(teilnahmen)),
        "teilnahmen-INITIAL_FORMS": str(len(teilnahmen)),
        "beschluesse-TOTAL_FORMS": "0",
        "beschluesse-INITIAL_FORMS": "0",
    }
    for n, t in enumerate(teilnahmen):
        daten |= {
            f"teilnahmen-{n}-id": t.pk,
            f"teilnahmen-{n}-konferenz": konferenz.pk,
            f"teilnahmen-{n}-name": t.name,
            f"teilnahmen-{n}-rolle": t.rolle,
            **({f"teilnahmen-{n}-stimmberechtigt": "on"} if t.stimmberechtigt else {}),
            **({f"teilnahmen-{n}-anwesend": "on"} if t.anwesend else {}),
        }
    return daten | werte


# --- Members and the list of people ---------------------------------------------------------


def test_a_conference_gets_the_members_active_on_its_day_not_yet_present(staff):
    konferenz = konferenz_fuer(
        Aktionsraum.objects.get(slug="hoerde"), mit_bezirksbuergermeister=False
    )
    mitglied("Aktiv", stimmberechtigt=False)
    mitglied("Ausgeschieden", bis=HEUTE() - timedelta(days=1))
    mitglied("Erst ab morgen", von=HEUTE() + timedelta(days=1))
    mitglied("Anderer Raum", raum="marten")
    assert dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=staff) == 1
    teilnahme = konferenz.teilnahmen.get()
    assert (teilnahme.name, teilnahme.anwesend, teilnahme.stimmberechtigt) == (
        "Aktiv",
        False,
        False,
    )
    # Once more: nobody twice.
    assert dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=staff) == 0


def test_a_conference_created_in_the_admin_lists_the_members(staff_client):
    mitglied("BBM (Testeintrag)", rolle=Rolle.BEZIRKSBUERGERMEISTER)
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    antwort = staff_client.post(
        "/admin/antraege/projektkonferenz/add/",
        {
            "aktionsraum": hoerde.pk,
            "datum": HEUTE().strftime("%d.%m.%Y"),
            "ort": "Stadtteilzentrum",
            "teilnahmen-TOTAL_FORMS": "0",
            "teilnahmen-INITIAL_FORMS": "0",
            "beschluesse-TOTAL_FORMS": "0",
            "beschluesse-INITIAL_FORMS": "0",
        },
    )
    assert antwort.status_code == 302, antwort.content.decode()[:3000]
    assert list(Teilnahme.objects.values_list("name", "anwesend")) == [("BBM (Testeintrag)", False)]


def test_a_member_cannot_leave_before_joining():
    m = Mitglied(
        aktionsraum=Aktionsraum.objects.get(slug="hoerde"),
        name="X",
        rolle=Rolle.SONSTIGE,
        aktiv_von=date(2026, 5, 1),
        aktiv_bis=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError, match="nicht vor „Mitglied seit“"):
        m.full_clean()


# --- Invitations ----------------------------------------------------------------------------


def test_the_invitation_goes_to_members_with_an_address_without_private_data(
    staff, sitzung, django_capture_on_commit_callbacks
):
    konferenz, a1, _a2 = sitzung
    with django_capture_on_commit_callbacks(execute=True):
        einladung = dienst.einladung_versenden(konferenz=konferenz, by=staff)
    assert einladung.nummer == 1
    assert sorted(einladung.per_mail) == [
        "BBM (Testeintrag)",
        "Beraterin (Testeintrag)",
        "Vorstand (Testeintrag)",
    ]
    assert einladung.ausgedruckt == ["Bewohnerin (Testeintrag)"]
    assert {tuple(m.to) for m in mail.outbox} == {
        ("bbm@example.org",),
        ("v@example.org",),
        ("b@example.org",),
    }
    text = mail.outbox[0].body
    assert a1.aktenzeichen in text and "Förderverein Hörde e. V." in text and "800,00" in text
    for privat in (a1.email, a1.ansprechperson, a1.strasse, VALID_IBAN[:4], "0532"):
        assert privat not in text
    assert "Einladung: Projektkonferenz Hörde am" in mail.outbox[0].subject


def test_an_unchanged_agenda_is_not_sent_twice_and_a_changed_one_is_kept_as_sent(staff, sitzung):
    konferenz, a1, a2 = sitzung
    dienst.einladung_versenden(konferenz=konferenz, by=staff)
    with pytest.raises(ValidationError, match="schon am .* versandt"):
        dienst.einladung_versenden(konferenz=konferenz, by=staff)
    konferenz.tagesordnung.remove(a2)
    zweite = dienst.einladung_versenden(konferenz=konferenz, by=staff)
    assert zweite.nummer == 2
    erste = Einladung.objects.get(konferenz=konferenz, nummer=1)
    assert [p["aktenzeichen"] for p in erste.tagesordnung] == [a1.aktenzeichen, a2.aktenzeichen]
    assert [p["aktenzeichen"] for p in zweite.tagesordnung] == [a1.aktenzeichen]
    betreffe = list(AusgehendeMail.objects.values_list("betreff", flat=True))
    assert sum(b.startswith("Geänderte Einladung:") for b in betreffe) == 3


def test_changing_agenda_date_or_place_in_the_admin_sends_the_changed_invitation(
    staff, staff_client, sitzung
):
    konferenz, a1, a2 = sitzung
    dienst.einladung_versenden(konferenz=konferenz, by=staff)
    a3 = fonds_antrag(staff, "Lesepaten", betrag="300.00")
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/"
    antwort = staff_client.post(
        url, aenderung(konferenz, tagesordnung=[a1.pk, a2.pk, a3.pk]), follow=True
    )
    assert "Einladung 2 versandt: per E-Mail an 3 Mitglieder." in antwort.content.decode()
    antwort = staff_client.post(url, aenderung(konferenz, ort="Bürgerhaus"), follow=True)
    assert "Einladung 3 versandt" in antwort.content.decode()
    dritte = Einladung.objects.get(konferenz=konferenz, nummer=3)
    assert dritte.ort == "Bürgerhaus" and len(dritte.tagesordnung) == 3
    assert Einladung.objects.get(konferenz=konferenz, nummer=1).ort == "Stadtteilzentrum"
    # Saving without a change sends nothing.
    konferenz.refresh_from_db()
    staff_client.post(url, aenderung(konferenz))
    assert Einladung.objects.filter(konferenz=konferenz).count() == 3


def test_a_member_added_later_is_invited_and_put_on_the_list_once(staff, sitzung):
    konferenz, *_ = sitzung
    dienst.einladung_versenden(konferenz=konferenz, by=staff)
    # A deputy typed in by hand, then entered as a member under the same name.
    Teilnahme.objects.create(konferenz=konferenz, name="Stellvertreter (Testeintrag)",
                             rolle=Rolle.BEZIRKSBUERGERMEISTER)  # fmt: skip
    mitglied("Stellvertreter (Testeintrag)", email="sv@example.org")
    mitglied("Neu (Testeintrag)", email="neu@example.org")
    konferenz.ort = "Bürgerhaus"
    konferenz.save()
    zweite = dienst.einladung_versenden(konferenz=konferenz, by=staff)
    assert "Neu (Testeintrag)" in zweite.per_mail
    namen = list(konferenz.teilnahmen.values_list("name", flat=True))
    assert namen.count("Stellvertreter (Testeintrag)") == 1 and "Neu (Testeintrag)" in namen
    assert konferenz.teilnahmen.get(name="Stellvertreter (Testeintrag)").mitglied is not None


def test_a_person_typed_in_by_hand_neither_votes_nor_counts_until_marked():
    konferenz = konferenz_fuer(
        Aktionsraum.objects.get(slug="hoerde"), mit_bezirksbuergermeister=False
    )
    gast = Teilnahme.objects.create(konferenz=konferenz, name="Gast", rolle=Rolle.SONSTIGE)
    assert (gast.stimmberechtigt, gast.anwesend) == (False, False)
    assert dienst.stimmen_moeglich(konferenz, fonds_antrag(projektbuero_user("pb2"))) == 0


def test_no_invitation_without_members_or_after_the_meeting(staff):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    leer = konferenz_fuer(hoerde, mit_bezirksbuergermeister=False)
    with pytest.raises(ValidationError, match="keine Mitglieder der Projektkonferenz"):
        dienst.einladung_versenden(konferenz=leer, by=staff)
    mitglied("BBM", email="bbm@example.org")
    vorbei = konferenz_fuer(hoerde, datum=HEUTE() - timedelta(days=1))
    with pytest.raises(ValidationError, match="schon stattgefunden"):
        dienst.einladung_versenden(konferenz=vorbei, by=staff)


def test_the_printed_invitation_shows_the_agenda_as_sent_one_page_per_member(
    staff, staff_client, sitzung
):
    konferenz, _a1, a2 = sitzung
    dienst.einladung_versenden(konferenz=konferenz, by=staff)
    konferenz.tagesordnung.remove(a2)  # changed afterwards: the print shows what was sent
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/einladung/1/"
    ).content.decode()
    assert "Bewohnerin (Testeintrag)" in html and "Hoffest" in html
    assert "BBM (Testeintrag)</p>" not in html  # has it by mail
    assert (
        staff_client.get(
            f"/admin/antraege/projektkonferenz/{konferenz.pk}/einladung/2/"
        ).status_code
        == 404
    )


# --- Conflicts of interest ------------------------------------------------------------------


def test_organisations_are_compared_without_case_accents_and_legal_form():
    assert organisation_schluessel("Förderverein Hörde e. V.") == organisation_schluessel(
        "FOERDERVEREIN HÖRDE e.V."
    )
    assert organisation_schluessel("Jugend gGmbH") == "jugend"
    assert organisation_schluessel("Hofgemeinschaft") != organisation_schluessel("Hof")


def test_a_member_of_the_applying_organisation_is_flagged_until_recorded(staff, sitzung):
    konferenz, a1, _a2 = sitzung
    treffer = moegliche_befangenheiten(konferenz)
    assert [(t.teilnahme.name, t.antrag.pk) for t in treffer] == [("Vorstand (Testeintrag)", a1.pk)]
    dienst.befangenheit_erfassen(
        konferenz=konferenz,
        teilnahme=person(konferenz, "Vorstand (Testeintrag)"),
        antrag=a1,
        grund="Vorstand",
        by=staff,
    )
    assert moegliche_befangenheiten(konferenz) == []


def test_a_conflict_is_left_out_of_the_count_and_the_quorum(staff, sitzung):
    konferenz, a1, a2 = sitzung
    Aktionsraum.objects.filter(slug="hoerde").update(konferenz_quorum=3)
    konferenz.refresh_from_db()
    assert dienst.stimmen_moeglich(konferenz, a1) == 3  # the adviser has no vote
    dienst.befangenheit_erfassen(
        konferenz=konferenz,
        teilnahme=person(konferenz, "Vorstand (Testeintrag)"),
        antrag=a1,
        grund="Vorstand des Vereins",
        by=staff,
    )
    assert dienst.stimmen_moeglich(konferenz, a1) == 2
    assert dienst.stimmen_moeglich(konferenz, a2) == 3
    with pytest.raises(ValidationError, match="nicht beschlussfähig: 2 .* nötig sind 3"):
        dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis="bewilligt", betrag=Decimal("800.00"),
            abstimmung=EINVERNEHMLICH, by=staff,
        )  # fmt: skip
    assert not Beschluss.objects.exists() and not Buchung.objects.filter(antrag=a1).exists()
    # Adjourned it may be; the other item has its quorum.
    dienst.beschluss_fassen(konferenz=konferenz, antrag=a1, ergebnis="vertagt", by=staff)
    beschluss = dienst.beschluss_fassen(
        konferenz=konferenz, antrag=a2, ergebnis="bewilligt", betrag=Decimal("500.00"),
        abstimmung=Abstimmung("abgestimmt", 2, 0, 1), by=staff,
    )  # fmt: skip
    assert (beschluss.ja, beschluss.nein, beschluss.enthaltung, beschluss.stimmen_moeglich) == (
        2,
        0,
        1,
        3,
    )


def test_a_conflict_comes_before_the_beschluss_and_only_for_this_meeting(staff, sitzung):
    konferenz, a1, a2 = sitzung
    vorstand = person(konferenz, "Vorstand (Testeintrag)")
    with pytest.raises(ValidationError, match="Grund"):
        dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=vorstand, antrag=a1, grund="  ", by=staff
        )
    andere = konferenz_fuer(a1.aktionsraum, [a1])
    fremde_person = andere.teilnahmen.get()
    with pytest.raises(ValidationError, match="gehört nicht zu dieser Konferenz"):
        dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=fremde_person, antrag=a1, grund="x", by=staff
        )
    nicht_auf_to = fonds_antrag(staff, "Woanders")
    with pytest.raises(ValidationError, match="nicht auf der Tagesordnung"):
        dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=vorstand, antrag=nicht_auf_to, grund="x", by=staff
        )
    dienst.beschluss_fassen(konferenz=konferenz, antrag=a2, ergebnis="vertagt", by=staff)
    with pytest.raises(ValidationError, match="schon ein Beschluss"):
        dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=vorstand, antrag=a2, grund="x", by=staff
        )
    eintrag = dienst.befangenheit_erfassen(
        konferenz=konferenz, teilnahme=vorstand, antrag=a1, grund="Vorstand", by=staff
    )
    with pytest.raises(ValidationError, match="schon als befangen"):
        dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=vorstand, antrag=a1, grund="x", by=staff
        )
    dienst.befangenheit_aufheben(befangenheit=eintrag, by=staff)
    assert not Befangenheit.objects.exists()


def test_the_form_offers_only_this_meetings_people_and_open_items(staff, staff_client, sitzung):
    konferenz, a1, _a2 = sitzung
    andere = konferenz_fuer(a1.aktionsraum, [a1])
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/befangenheit/"
    html = staff_client.post(
        url, {"teilnahme": andere.teilnahmen.get().pk, "antrag": a1.pk, "grund": "x"}
    ).content.decode()
    assert "Bitte wählen Sie eine Person dieser Konferenz." in html
    assert not Befangenheit.objects.exists()
    html = staff_client.post(url, {"teilnahme": "", "antrag": "", "grund": ""}).content.decode()
    for meldung in (
        "Bitte wählen Sie die Person.",
        "Bitte wählen Sie den Antrag.",
        "Bitte geben Sie den Grund der Befangenheit an.",
    ):
        assert meldung in html
    # Someone else's entry cannot be struck through this meeting's page.
    eintrag = dienst.befangenheit_erfassen(
        konferenz=andere, teilnahme=andere.teilnahmen.get(), antrag=a1, grund="x", by=staff
    )
    assert staff_client.post(url, {"aufheben": eintrag.pk}).status_code == 404
    assert staff_client.post(url, {"aufheben": "1' OR 1=1"}).status_code == 404
    assert Befangenheit.objects.filter(pk=eintrag.pk).exists()


def test_a_person_recorded_as_befangen_stays_on_the_list(staff, staff_client, sitzung):
    konferenz, a1, a2 = sitzung
    vorstand = person(konferenz, "Vorstand (Testeintrag)")
    dienst.befangenheit_erfassen(
        konferenz=konferenz, teilnahme=vorstand, antrag=a1, grund="Vorstand", by=staff
    )
    daten = aenderung(konferenz)
    n = list(konferenz.teilnahmen.order_by("id")).index(vorstand)
    daten[f"teilnahmen-{n}-DELETE"] = "on"
    html = staff_client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/", daten
    ).content.decode()
    assert "erfordern: Befangenheit Vorstand (Testeintrag)" in html
    assert Teilnahme.objects.filter(pk=vorstand.pk).exists()


# --- Votes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ergebnis", "abstimmung", "meldung"),
    [
        ("bewilligt", None, "wie abgestimmt wurde"),
        ("abgelehnt", None, "wie abgestimmt wurde"),
        ("bewilligt", Abstimmung("abgestimmt", 1, 1, 1), "mehr Ja- als Nein-Stimmen"),
        ("abgelehnt", Abstimmung("abgestimmt", 2, 1, 0), "nicht abgelehnt"),
        ("bewilligt", Abstimmung("abgestimmt", 3, 1, 0), r"zusammen \(4\) müssen .* \(3\)"),
        ("bewilligt", Abstimmung("abgestimmt", 1, 0, 0), r"zusammen \(1\) müssen .* \(3\)"),
        ("bewilligt", Abstimmung("abgestimmt", None, 1, 0), "jeweils 0 oder mehr"),
        ("bewilligt", Abstimmung("abgestimmt", 2, -1, 0), "jeweils 0 oder mehr"),
        ("bewilligt", Abstimmung("abgestimmt", 0, 0, 0), "keine Stimme"),
        ("bewilligt", Abstimmung("einvernehmlich", 3, 0, 0), "keine Stimmen gezählt"),
        ("bewilligt", Abstimmung("per Zuruf"), "wie abgestimmt wurde"),
    ],
)
def test_a_vote_that_does_not_fit_is_refused(staff, sitzung, ergebnis, abstimmung, meldung):
    konferenz, a1, _a2 = sitzung
    with pytest.raises(ValidationError, match=meldung):
        dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis=ergebnis, betrag=Decimal("800.00"),
            begruendung="Grund", abstimmung=abstimmung, by=staff,
        )  # fmt: skip
    assert not Beschluss.objects.exists() and not Buchung.objects.filter(antrag=a1).exists()


def test_the_meeting_page_refuses_a_vote_at_its_row_and_keeps_every_value(staff_client, sitzung):
    konferenz, a1, a2 = sitzung
    p1, p2 = f"tp-{a1.pk}-", f"tp-{a2.pk}-"
    html = staff_client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {
            p1 + "ergebnis": "bewilligt",
            p1 + "abstimmung": "abgestimmt",
            p1 + "ja": "1",
            p1 + "nein": "2",
            p1 + "enthaltung": "x",
            p2 + "ergebnis": "abgelehnt",
            p2 + "begruendung": "Kein Bezug.",
        },
    ).content.decode()
    assert "Enthaltung: Bitte geben Sie eine ganze Zahl ein." in html
    assert f"{a2.aktenzeichen}, Abstimmung: Bitte tragen Sie ein, wie abgestimmt wurde" in html
    assert f'name="{p1}ja" id="id_{p1}ja" value="1"' in html
    assert not Beschluss.objects.exists()


def test_no_beschluss_without_the_bezirksbuergermeisterin_present(staff, sitzung):
    konferenz, a1, _a2 = sitzung
    konferenz.teilnahmen.filter(rolle=Rolle.BEZIRKSBUERGERMEISTER).update(anwesend=False)
    with pytest.raises(ValidationError, match="als anwesend ein"):
        dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis="bewilligt", betrag=Decimal("800.00"),
            abstimmung=EINVERNEHMLICH, by=staff,
        )  # fmt: skip


# --- The protocol ---------------------------------------------------------------------------


def test_the_protocol_is_signed_off_only_when_every_item_is_decided_then_frozen(
    staff, staff_client, sitzung
):
    konferenz, a1, a2 = sitzung
    with pytest.raises(ValidationError, match="Bitte geben Sie an, wer"):
        dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung=" ", by=staff)
    dienst.beschluss_fassen(konferenz=konferenz, antrag=a1, ergebnis="vertagt", by=staff)
    with pytest.raises(ValidationError, match=f"Zu {a2.aktenzeichen} fehlt noch der Beschluss"):
        dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung="P", by=staff)
    dienst.beschluss_fassen(
        konferenz=konferenz, antrag=a2, ergebnis="abgelehnt", begruendung="Kein Bezug.",
        abstimmung=EINVERNEHMLICH, by=staff,
    )  # fmt: skip
    dienst.protokoll_abschliessen(
        konferenz=konferenz, protokollfuehrung="Protokoll (Testeintrag)", by=staff
    )
    konferenz.refresh_from_db()
    assert konferenz.abgeschlossen and konferenz.protokoll_abgeschlossen_von == staff
    vorstand = person(konferenz, "Vorstand (Testeintrag)")
    for schritt in (
        lambda: dienst.einladung_versenden(konferenz=konferenz, by=staff),
        lambda: dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=staff),
        lambda: dienst.befangenheit_erfassen(
            konferenz=konferenz, teilnahme=vorstand, antrag=a1, grund="x", by=staff
        ),
        lambda: dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung="P", by=staff),
        lambda: dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis="vertagt", by=staff
        ),
    ):
        with pytest.raises(ValidationError, match="Protokoll dieser Konferenz ist am"):
            schritt()
    # The admin form changes nothing any more: a complete, valid save is refused.
    antwort = staff_client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/",
        aenderung(konferenz, ort="Anderswo", protokoll="nachträglich", tagesordnung=[a1.pk]),
    )
    assert antwort.status_code == 403
    konferenz.refresh_from_db()
    assert konferenz.ort == "Stadtteilzentrum" and konferenz.protokoll == ""
    assert konferenz.tagesordnung.count() == 2
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    ).content.decode()
    assert "von Protokoll (Testeintrag) (Protokollführung)" in html


# --- Who may do what: every path by every role ----------------------------------------------


def _fremd():
    return beauftragte_user(Aktionsraum.objects.get(slug="marten"), "fremd")


KONTEN = {
    "projektbuero": lambda staff: staff,
    "beauftragte": lambda staff: beauftragte_user(Aktionsraum.objects.get(slug="hoerde"), "ba"),
    "beauftragte_fremd": lambda staff: _fremd(),
    "lesezugriff": lambda staff: rollen_user("lz", LESEZUGRIFF),
}
DARF = {"projektbuero", "beauftragte"}


def _einladung(konferenz, user, _a1):
    return dienst.einladung_versenden(konferenz=konferenz, by=user)


def _befangenheit(konferenz, user, a1):
    return dienst.befangenheit_erfassen(
        konferenz=konferenz,
        teilnahme=person(konferenz, "Vorstand (Testeintrag)"),
        antrag=a1,
        grund="Vorstand",
        by=user,
    )


def _abschluss(konferenz, user, a1):
    return dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung="P", by=user)


def _mitglieder(konferenz, user, _a1):
    return dienst.teilnahmen_aus_mitgliedern(konferenz=konferenz, by=user)


@pytest.mark.parametrize("rolle", list(KONTEN))
@pytest.mark.parametrize("schritt", [_einladung, _befangenheit, _abschluss, _mitglieder])
def test_the_services_refuse_whoever_may_not_keep_this_meeting(staff, sitzung, rolle, schritt):
    konferenz, a1, a2 = sitzung
    if schritt is _abschluss:
        for antrag in (a1, a2):
            dienst.beschluss_fassen(
                konferenz=konferenz, antrag=antrag, ergebnis="vertagt", by=staff
            )
    user = KONTEN[rolle](staff)
    if rolle in DARF:
        schritt(konferenz, user, a1)
    else:
        with pytest.raises(PermissionDenied):
            schritt(konferenz, user, a1)


def _post_einladung(konferenz, a1):
    return "einladung/", {}, lambda: konferenz.einladungen.count() == 1


def _post_befangenheit(konferenz, a1):
    daten = {
        "teilnahme": person(konferenz, "Vorstand (Testeintrag)").pk,
        "antrag": a1.pk,
        "grund": "Vorstand",
    }
    return "befangenheit/", daten, lambda: konferenz.befangenheiten.count() == 1


def _post_abschluss(konferenz, a1):
    return (
        "abschliessen/",
        {"protokollfuehrung": "P"},
        lambda: Projektkonferenz.objects.get(pk=konferenz.pk).abgeschlossen,
    )


@pytest.mark.parametrize("rolle", list(KONTEN))
@pytest.mark.parametrize("weg", [_post_einladung, _post_befangenheit, _post_abschluss])
def test_each_step_of_a_meeting_through_its_page_by_role(client, staff, sitzung, rolle, weg):
    """A valid post of each step: done for the roles that keep this meeting, refused (and
    nothing done) for the others."""
    konferenz, a1, a2 = sitzung
    if weg is _post_abschluss:
        for antrag in (a1, a2):
            dienst.beschluss_fassen(
                konferenz=konferenz, antrag=antrag, ergebnis="vertagt", by=staff
            )
    pfad, daten, getan = weg(konferenz, a1)
    client.force_login(KONTEN[rolle](staff))
    antwort = client.post(f"/admin/antraege/projektkonferenz/{konferenz.pk}/{pfad}", daten)
    if rolle in DARF:
        assert antwort.status_code == 302 and getan()
    else:
        assert antwort.status_code == {"beauftragte_fremd": 404, "lesezugriff": 403}[rolle]
        assert not getan()


@pytest.mark.parametrize("rolle", list(KONTEN))
@pytest.mark.parametrize("pfad", ["einladung/1/", "befangenheit/", "protokoll/"])
def test_each_page_of_a_meeting_is_read_only_by_its_areas_accounts(
    client, staff, sitzung, rolle, pfad
):
    konferenz, *_ = sitzung
    dienst.einladung_versenden(konferenz=konferenz, by=staff)
    client.force_login(KONTEN[rolle](staff))
    antwort = client.get(f"/admin/antraege/projektkonferenz/{konferenz.pk}/{pfad}")
    assert antwort.status_code == (404 if rolle == "beauftragte_fremd" else 200)
    if rolle == "lesezugriff" and pfad == "befangenheit/":
        assert "Befangenheit eintragen</button>" not in antwort.content.decode()


@pytest.mark.parametrize("rolle", list(KONTEN))
def test_the_members_list_by_role(client, staff, rolle):
    eigen = mitglied("Eigen (Testeintrag)")
    fremd = mitglied("Fremd (Testeintrag)", raum="marten")
    user = KONTEN[rolle](staff)
    client.force_login(user)
    html = client.get("/admin/antraege/mitglied/").content.decode()
    sieht = {
        "projektbuero": {"Eigen", "Fremd"},
        "beauftragte": {"Eigen"},
        "beauftragte_fremd": {"Fremd"},
        "lesezugriff": {"Eigen", "Fremd"},
    }[rolle]
    assert {n for n in ("Eigen", "Fremd") if f"{n} (Testeintrag)" in html} == sieht
    antwort = client.post(
        f"/admin/antraege/mitglied/{eigen.pk}/change/",
        {
            "aktionsraum": eigen.aktionsraum_id,
            "name": "Geändert",
            "rolle": Rolle.SONSTIGE,
            "aktiv_von": "01.01.2026",
        },
    )
    geaendert = Mitglied.objects.get(pk=eigen.pk).name == "Geändert"
    assert geaendert == (rolle in DARF), antwort.status_code
    # A Beauftragte cannot put a member into another area.
    if rolle == "beauftragte":
        client.post(
            f"/admin/antraege/mitglied/{eigen.pk}/change/",
            {
                "aktionsraum": fremd.aktionsraum_id,
                "name": "Umgezogen",
                "rolle": Rolle.SONSTIGE,
                "aktiv_von": "01.01.2026",
            },
        )
        assert Mitglied.objects.get(pk=eigen.pk).aktionsraum.slug == "hoerde"


def test_a_befangen_bezirksbuergermeisterin_lets_the_item_only_be_adjourned(staff, sitzung):
    konferenz, a1, _a2 = sitzung
    dienst.befangenheit_erfassen(
        konferenz=konferenz, teilnahme=person(konferenz, "BBM (Testeintrag)"), antrag=a1,
        grund="Schirmherrin", by=staff,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Bezirksbürgermeister befangen"):
        dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis="abgelehnt", begruendung="x",
            abstimmung=Abstimmung("abgestimmt", 0, 2, 0), by=staff,
        )  # fmt: skip
    beschluss = dienst.beschluss_fassen(
        konferenz=konferenz, antrag=a1, ergebnis="vertagt", by=staff,
        abstimmung=Abstimmung("abgestimmt", 2, 0, 0),
    )  # fmt: skip
    # An adjournment keeps its vote when one was taken.
    assert (beschluss.ergebnis, beschluss.ja, beschluss.stimmen_moeglich) == ("vertagt", 2, 2)


def test_counts_with_einvernehmlich_are_refused_not_dropped(staff_client, sitzung):
    konferenz, a1, _a2 = sitzung
    p = f"tp-{a1.pk}-"
    html = staff_client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {p + "ergebnis": "bewilligt", p + "abstimmung": "einvernehmlich", p + "ja": "3",
         p + "nein": "0", p + "enthaltung": "0"},
    ).content.decode()  # fmt: skip
    assert "Bei „einvernehmlich“ werden keine Stimmen gezählt." in html
    assert not Beschluss.objects.exists()


def test_the_signed_protocol_keeps_the_quorum_that_applied(staff, staff_client, sitzung):
    konferenz, a1, a2 = sitzung
    Aktionsraum.objects.filter(slug="hoerde").update(konferenz_quorum=2)
    for antrag in (a1, a2):
        dienst.beschluss_fassen(konferenz=konferenz, antrag=antrag, ergebnis="vertagt", by=staff)
    dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung="P", by=staff)
    Aktionsraum.objects.filter(slug="hoerde").update(konferenz_quorum=7)
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    ).content.decode()
    assert "Beschlussfähig ab 2 stimmberechtigten Mitgliedern" in html and "ab 7" not in html


def test_a_save_begun_before_the_sign_off_does_not_undo_it(rf, staff, sitzung):
    """The admin saves under the conference's lock and finds the protocol closed meanwhile."""
    from django.contrib import admin

    konferenz, a1, a2 = sitzung
    alt = Projektkonferenz.objects.get(pk=konferenz.pk)  # the page as opened
    for antrag in (a1, a2):
        dienst.beschluss_fassen(konferenz=konferenz, antrag=antrag, ergebnis="vertagt", by=staff)
    dienst.protokoll_abschliessen(konferenz=konferenz, protokollfuehrung="P", by=staff)
    alt.ort = "Anderswo"
    anfrage = rf.post("/")
    anfrage.user = staff
    with pytest.raises(PermissionDenied, match="abgeschlossen"):
        admin.site._registry[Projektkonferenz].save_model(anfrage, alt, None, change=True)
    konferenz.refresh_from_db()
    assert konferenz.abgeschlossen and konferenz.ort == "Stadtteilzentrum"


@pytest.mark.parametrize("rolle", ["projektbuero", "lesezugriff"])
@pytest.mark.parametrize("modell", ["projektkonferenz", "mitglied", "antrag", "haushaltsjahr"])
def test_an_old_version_in_the_history_is_only_read_never_saved(
    client, staff, sitzung, rolle, modell
):
    """simple-history would save a post to an old version's page (a revert) with the mere
    right to view it; every history page refuses it."""
    from django.apps import apps

    konferenz, a1, _a2 = sitzung
    objekt = {
        "projektkonferenz": konferenz,
        "mitglied": Mitglied.objects.first(),
        "antrag": a1,
        "haushaltsjahr": a1.haushaltsjahr,
    }[modell]
    version = objekt.history.order_by("history_id").first()
    vorher = apps.get_model("antraege", modell).objects.filter(pk=objekt.pk).values().get()
    client.force_login(KONTEN[rolle](staff))
    url = f"/admin/antraege/{modell}/{objekt.pk}/history/{version.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "X", "ort": "X", "titel": "X"}).status_code == 403
    nachher = apps.get_model("antraege", modell).objects.filter(pk=objekt.pk).values().get()
    assert nachher == vorher


def test_the_read_only_role_does_not_see_members_addresses(client, staff):
    eigen = mitglied("Eigen (Testeintrag)", email="eigen@example.org")
    for rolle, sieht in (("lesezugriff", False), ("beauftragte", True), ("projektbuero", True)):
        client.force_login(KONTEN[rolle](staff))
        html = client.get(f"/admin/antraege/mitglied/{eigen.pk}/change/").content.decode()
        assert ("eigen@example.org" in html) == sieht, rolle


def test_a_conflict_entered_in_error_is_struck_on_its_page(staff, staff_client, sitzung):
    konferenz, a1, _a2 = sitzung
    eintrag = dienst.befangenheit_erfassen(
        konferenz=konferenz, teilnahme=person(konferenz, "Vorstand (Testeintrag)"), antrag=a1,
        grund="Irrtum", by=staff,
    )  # fmt: skip
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/befangenheit/"
    antwort = staff_client.post(url, {"aufheben": eintrag.pk}, follow=True)
    assert antwort.redirect_chain[-1][0] == url
    assert "Die Befangenheit von Vorstand (Testeintrag) bei" in antwort.content.decode()
    assert not Befangenheit.objects.exists()
