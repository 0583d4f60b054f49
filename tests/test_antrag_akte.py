"""The Antrag's page as a case file (issue 36 point 2): the answer with every changed field,
the step cards (one main step, warning steps last, each with its own fields), a refused step
that keeps what was typed, empty sections hidden, read-only for Lesezugriff."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from antraege.models import Antrag, Status, StatusAenderung
from antraege.rollen import LESEZUGRIFF
from antraege.services import datenschutz, einreichung, workflow
from tests.factories import (
    PDF_BYTES,
    antrag_daten,
    beauftragte_user,
    entscheidungsreif,
    rollen_user,
    submitted_antrag,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db

NEUE_IBAN = "DE02120300000000202051"


def beantworten(antrag, **geaendert):
    """The applicant answers with the form's full data, `geaendert` changed, and a second
    cost row of 120 € (the amount asked for follows the costs)."""
    daten = antrag_daten(
        beantragter_betrag=Decimal("620.00"),
        **{k: v for k, v in geaendert.items() if k != "dateien"},
    )
    return einreichung.antrag_rueckfrage_beantworten(
        antrag=Antrag.objects.get(pk=antrag.pk),
        antwort="Die Saalmiete ist für den Gemeindesaal.",
        daten=daten,
        kosten=[("Material", Decimal("500.00")), ("Saalmiete", Decimal("120.00"))],
        dateien=geaendert.get("dateien", ()),
    )


@pytest.fixture
def pb_client(client, rueckfrage):
    """The client as the Projektbüro account that asked the Rückfrage."""
    client.force_login(rueckfrage.verlauf.exclude(user=None).last().user)
    return client


def seite(client, antrag) -> str:
    return client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()


def test_the_answer_records_every_field_the_applicant_changed_and_nothing_else(rueckfrage):
    plan = SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")
    beantworten(rueckfrage, titel="Sommerfest am Platz", telefon="0231 123456", dateien=[plan])
    zeile = StatusAenderung.objects.get(
        antrag=rueckfrage, durch_antragsteller=True, von="rueckfrage"
    )
    assert {a["feld"]: (a["vorher"], a["nachher"]) for a in zeile.aenderungen} == {
        "titel": ("Beispielprojekt", "Sommerfest am Platz"),
        "telefon": ("", "0231 123456"),
        "beantragter_betrag": ("500.00", "620.00"),
        "kosten": ([["Material", "500.00"]], [["Material", "500.00"], ["Saalmiete", "120.00"]]),
        "anlagen": ([], ["plan.pdf"]),
    }


def test_an_answer_without_corrections_records_no_change(rueckfrage):
    einreichung.antrag_rueckfrage_beantworten(antrag=rueckfrage, antwort="So ist es.")
    assert StatusAenderung.objects.get(antrag=rueckfrage, von="rueckfrage").aenderungen == []


def test_the_page_shows_the_answer_and_each_change_before_and_after(pb_client, rueckfrage):
    beantworten(rueckfrage, titel="Sommerfest am Platz", iban=NEUE_IBAN)
    html = seite(pb_client, rueckfrage)
    oben = html[html.index('id="antwort-titel"') : html.index('id="schritt-titel"')]
    assert "Wofür ist die Saalmiete?" in oben  # the question asked
    assert "Die Saalmiete ist für den Gemeindesaal." in oben
    assert re.search(r'data-feld="titel">.*Beispielprojekt.*Sommerfest am Platz', oben, re.S)
    assert re.search(r'data-feld="beantragter_betrag">.*500,00.*620,00', oben, re.S)
    assert "Saalmiete: 120,00" in oben and 'data-feld="iban"' in oben
    # The answer is on top of the page until a staff step follows it.
    workflow.antrag_status_setzen(
        antrag=Antrag.objects.get(pk=rueckfrage.pk),
        nach=Status.ENTSCHEIDUNGSREIF,
        by=rueckfrage.verlauf.exclude(user=None).last().user,
    )
    assert 'id="antwort-titel"' not in seite(pb_client, rueckfrage)


def test_changes_to_fields_a_role_may_not_see_are_not_shown_to_it(client, rueckfrage, hoerde):
    beantworten(rueckfrage, titel="Sommerfest am Platz", iban=NEUE_IBAN, telefon="0231 1")
    beauftragte = beauftragte_user(hoerde)
    lesend = rollen_user("lesend", LESEZUGRIFF)
    for user, unsichtbar in [(beauftragte, ["iban"]), (lesend, ["iban", "telefon"])]:
        client.force_login(user)
        html = seite(client, rueckfrage)
        assert 'data-feld="titel"' in html
        for feld in unsichtbar:
            assert f'data-feld="{feld}"' not in html
        assert NEUE_IBAN not in html and "DE02 1203" not in html


def test_anonymising_keeps_only_the_changes_that_are_no_personal_data(rueckfrage):
    plan = SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")
    beantworten(rueckfrage, titel="Sommerfest", telefon="0231 123456", dateien=[plan])
    datenschutz.antrag_anonymisieren(antrag=rueckfrage)
    zeile = StatusAenderung.objects.get(antrag=rueckfrage, von="rueckfrage")
    assert [a["feld"] for a in zeile.aenderungen] == ["titel", "beantragter_betrag", "kosten"]
    assert "0231" not in str(zeile.aenderungen) and "plan.pdf" not in str(zeile.aenderungen)


def karten(html) -> list[tuple[str, str]]:
    """(step, card classes) of the step cards, in the page's order."""
    return re.findall(r'<details class="schritt-karte([^"]*)" id="karte-([a-z_]+)"', html)


@pytest.mark.parametrize(
    "status, erwartet",
    [
        # (card, main step?, warning?) in the page's order
        (Status.EINGEREICHT, [("in_pruefung", True, False)]),
        (
            Status.IN_PRUEFUNG,
            [("entscheidungsreif", True, False), ("rueckfrage", False, False)],
        ),
        (
            Status.ENTSCHEIDUNGSREIF,
            [
                ("bewilligt", True, False),
                ("in_pruefung", False, False),
                ("abgelehnt", False, True),
            ],
        ),
        (Status.RUECKFRAGE, [("in_pruefung", False, False)]),
        (Status.BEWILLIGT, [("aufgehoben", False, True)]),
    ],
)
def test_one_main_step_first_and_the_warning_steps_last(staff_client, status, erwartet):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    Antrag.objects.filter(pk=antrag.pk).update(status=status)
    html = seite(staff_client, antrag)
    gefunden = [(nach, "primaer" in k, "warnend" in k) for k, nach in karten(html)]
    assert gefunden == erwartet
    # The main step's button is the page's primary one; a warning step's button is red.
    haupt = [nach for nach, primaer, _w in erwartet if primaer]
    knoepfe = re.findall(r'name="nach" value="([a-z_]+)" class="button([^"]*)"', html)
    assert [nach for nach, klasse in knoepfe if "default" in klasse] == haupt
    assert [nach for nach, klasse in knoepfe if "warnend" in klasse] == [
        nach for nach, _p, warnend in erwartet if warnend
    ]


def test_each_step_has_its_own_comment_field_with_its_own_label(staff_client, staff):
    antrag = entscheidungsreif(submitted_antrag(finanzierungsquelle="projektbudget"), staff)
    html = seite(staff_client, antrag)
    for nach, label in [
        ("bewilligt", "Kommentar (bei weniger als beantragt: Begründung)"),
        ("abgelehnt", "Begründung der Ablehnung (Pflichtfeld)"),
        ("in_pruefung", "Kommentar (steht auf der Statusseite, keine E-Mail)"),
    ]:
        assert re.search(rf'<label for="id_{nach}_kommentar">{re.escape(label)}</label>', html)
        assert f'<textarea id="id_{nach}_kommentar" name="kommentar"' in html
    # The fund's verb: the Projektkonferenz decides.
    fonds = submitted_antrag()
    Antrag.objects.filter(pk=fonds.pk).update(status=Status.IN_PRUEFUNG)
    assert ">Zur Projektkonferenz geben</summary>" in seite(staff_client, fonds)


def test_a_refused_step_shows_the_page_again_with_every_typed_value(staff_client, staff):
    antrag = entscheidungsreif(submitted_antrag(finanzierungsquelle="projektbudget"), staff)
    antwort = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "abgelehnt", "kommentar": "", "interne_notiz": "Rücksprache am Telefon"},
    )
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert '<details class="schritt-karte warnend" id="karte-abgelehnt" open>' in html
    assert '<a href="#id_abgelehnt_kommentar">Begründung der Ablehnung: Bitte begründen' in html
    assert ">Rücksprache am Telefon</textarea>" in html
    # The other cards stay closed and empty; the page's own form still saves to its page.
    assert '<details class="schritt-karte primaer" id="karte-bewilligt">' in html
    assert f'action="/admin/antraege/antrag/{antrag.pk}/change/"' in html
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF
    assert not antrag.verlauf.filter(interne_notiz__contains="Rücksprache").exists()


def test_a_refusal_of_the_service_is_shown_at_the_amount(staff_client, staff):
    antrag = entscheidungsreif(
        submitted_antrag(finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("800")),
        staff,
    )
    html = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "bewilligt", "betrag": "900,00", "kommentar": "Gern mehr"},
    ).content.decode()
    assert re.search(r'<a href="#id_bewilligt_betrag">Betrag der Bewilligung: [^<]*800,00', html)
    assert 'id="id_bewilligt_betrag" name="betrag" inputmode="decimal" value="900,00"' in html
    assert ">Gern mehr</textarea>" in html
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF


def test_back_from_the_preview_keeps_the_typed_values(staff_client, staff):
    antrag = entscheidungsreif(submitted_antrag(finanzierungsquelle="projektbudget"), staff)
    html = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "bewilligt", "zurueck": "1", "betrag": "80,00", "kommentar": "Nur Material"},
    ).content.decode()
    assert '<details class="schritt-karte primaer" id="karte-bewilligt" open>' in html
    assert 'value="80,00"' in html and ">Nur Material</textarea>" in html
    assert (
        "fehler-zusammenfassung" not in html.split('id="karte-bewilligt"')[1].split("</details>")[0]
    )


def test_a_step_that_is_not_offered_is_refused_with_a_message(staff_client):
    antrag = submitted_antrag(finanzierungsquelle="projektbudget")
    antwort = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/", {"nach": "bewilligt"}, follow=True
    )
    assert "Dieser Schritt ist nicht möglich." in antwort.content.decode()
    assert Antrag.objects.get(pk=antrag.pk).status == Status.EINGEREICHT


def test_empty_sections_are_hidden_and_filled_ones_shown(staff_client, staff):
    neu = submitted_antrag(finanzierungsquelle="projektbudget")
    html = seite(staff_client, neu)
    for titel in ["Auszahlungen", "Buchungen (Hauptbuch)", "Beschlüsse", "Anlagen"]:
        assert f'aria-label="{titel}"' not in html
    assert 'aria-label="Kostenplan"' in html and 'id="nachweis-titel"' not in html
    bewilligt = zentral_bewilligt(staff)
    assert 'aria-label="Buchungen (Hauptbuch)"' in seite(staff_client, bewilligt)


def test_the_timeline_lists_every_step_newest_first(pb_client, rueckfrage):
    einreichung.antrag_rueckfrage_beantworten(antrag=rueckfrage, antwort="So ist es.")
    html = seite(pb_client, rueckfrage)
    leiste = html[html.index('class="zeitleiste"') :]
    titel = re.findall(r"<strong>([^<]+)</strong>", leiste)[:4]
    assert titel == [
        "Antwort auf die Rückfrage",
        "in Prüfung → Rückfrage",
        "eingereicht → in Prüfung",
        "Antrag eingegangen (eingereicht)",
    ]


def test_lesezugriff_reads_the_case_file_and_can_change_nothing(client, staff):
    antrag = zentral_bewilligt(staff)
    client.force_login(rollen_user("lesend", LESEZUGRIFF))
    html = seite(client, antrag)
    assert 'id="akte-titel"' in html and "Sie können diesen Antrag lesen" in html
    assert "schritt-karte" not in html and 'name="_save"' not in html
    assert "<textarea" not in html
    assert re.findall(r'<input(?![^>]*type="hidden")[^>]*>', html) == []


def test_a_payout_the_service_refuses_names_and_links_the_field(staff_client, staff):
    from django.utils import timezone

    antrag = zentral_bewilligt(staff, "1000.00")
    antwort = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/auszahlung/",
        {
            "betrag": "1.000,01",
            "datum": timezone.localdate().strftime("%d.%m.%Y"),
            "referenz": "KZ-1",
        },
        follow=True,
    )
    html = antwort.content.decode()
    assert '<a href="#id_auszahlung_betrag">Betrag: Es können höchstens noch 1.000,00' in html
    assert not antrag.auszahlungen.exists()


def test_a_withdrawal_during_a_rueckfrage_is_no_answer(pb_client, rueckfrage):
    einreichung.antrag_zurueckziehen(
        antrag=Antrag.objects.get(pk=rueckfrage.pk), kommentar="Wir machen es anders."
    )
    html = seite(pb_client, rueckfrage)
    assert 'id="antwort-titel"' not in html
    assert "Antwort auf die Rückfrage" not in html


def test_an_amount_typed_without_cents_is_no_change(rueckfrage):
    beantworten(rueckfrage, eigenmittel=Decimal("0"), drittmittel=Decimal("0.0"))
    zeile = StatusAenderung.objects.get(antrag=rueckfrage, von="rueckfrage")
    assert {a["feld"] for a in zeile.aenderungen} == {"beantragter_betrag", "kosten"}


def test_the_right_of_access_shows_no_earlier_persons_data_from_an_answer(rueckfrage):
    import io
    import json
    import zipfile

    beantworten(rueckfrage, ansprechperson="Bert Neu", telefon="0231 999", titel="Neu")
    daten, anzahl = datenschutz.auskunft(email="erika@example.org")
    inhalt = json.loads(zipfile.ZipFile(io.BytesIO(daten)).read("auskunft.json"))
    verlauf = inhalt["antraege"][0]["statusverlauf"]
    felder = {a["feld"] for zeile in verlauf for a in zeile["aenderungen"]}
    assert anzahl == 1 and "titel" in felder
    assert not felder & {"ansprechperson", "telefon", "anlagen"}


def test_a_rueckforderung_without_reason_names_the_reason_not_the_amount(staff_client, staff):
    from tests.factories import auszahlen

    antrag = zentral_bewilligt(staff, "500.00")
    auszahlen(antrag, "500.00", staff)
    html = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "rueckforderung", "rueckforderung": "100,00", "kommentar": ""},
    ).content.decode()
    assert (
        '<a href="#id_rueckforderung_kommentar">Begründung der Rückforderung (Pflichtfeld)'
        not in html
    )
    assert '<a href="#id_rueckforderung_kommentar">Begründung der Rückforderung: Bitte' in html
    assert 'href="#id_rueckforderung_rueckforderung"' not in html
    # Too much asked back: at the amount of the card.
    html = staff_client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": "rueckforderung", "rueckforderung": "600,00", "kommentar": "Zu viel"},
    ).content.decode()
    assert '<a href="#id_rueckforderung_rueckforderung">Betrag der Rückforderung: Es können' in html
