"""The Verwendungsnachweis with many receipts and costs not planned (issue 37, point 6): up
to 20 receipts, chosen files kept across errors and pages in the form's draft (as the
application form keeps its files), and "Weitere Ausgabe hinzufügen" for a cost the Kostenplan
did not have, its own row in the figures and shown to staff as not planned."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from antraege.models import (
    Anlage,
    Antrag,
    NachweisPosition,
    Status,
    Verwendungsnachweis,
    VorlaeufigeAnlage,
)
from antraege.services import einreichung, entwurf, workflow

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    auszahlen,
    nachweis_post,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db

ZWEI_ZEILEN = [("Material", Decimal("600.00")), ("Miete Saal", Decimal("400.00"))]


def beleg(name="beleg.pdf", inhalt=PDF_BYTES):
    return SimpleUploadedFile(name, inhalt, "application/pdf")


@pytest.fixture
def bezahlt(staff):
    antrag = zentral_bewilligt(staff, kosten=ZWEI_ZEILEN)
    auszahlen(antrag, "1000.00", staff)
    return Antrag.objects.get(pk=antrag.pk)


def url(antrag):
    return f"/antrag/status/{token(antrag)}/nachweis/"


def entwurf_token(html: str) -> str:
    return re.search(r'name="entwurf" value="([^"]*)"', html).group(1)


def versteckt(html: str) -> dict:
    """The values the check page sends again, as a browser would."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_the_service_takes_20_receipts_and_refuses_21(bezahlt):
    ausgaben = ausgaben_je_zeile(bezahlt, "600.00", "400.00")
    with pytest.raises(ValidationError, match="höchstens 20 Dateien"):
        einreichung.verwendungsnachweis_einreichen(
            antrag=bezahlt,
            bericht="Fest",
            ausgaben=ausgaben,
            dateien=[beleg(f"{n}.pdf") for n in range(21)],
        )
    assert not Verwendungsnachweis.objects.exists() and not Anlage.objects.exists()
    nachweis = einreichung.verwendungsnachweis_einreichen(
        antrag=bezahlt,
        bericht="Fest",
        ausgaben=ausgaben,
        dateien=[beleg(f"{n}.pdf") for n in range(20)],
    )
    assert nachweis.belege.count() == 20


def test_receipts_are_kept_across_an_error_and_sent_with_the_nachweis(client, bezahlt):
    daten = nachweis_post(bezahlt, "580,00", "400,00")
    html = client.post(url(bezahlt), daten | {"pruefen": "1"}).content.decode()
    # Two receipts chosen and uploaded, not sent yet.
    html = client.post(
        url(bezahlt),
        versteckt(html) | {"hochladen": "1", "belege": [beleg("a.pdf"), beleg("b.pdf")]},
    ).content.decode()
    assert "2 Belege sind ausgewählt" in html
    assert not Verwendungsnachweis.objects.exists()
    # A third that is refused: the message at the receipts, the two stay, nothing is sent.
    kaputt = beleg("c.pdf", b"MZ\x90\x00" * 50)
    html = client.post(
        url(bezahlt), versteckt(html) | {"absenden": "1", "belege": [kaputt]}
    ).content.decode()
    assert 'href="#id_belege"' in html and "c.pdf" in html
    assert "2 Belege sind ausgewählt" in html
    assert not Verwendungsnachweis.objects.exists()
    # "Angaben ändern" and back: still the same two.
    formular = client.post(url(bezahlt), versteckt(html) | {"aendern": "1"}).content.decode()
    assert entwurf_token(formular) == entwurf_token(html)
    html = client.post(
        url(bezahlt),
        {k: v for k, v in versteckt(formular).items() if k != "csrfmiddlewaretoken"}
        | daten
        | {"pruefen": "1"},
    ).content.decode()
    assert "2 Belege sind ausgewählt" in html
    response = client.post(url(bezahlt), versteckt(html) | {"absenden": "1"})
    assert response.status_code == 302
    nachweis = Verwendungsnachweis.objects.get()
    assert sorted(b.dateiname for b in nachweis.belege.all()) == ["a.pdf", "b.pdf"]
    assert not VorlaeufigeAnlage.objects.exists()


def test_sending_without_any_receipt_says_so_at_the_receipts(client, bezahlt):
    daten = nachweis_post(bezahlt, "600,00", "400,00")
    html = client.post(url(bezahlt), daten | {"absenden": "1"}).content.decode()
    assert "Bitte laden Sie mindestens einen Beleg hoch" in html
    assert 'href="#id_belege"' in html
    assert not Verwendungsnachweis.objects.exists()


def test_a_removed_receipt_is_not_sent_and_another_forms_file_cannot_be_removed(client, bezahlt):
    fremd, _fremd_token = entwurf.entwurf_anlegen()
    (fremde,) = entwurf.anlagen_vormerken(entwurf=fremd, dateien=[beleg("fremd.pdf")])
    daten = nachweis_post(bezahlt, "600,00", "400,00")
    html = client.post(
        url(bezahlt), daten | {"hochladen": "1", "belege": [beleg("a.pdf"), beleg("b.pdf")]}
    ).content.decode()
    eigene = VorlaeufigeAnlage.objects.exclude(entwurf=fremd).get(dateiname="a.pdf")
    html = client.post(
        url(bezahlt), versteckt(html) | {"anlage_entfernen": str(eigene.pk)}
    ).content.decode()
    assert "1 Beleg ist ausgewählt" in html
    html = client.post(
        url(bezahlt), versteckt(html) | {"anlage_entfernen": str(fremde.pk)}
    ).content.decode()
    assert "gehört nicht zu diesem Formular" in html
    assert VorlaeufigeAnlage.objects.filter(pk=fremde.pk).exists()
    client.post(url(bezahlt), versteckt(html) | {"absenden": "1"})
    assert [b.dateiname for b in Verwendungsnachweis.objects.get().belege.all()] == ["b.pdf"]


def test_a_cost_not_planned_is_its_own_row_in_the_figures_and_for_staff(client, staff, bezahlt):
    daten = nachweis_post(bezahlt, "500,00", "300,00")
    html = client.post(url(bezahlt), daten | {"weitere_hinzufuegen": "1"}).content.decode()
    # A round trip: a row to fill in, no error yet.
    assert 'name="weitere-0-beschreibung"' in html and "Weitere Ausgabe 1: wofür?" in html
    assert 'id="fehler"' not in html
    daten |= {
        "weitere-TOTAL_FORMS": "1",
        "weitere-INITIAL_FORMS": "0",
        "weitere-0-beschreibung": "Ersatz für den defekten Grill",
        "weitere-0-betrag": "150,00",
    }
    html = client.post(url(bezahlt), daten | {"pruefen": "1"}).content.decode()
    assert "3. Ersatz für den defekten Grill" in html and "nicht geplant" in html
    assert 'id="gesamtausgaben">950,00\xa0€' in html
    assert 'id="nicht-verbraucht">50,00\xa0€' in html
    response = client.post(url(bezahlt), versteckt(html) | {"absenden": "1", "belege": beleg()})
    assert response.status_code == 302
    nachweis = Verwendungsnachweis.objects.get()
    assert nachweis.gesamtausgaben == Decimal("950.00")
    assert nachweis.ausgegebener_betrag == Decimal("950.00")
    ungeplant = NachweisPosition.objects.get(ungeplant=True)
    assert (ungeplant.beschreibung, ungeplant.geplant, ungeplant.ausgegeben) == (
        "Ersatz für den defekten Grill",
        Decimal("0.00"),
        Decimal("150.00"),
    )
    assert ungeplant.kostenposition is None
    client.force_login(staff)
    change = client.get(f"/admin/antraege/antrag/{bezahlt.pk}/change/").content.decode()
    assert 'Ersatz für den defekten Grill <strong class="ungeplant-marke">(nicht geplant)' in (
        change
    )


@pytest.mark.parametrize(
    ("beschreibung", "betrag", "meldung"),
    [
        ("Grill", "", "Bitte geben Sie den Betrag dieser Ausgabe ein."),
        ("", "20,00", "Bitte schreiben Sie, wofür diese Ausgabe war."),
        ("Grill", "0", "Der Betrag muss größer als 0 € sein."),
        ("Grill", "-5", "Der Betrag muss größer als 0 € sein."),
        ("Grill", "12,345", "höchstens zwei Nachkommastellen"),
    ],
)
def test_a_wrong_cost_not_planned_is_said_at_its_field(
    client, bezahlt, beschreibung, betrag, meldung
):
    daten = nachweis_post(bezahlt, "500,00", "300,00") | {
        "weitere-TOTAL_FORMS": "1",
        "weitere-INITIAL_FORMS": "0",
        "weitere-0-beschreibung": beschreibung,
        "weitere-0-betrag": betrag,
        "pruefen": "1",
    }
    html = client.post(url(bezahlt), daten).content.decode()
    assert meldung in html
    assert 'href="#id_weitere-0-' in html
    assert "Bitte prüfen Sie Ihren" not in html


def test_more_than_ten_costs_not_planned_are_refused(client, bezahlt):
    daten = nachweis_post(bezahlt, "500,00", "300,00") | {
        "weitere-TOTAL_FORMS": "12",
        "weitere-INITIAL_FORMS": "0",
        "pruefen": "1",
    }
    for n in range(12):
        daten |= {f"weitere-{n}-beschreibung": f"Ding {n}", f"weitere-{n}-betrag": "1,00"}
    html = client.post(url(bezahlt), daten).content.decode()
    assert "höchstens 10 weitere Ausgaben" in html
    assert "Bitte prüfen Sie Ihren" not in html


@pytest.mark.parametrize(
    "weitere",
    [
        [("", Decimal("10.00"))],
        [("Grill", Decimal("0.00"))],
        [("Grill", Decimal("-1.00"))],
        [("Grill", Decimal("1.001"))],
        [("Grill", "10")],
        [("x" * 201, Decimal("1.00"))],
        [("Ding", Decimal("1.00"))] * 11,
    ],
)
def test_the_service_refuses_wrong_costs_not_planned(bezahlt, weitere):
    with pytest.raises(ValidationError) as fehler:
        einreichung.verwendungsnachweis_einreichen(
            antrag=bezahlt,
            bericht="Fest",
            ausgaben=ausgaben_je_zeile(bezahlt, "600.00", "400.00"),
            weitere=weitere,
            dateien=[beleg()],
        )
    assert "weitere" in fehler.value.message_dict
    assert not Verwendungsnachweis.objects.exists()


def test_a_correction_starts_with_the_costs_not_planned(client, staff, bezahlt):
    einreichung.verwendungsnachweis_einreichen(
        antrag=bezahlt,
        bericht="Erster Bericht",
        ausgaben=ausgaben_je_zeile(bezahlt, "500.00", "300.00"),
        weitere=[("Grill", Decimal("150.00"))],
        dateien=[beleg()],
    )
    workflow.nachweis_zurueckgeben(antrag=bezahlt, by=staff, kommentar="Beleg zum Grill fehlt.")
    html = client.get(url(bezahlt)).content.decode()
    assert 'name="weitere-0-beschreibung"' in html and 'value="Grill"' in html
    assert 'value="150,00"' in html
    # Emptied, the row is no row: the corrected Nachweis has none.
    daten = nachweis_post(bezahlt, "500,00", "300,00") | {
        "weitere-TOTAL_FORMS": "1",
        "weitere-INITIAL_FORMS": "1",
        "weitere-0-beschreibung": "",
        "weitere-0-betrag": "",
    }
    client.post(url(bezahlt), daten | {"absenden": "1", "belege": beleg()})
    antrag = Antrag.objects.get(pk=bezahlt.pk)
    assert antrag.status == Status.NACHWEIS_EINGEREICHT
    assert not antrag.verwendungsnachweise.last().positionen.filter(ungeplant=True).exists()


def test_staff_type_a_cost_not_planned_from_a_paper_nachweis(client, staff, bezahlt):
    from django.utils import timezone

    client.force_login(staff)
    html = client.get(f"/admin/antraege/antrag/{bezahlt.pk}/nachweis/").content.decode()
    assert 'name="weitere-2-betrag"' in html  # three empty rows, no script needed
    daten = nachweis_post(bezahlt, "500,00", "300,00") | {
        "eingegangen_am": timezone.localdate().isoformat(),
        "weitere-TOTAL_FORMS": "3",
        "weitere-INITIAL_FORMS": "0",
        "weitere-1-beschreibung": "Getränke",
        "weitere-1-betrag": "80,00",
    }
    response = client.post(f"/admin/antraege/antrag/{bezahlt.pk}/nachweis/", daten)
    assert response.status_code == 302
    assert NachweisPosition.objects.get(ungeplant=True).beschreibung == "Getränke"
    assert Verwendungsnachweis.objects.get().gesamtausgaben == Decimal("880.00")


def test_more_than_the_antrags_50_mb_is_said_when_chosen(client, staff, bezahlt, monkeypatch):
    """The room an Antrag has for files is checked when receipts are chosen, not only when the
    Nachweis is sent; an earlier Nachweis's receipts, given back, do not count."""
    monkeypatch.setattr(einreichung, "MAX_ANTRAG_BYTES", len(PDF_BYTES) * 2)
    daten = nachweis_post(bezahlt, "600,00", "400,00")
    html = client.post(
        url(bezahlt), daten | {"hochladen": "1", "belege": [beleg("a.pdf"), beleg("b.pdf")]}
    ).content.decode()
    assert "2 Belege sind ausgewählt" in html
    html = client.post(
        url(bezahlt), versteckt(html) | {"hochladen": "1", "belege": [beleg("c.pdf")]}
    ).content.decode()
    assert "höchstens 50 MB" in html and "2 Belege sind ausgewählt" in html
    client.post(url(bezahlt), versteckt(html) | {"absenden": "1"})
    assert Antrag.objects.get(pk=bezahlt.pk).status == Status.NACHWEIS_EINGEREICHT
    # Given back: the corrected Nachweis has the same room again.
    workflow.nachweis_zurueckgeben(antrag=bezahlt, by=staff, kommentar="Bitte neu.")
    html = client.post(
        url(bezahlt), daten | {"absenden": "1", "belege": [beleg("d.pdf"), beleg("e.pdf")]}
    )
    assert html.status_code == 302
    assert Antrag.objects.get(pk=bezahlt.pk).verwendungsnachweise.count() == 2


def test_costs_not_planned_are_flagged_to_applicant_and_staff(client, staff, bezahlt):
    daten = nachweis_post(bezahlt, "500,00", "300,00") | {
        "weitere-TOTAL_FORMS": "1",
        "weitere-INITIAL_FORMS": "0",
        "weitere-0-beschreibung": "Grill",
        "weitere-0-betrag": "200,00",
    }
    html = client.post(url(bezahlt), daten | {"pruefen": "1"}).content.decode()
    # The figures count the cost, and say it may not be funded.
    assert 'id="nicht-verbraucht">0,00\xa0€' in html
    assert "kann sich der Betrag, den Sie zurückzahlen, um bis zu 200,00\xa0€ erhöhen" in html
    client.post(url(bezahlt), versteckt(html) | {"absenden": "1", "belege": beleg()})
    client.force_login(staff)
    change = client.get(f"/admin/antraege/antrag/{bezahlt.pk}/change/").content.decode()
    assert "Darin sind 200,00\xa0€ für Ausgaben, die nicht im Kostenplan standen" in change
