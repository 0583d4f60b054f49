""" "Beschlüsse erfassen" (issue 36 point 1): one row per agenda item, saved in one
transaction; a refused save books nothing, keeps every typed value in every row and names the
row and the field; a value can never move to another Antrag."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from antraege.models import Antrag, AusgehendeMail, Beschluss, Buchung, Status
from antraege.rollen import LESEZUGRIFF
from antraege.services import konferenz as konferenz_dienst
from quartiere.models import Aktionsraum

from .factories import beauftragte_user, konferenz_fuer, rollen_user, submitted_antrag

pytestmark = pytest.mark.django_db


def entscheidungsreif(titel, betrag):
    antrag = submitted_antrag(titel=titel, beantragter_betrag=Decimal(betrag))
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return Antrag.objects.get(pk=antrag.pk)


@pytest.fixture
def sitzung():
    a1 = entscheidungsreif("Lesecafé", "850.00")
    a2 = entscheidungsreif("Hoffest", "1000.00")
    a3 = entscheidungsreif("Nähkurs", "300.00")
    return konferenz_fuer(a1.aktionsraum, [a1, a2, a3]), a1, a2, a3


def url(konferenz):
    return f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/"


def zeile(antrag, ergebnis, betrag="", begruendung="", abstimmung="einvernehmlich"):
    p = f"tp-{antrag.pk}-"
    return {
        p + "ergebnis": ergebnis,
        p + "betrag": betrag,
        p + "begruendung": begruendung,
        p + "abstimmung": abstimmung,
    }


def protokoll_punkte(html):
    """(Aktenzeichen, Beschluss) of every agenda item of the printed Protokoll, in order."""
    return re.findall(
        r"<h3>TOP \d+: (AP-[\d-]+) – .*?<dt>Beschluss</dt><dd>([^<:]*)", html, flags=re.S
    )


def wert(html, name):
    """The value the page shows in the field `name` (input or textarea)."""
    treffer = re.search(rf'name="{name}" id="[^"]+" value="([^"]*)"', html)
    if treffer:
        return treffer.group(1)
    treffer = re.search(rf'<textarea name="{name}"[^>]*>([^<]*)</textarea>', html)
    return treffer.group(1) if treffer else None


def test_the_page_has_one_row_per_open_item_named_by_its_antrag(staff_client, sitzung):
    konferenz, a1, a2, a3 = sitzung
    html = staff_client.get(url(konferenz)).content.decode()
    for antrag in (a1, a2, a3):
        assert f'id="zeile-{antrag.pk}"' in html
        assert f'name="tp-{antrag.pk}-ergebnis"' in html and f'name="tp-{antrag.pk}-betrag"' in html
    # "noch kein Beschluss" is chosen until someone chooses.
    assert len(re.findall(r'value="offen"[^>]*checked', html)) == 3


def test_a_meeting_is_saved_in_one_go(staff_client, sitzung):
    konferenz, a1, a2, a3 = sitzung
    daten = {
        **zeile(a1, "bewilligt"),  # empty amount: the amount asked for
        **zeile(a2, "teilweise", "600,00", "Nur die Sachkosten."),
        **zeile(a3, "abgelehnt", "", "Kein Bezug zum Quartier."),
    }
    antwort = staff_client.post(url(konferenz), daten, follow=True)
    html = antwort.content.decode()
    assert "Eingetragen:" in html and a1.aktenzeichen in html
    ergebnis = {b.antrag_id: (b.ergebnis, b.betrag) for b in Beschluss.objects.all()}
    assert ergebnis == {
        a1.pk: ("bewilligt", Decimal("850.00")),
        a2.pk: ("bewilligt", Decimal("600.00")),
        a3.pk: ("abgelehnt", None),
    }
    assert {a.pk: a.status for a in Antrag.objects.all()} == {
        a1.pk: Status.BEWILLIGT,
        a2.pk: Status.BEWILLIGT,
        a3.pk: Status.ABGELEHNT,
    }


def test_a_refused_row_books_nothing_and_keeps_every_value(staff_client, sitzung):
    """The case from the issue: 850 € asked, more granted. Nothing is booked, every row keeps
    what was typed, and the error names the row and the field."""
    konferenz, a1, a2, a3 = sitzung
    mail.outbox.clear()
    mails_vorher = AusgehendeMail.objects.count()
    daten = {
        **zeile(a1, "bewilligt", "9.000,00", "Ein Versehen"),
        **zeile(a2, "teilweise", "600,00", "Nur die Sachkosten."),
        **zeile(a3, "vertagt", "", "Fragen zum Ort offen."),
    }
    antwort = staff_client.post(url(konferenz), daten)
    html = antwort.content.decode()
    assert antwort.status_code == 200
    assert not Beschluss.objects.exists() and not Buchung.objects.exists()
    assert AusgehendeMail.objects.count() == mails_vorher and not mail.outbox
    assert all(a.status == Status.ENTSCHEIDUNGSREIF for a in Antrag.objects.all())
    # Named by row and field, linked to the field.
    assert (
        f'<a href="#id_tp-{a1.pk}-betrag">{a1.aktenzeichen}, Betrag: Es können höchstens die '
        "beantragten 850,00 € bewilligt werden.</a>" in html
    )
    # Every value stays in its own row.
    assert wert(html, f"tp-{a1.pk}-betrag") == "9.000,00"
    assert wert(html, f"tp-{a1.pk}-begruendung") == "Ein Versehen"
    assert wert(html, f"tp-{a2.pk}-betrag") == "600,00"
    assert wert(html, f"tp-{a2.pk}-begruendung") == "Nur die Sachkosten."
    assert wert(html, f"tp-{a3.pk}-begruendung") == "Fragen zum Ort offen."
    for antrag, ergebnis in ((a1, "bewilligt"), (a2, "teilweise"), (a3, "vertagt")):
        checked = re.search(
            rf'<input type="radio" name="tp-{antrag.pk}-ergebnis" value="(\w+)"[^>]*checked', html
        )
        assert checked and checked.group(1) == ergebnis, antrag


@pytest.mark.parametrize("verschoben", [0, 1, 2])
def test_a_refused_save_never_moves_a_value_to_another_antrag(staff_client, sitzung, verschoben):
    """Whatever row is refused, each value comes back under its own Antrag's name, and the
    corrected save books each amount on the Antrag it was typed for."""
    konferenz, *antraege = sitzung
    betraege = ["800,00", "900,00", "250,00"]
    daten = {}
    for n, antrag in enumerate(antraege):
        falsch = n == verschoben
        daten.update(zeile(antrag, "teilweise", betraege[n], "" if falsch else f"Grund {n}"))
    html = staff_client.post(url(konferenz), daten).content.decode()
    assert not Beschluss.objects.exists()
    for n, antrag in enumerate(antraege):
        assert wert(html, f"tp-{antrag.pk}-betrag") == betraege[n]
    daten.update(zeile(antraege[verschoben], "teilweise", betraege[verschoben], "Nachgetragen"))
    staff_client.post(url(konferenz), daten)
    gebucht = {b.antrag_id: b.betrag for b in Beschluss.objects.all()}
    assert gebucht == {
        antraege[0].pk: Decimal("800.00"),
        antraege[1].pk: Decimal("900.00"),
        antraege[2].pk: Decimal("250.00"),
    }


def test_rows_left_open_record_nothing_and_say_so(staff_client, sitzung):
    konferenz, *_ = sitzung
    html = staff_client.post(url(konferenz), {}, follow=True).content.decode()
    assert "Es wurde nichts eingetragen" in html
    assert not Beschluss.objects.exists()


def test_without_the_bezirksbuergermeister_the_page_says_why_before_anyone_types(staff_client):
    antrag = entscheidungsreif("Lesecafé", "850.00")
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag], mit_bezirksbuergermeister=False)
    html = staff_client.get(url(konferenz)).content.decode()
    assert "Jetzt nicht möglich:" in html and "Bezirksbürgermeister" in html
    assert f'name="tp-{antrag.pk}-ergebnis"' not in html
    staff_client.post(url(konferenz), zeile(antrag, "bewilligt"))
    assert not Beschluss.objects.exists()


def test_the_page_is_scoped_like_the_conference(client, sitzung, hoerde):
    konferenz, a1, *_ = sitzung
    client.force_login(rollen_user("lese", LESEZUGRIFF))
    assert client.get(url(konferenz)).status_code == 403
    client.force_login(beauftragte_user(Aktionsraum.objects.get(slug="marten"), "fremd"))
    assert client.get(url(konferenz)).status_code == 404
    assert client.post(url(konferenz), zeile(a1, "bewilligt")).status_code == 404
    client.force_login(beauftragte_user(hoerde, "eigen"))
    assert client.post(url(konferenz), zeile(a1, "vertagt")).status_code == 302
    assert Beschluss.objects.get().antrag_id == a1.pk


def test_the_service_books_all_rows_or_none(staff, sitzung):
    konferenz, a1, a2, _a3 = sitzung
    eintraege = [
        konferenz_dienst.Eintrag(
            antrag=a1,
            ergebnis="bewilligt",
            betrag=Decimal("850.00"),
            abstimmung=konferenz_dienst.EINVERNEHMLICH,
        ),
        konferenz_dienst.Eintrag(
            antrag=a2, ergebnis="abgelehnt", abstimmung=konferenz_dienst.EINVERNEHMLICH
        ),  # no reason: refused
    ]
    with pytest.raises(konferenz_dienst.ZeilenAbgelehnt) as abgelehnt:
        konferenz_dienst.beschluesse_fassen(konferenz=konferenz, eintraege=eintraege, by=staff)
    assert set(abgelehnt.value.fehler) == {a2.pk}
    assert abgelehnt.value.fehler[a2.pk].message_dict == {
        "begruendung": ["Bitte begründen Sie die Ablehnung."]
    }
    assert not Beschluss.objects.exists() and not Buchung.objects.exists()
    assert Antrag.objects.get(pk=a1.pk).status == Status.ENTSCHEIDUNGSREIF


def test_the_printed_protokoll_lists_every_agenda_item(staff_client, sitzung):
    konferenz, a1, a2, a3 = sitzung
    staff_client.post(url(konferenz), {**zeile(a1, "bewilligt"), **zeile(a2, "vertagt")})
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    ).content.decode()
    assert protokoll_punkte(html) == [
        (a1.aktenzeichen, "bewilligt"),
        (a2.aktenzeichen, "vertagt"),
        (a3.aktenzeichen, "ohne Beschluss"),
    ]


def test_the_protokoll_names_a_role_once(staff_client, sitzung):
    from antraege.models import Rolle, Teilnahme

    konferenz, *_ = sitzung
    Teilnahme.objects.create(
        konferenz=konferenz, name="Bezirksbürgermeister/in", rolle=Rolle.BEZIRKSBUERGERMEISTER
    )
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    ).content.decode()
    assert "Bezirksbürgermeister/in</td><td>Bezirksbürgermeister/in" not in html
    assert "<td>Bezirksbürgermeister/in</td><td>–</td>" in html


def test_a_page_opened_before_another_save_books_nothing_and_says_why(staff_client, sitzung):
    """Two tabs: the first saves a Beschluss for AP 1; the second, opened before, still shows
    AP 1 open and sends its own values for AP 1 and AP 2. Nothing of it is booked."""
    konferenz, a1, a2, _a3 = sitzung
    staff_client.post(url(konferenz), zeile(a1, "vertagt"))
    html = staff_client.post(
        url(konferenz), {**zeile(a1, "bewilligt"), **zeile(a2, "vertagt")}
    ).content.decode()
    assert f"Zu {a1.aktenzeichen} ist inzwischen ein Beschluss eingetragen" in html
    assert list(Beschluss.objects.values_list("antrag_id", "ergebnis")) == [(a1.pk, "vertagt")]
    # The open row keeps what was typed for it.
    assert re.search(rf'name="tp-{a2.pk}-ergebnis" value="vertagt"[^>]*checked', html)


def test_an_unknown_row_is_not_named(staff_client, sitzung):
    konferenz, a1, *_ = sitzung
    fremd = entscheidungsreif("Geheimes Projekt", "100.00")
    html = staff_client.post(url(konferenz), zeile(fremd, "bewilligt")).content.decode()
    assert fremd.aktenzeichen not in html and "Geheimes Projekt" not in html
    assert "nicht auf der Tagesordnung steht" in html
    assert not Beschluss.objects.exists()


def test_bewilligt_with_less_than_asked_is_refused_at_the_amount(staff_client, sitzung):
    konferenz, a1, *_ = sitzung
    html = staff_client.post(url(konferenz), zeile(a1, "bewilligt", "100,00")).content.decode()
    assert f'<a href="#id_tp-{a1.pk}-betrag">{a1.aktenzeichen}, Betrag: „bewilligt' in html
    assert not Beschluss.objects.exists()


def test_a_partial_grant_needs_a_reason_in_the_service_too(staff, sitzung):
    konferenz, a1, *_ = sitzung
    with pytest.raises(ValidationError, match="Bei einer Teilbewilligung ist eine Begründung"):
        konferenz_dienst.beschluss_fassen(
            konferenz=konferenz, antrag=a1, ergebnis="bewilligt", betrag=Decimal("100.00"),
            by=staff, abstimmung=konferenz_dienst.EINVERNEHMLICH,
        )  # fmt: skip
    assert not Beschluss.objects.exists() and not Buchung.objects.exists()


def test_a_decided_antrag_stays_on_the_agenda_and_in_the_protokoll(staff, staff_client, sitzung):
    from antraege.admin.konferenzen import ProjektkonferenzForm

    konferenz, a1, a2, a3 = sitzung
    staff_client.post(url(konferenz), zeile(a1, "vertagt"))
    form = ProjektkonferenzForm(
        data={
            "aktionsraum": konferenz.aktionsraum_id,
            "datum": konferenz.datum.isoformat(),
            "ort": konferenz.ort,
            "tagesordnung": [a2.pk, a3.pk],
        },
        instance=konferenz,
    )
    form.user = staff
    assert not form.is_valid()
    assert form.errors["tagesordnung"] == [
        f"Zu {a1.aktenzeichen} hat diese Konferenz schon beschlossen: Der Antrag bleibt auf "
        "ihrer Tagesordnung."
    ]
    # Taken off another way all the same, its Beschluss stays in the printed Protokoll.
    konferenz.tagesordnung.remove(a1)
    html = staff_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    ).content.decode()
    assert (a1.aktenzeichen, "vertagt") in protokoll_punkte(html)
