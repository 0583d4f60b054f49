"""The Verwendungsnachweis as grant offices ask for it: planned against actual per cost row,
the unspent difference shown before sending, and a Nachweis received on paper typed in by
staff. Every id and amount that comes with a post is checked; a refusal stores nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Antrag, Eingang, Kostenposition, Status, Verwendungsnachweis
from antraege.rollen import LESEZUGRIFF
from antraege.services import einreichung, workflow
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    auszahlen,
    beauftragte_user,
    nachweis_post,
    rollen_user,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db

ZWEI_ZEILEN = [("Material", Decimal("600.00")), ("Miete Saal", Decimal("400.00"))]


def beleg(name="beleg.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


@pytest.fixture
def bezahlt(staff):
    """Granted 1,000 € from the central budget on two cost rows, paid out in full."""
    antrag = zentral_bewilligt(staff, kosten=ZWEI_ZEILEN)
    auszahlen(antrag, "1000.00", staff)
    return Antrag.objects.get(pk=antrag.pk)


def url(antrag):
    return f"/antrag/status/{token(antrag)}/nachweis/"


@pytest.mark.parametrize(
    ("ausgaben", "abzuege", "verwendet", "nicht_verbraucht", "mehrbedarf"),
    [
        (["600.00", "400.00"], "0", "1000.00", "0.00", "0.00"),
        (["500.00", "300.00"], "0", "800.00", "200.00", "0.00"),
        # Own money is spent first: the grant covers only the gap.
        (["600.00", "400.00"], "150.00", "850.00", "150.00", "0.00"),
        # More spent than granted: the grant is used up, the rest is not funded afterwards.
        (["900.00", "400.00"], "0", "1000.00", "0.00", "300.00"),
        # Own money and other funding paid for everything.
        (["100.00", "0.00"], "250.00", "0.00", "1000.00", "0.00"),
    ],
)
def test_the_figures_follow_the_gap_the_grant_covers(
    ausgaben, abzuege, verwendet, nicht_verbraucht, mehrbedarf
):
    rechnung = einreichung.nachweis_rechnen(
        ausgaben=[Decimal(a) for a in ausgaben],
        eigenmittel=Decimal(abzuege),
        eigenleistung=Decimal("0"),
        drittmittel=Decimal("0"),
        ausgezahlt=Decimal("1000.00"),
    )
    assert rechnung.verwendet == Decimal(verwendet)
    assert rechnung.nicht_verbraucht == Decimal(nicht_verbraucht)
    assert rechnung.mehrbedarf == Decimal(mehrbedarf)
    assert rechnung.verwendet + rechnung.nicht_verbraucht == rechnung.ausgezahlt


def test_the_service_stores_every_row_as_planned_and_spent(bezahlt):
    nachweis = einreichung.verwendungsnachweis_einreichen(
        antrag=bezahlt,
        bericht="Fest mit 80 Gästen.",
        ausgaben=ausgaben_je_zeile(bezahlt, "550.00", "380.00"),
        eigenmittel=Decimal("30.00"),
        dateien=[beleg()],
    )
    assert nachweis.gesamtausgaben == Decimal("930.00")
    assert nachweis.ausgegebener_betrag == Decimal("900.00")
    assert [(p.geplant, p.ausgegeben, p.abweichung) for p in nachweis.positionen.all()] == [
        (Decimal("600.00"), Decimal("550.00"), Decimal("-50.00")),
        (Decimal("400.00"), Decimal("380.00"), Decimal("-20.00")),
    ]
    eintrag = bezahlt.verlauf.last()
    assert eintrag.durch_antragsteller and "nicht verbraucht: 100,00 €" in eintrag.kommentar


@pytest.mark.parametrize(
    ("ausgaben", "meldung"),
    [
        (lambda a, fremd: {a.kosten.first().pk: Decimal("1.00")}, "für jede Kostenposition"),
        (
            lambda a, fremd: ausgaben_je_zeile(a, "1.00") | {fremd.pk: Decimal("5.00")},
            "für jede Kostenposition",
        ),
        (lambda a, fremd: ausgaben_je_zeile(a, "1.005"), "höchstens zwei Nachkommastellen"),
        (lambda a, fremd: ausgaben_je_zeile(a, "-1.00"), "höchstens zwei Nachkommastellen"),
        (lambda a, fremd: ausgaben_je_zeile(a, "NaN"), "höchstens zwei Nachkommastellen"),
    ],
    ids=["a-row-missing", "another-antrags-row", "a-cent-too-fine", "negative", "nan"],
)
def test_rows_that_are_not_the_antrags_own_or_not_amounts_are_refused(
    staff, bezahlt, ausgaben, meldung
):
    fremd = zentral_bewilligt(staff, betrag="200.00").kosten.get()
    with pytest.raises(ValidationError, match=meldung):
        einreichung.verwendungsnachweis_einreichen(
            antrag=bezahlt, bericht="Bericht", ausgaben=ausgaben(bezahlt, fremd), dateien=[beleg()]
        )
    assert not Verwendungsnachweis.objects.exists()
    assert Antrag.objects.get(pk=bezahlt.pk).status == Status.AUSGEZAHLT


def test_the_form_then_the_check_page_with_the_difference_then_the_receipts(client, bezahlt):
    response = client.get(url(bezahlt))
    html = response.content.decode()
    # Money fields start empty, the plan is shown beside each row.
    assert "Kostenposition 1: Material, tatsächlich ausgegeben" in html
    assert "Geplant: 600,00\xa0€" in html and "Geplant: 400,00\xa0€" in html
    assert 'type="file"' not in html
    daten = nachweis_post(bezahlt, "580,00", "400,00", eigenmittel="20,00")
    html = client.post(url(bezahlt), daten | {"pruefen": "1"}).content.decode()
    assert "Bitte prüfen Sie Ihren Verwendungsnachweis" in html
    assert 'id="gesamtausgaben">980,00\xa0€' in html
    assert 'id="verwendet">960,00\xa0€' in html
    assert 'id="nicht-verbraucht">40,00\xa0€' in html
    assert "40,00\xa0€ der Förderung wurden nicht verbraucht" in html
    assert 'type="file"' in html
    # "Angaben ändern" goes back with every value in place.
    html = client.post(url(bezahlt), daten | {"aendern": "1"}).content.decode()
    assert 'value="580,00"' in html and 'value="20,00"' in html
    assert "Bitte prüfen Sie" not in html
    response = client.post(url(bezahlt), daten | {"absenden": "1", "belege": beleg()})
    assert response.status_code == 302
    nachweis = Verwendungsnachweis.objects.get()
    assert nachweis.ausgegebener_betrag == Decimal("960.00")
    assert nachweis.eingang == Eingang.ONLINE and nachweis.erfasst_von is None


def test_a_full_use_says_nothing_is_owed_and_overspending_is_not_funded(client, bezahlt):
    daten = nachweis_post(bezahlt, "700,00", "400,00")
    html = client.post(url(bezahlt), daten | {"pruefen": "1"}).content.decode()
    assert "vollständig verbraucht" in html
    assert "Ihre Ausgaben lagen 100,00\xa0€ über dem, was die Förderung abdeckt" in html


def test_the_english_form_reads_and_writes_english_amounts(client, bezahlt):
    daten = nachweis_post(bezahlt, "1,250.00", "0") | {"pruefen": "1"}
    html = client.post("/en" + url(bezahlt), daten).content.decode()
    assert "Please check your proof of use" in html
    assert 'id="gesamtausgaben">1,250.00\xa0€' in html
    assert 'id="nicht-verbraucht">0.00\xa0€' in html


def test_tampered_values_on_the_check_page_are_checked_again_and_nothing_is_stored(
    client, staff, bezahlt
):
    fremd = zentral_bewilligt(staff, betrag="200.00").kosten.get()
    daten = nachweis_post(bezahlt, "600,00", "-400,00") | {
        f"ausgabe_{fremd.pk}": "5,00",
        "absenden": "1",
        "belege": beleg(),
    }
    html = client.post(url(bezahlt), daten).content.decode()
    assert "Kostenposition 2: Miete Saal, tatsächlich ausgegeben: Bitte geben Sie 0 oder" in html
    # Back on the first page, not on the check page; the other Antrag's row is not read.
    assert "Bitte prüfen Sie Ihren" not in html and f"ausgabe_{fremd.pk}" not in html
    assert not Verwendungsnachweis.objects.exists()
    assert Antrag.objects.get(pk=bezahlt.pk).status == Status.AUSGEZAHLT


def test_a_correction_starts_from_the_rows_handed_in(client, staff, bezahlt):
    einreichung.verwendungsnachweis_einreichen(
        antrag=bezahlt,
        bericht="Erster Bericht",
        ausgaben=ausgaben_je_zeile(bezahlt, "590.00", "410.00"),
        dateien=[beleg()],
    )
    workflow.nachweis_zurueckgeben(antrag=bezahlt, by=staff, kommentar="Beleg fehlt.")
    html = client.get(url(bezahlt)).content.decode()
    assert 'value="590,00"' in html and 'value="410,00"' in html
    assert "Erster Bericht" in html and "Beleg fehlt." in html


# Staff: a Nachweis that came by post.


def papier_url(antrag):
    return f"/admin/antraege/antrag/{antrag.pk}/nachweis/"


def papier_daten(antrag, *ausgaben, **weitere):
    return (
        nachweis_post(antrag, *ausgaben, bericht="Per Post: Fest mit 50 Gästen.")
        | {"eingegangen_am": timezone.localdate().isoformat()}
        | weitere
    )


def test_staff_record_a_nachweis_received_on_paper_and_the_rueckforderung_is_prefilled(
    client, staff, bezahlt
):
    client.force_login(staff)
    change = client.get(f"/admin/antraege/antrag/{bezahlt.pk}/change/").content.decode()
    assert papier_url(bezahlt) in change
    html = client.get(papier_url(bezahlt)).content.decode()
    assert "Verwendungsnachweis auf Papier erfassen" in html
    assert "Kostenposition 2: Miete Saal, tatsächlich ausgegeben" in html
    mail.outbox.clear()
    response = client.post(papier_url(bezahlt), papier_daten(bezahlt, "500,00", "250,00"))
    assert response.status_code == 302
    nachweis = Verwendungsnachweis.objects.get()
    assert nachweis.eingang == Eingang.PAPIER and nachweis.erfasst_von == staff
    assert nachweis.eingegangen_am == timezone.localdate()
    assert nachweis.ausgegebener_betrag == Decimal("750.00") and not nachweis.belege.exists()
    antrag = Antrag.objects.get(pk=bezahlt.pk)
    assert antrag.status == Status.NACHWEIS_EINGEREICHT
    eintrag = antrag.verlauf.last()
    assert eintrag.user == staff and not eintrag.durch_antragsteller
    assert "Auf Papier eingegangen am" in eintrag.kommentar
    change = client.get(f"/admin/antraege/antrag/{bezahlt.pk}/change/").content.decode()
    assert 'data-wert="verwendet">750,00\xa0€' in change
    assert 'name="rueckforderung" inputmode="decimal" value="250,00"' in change
    # The applicant sees the rows on the status page.
    status = client.get(f"/antrag/status/{token(bezahlt)}/").content.decode()
    assert "Auf Papier eingegangen am" in status and "750,00\xa0€ aus der Förderung verwendet" in (
        status
    )


def test_a_paper_nachweis_needs_a_date_of_receipt_that_is_not_in_the_future(client, staff, bezahlt):
    client.force_login(staff)
    morgen = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = client.post(
        papier_url(bezahlt), papier_daten(bezahlt, "500,00", "250,00", eingegangen_am=morgen)
    ).content.decode()
    assert "Das Eingangsdatum darf nicht in der Zukunft liegen." in html
    html = client.post(
        papier_url(bezahlt), papier_daten(bezahlt, "500,00", "", eingegangen_am="")
    ).content.decode()
    assert "Bitte geben Sie an, wann der Nachweis eingegangen ist." in html
    assert "für Kostenposition 2 tatsächlich ausgegeben wurde" in html
    assert not Verwendungsnachweis.objects.exists()


def test_paper_nachweis_of_another_area_or_without_change_right_is_refused(staff, bezahlt):
    from django.test import Client

    marten = Aktionsraum.objects.get(slug="marten")
    assert bezahlt.aktionsraum != marten
    fremde = Client()
    fremde.force_login(beauftragte_user(marten))
    assert fremde.get(papier_url(bezahlt)).status_code == 404
    assert fremde.post(papier_url(bezahlt), papier_daten(bezahlt, "1,00")).status_code == 404
    lesen = Client()
    lesen.force_login(rollen_user("lesen", LESEZUGRIFF))
    assert lesen.post(papier_url(bezahlt), papier_daten(bezahlt, "1,00")).status_code == 403
    assert not Verwendungsnachweis.objects.exists()


def test_the_areas_beauftragte_may_record_it(bezahlt):
    from django.test import Client

    eigene = Client()
    eigene.force_login(beauftragte_user(bezahlt.aktionsraum))
    response = eigene.post(papier_url(bezahlt), papier_daten(bezahlt, "600,00", "400,00"))
    assert response.status_code == 302
    assert Verwendungsnachweis.objects.get().ausgegebener_betrag == Decimal("1000.00")


def test_no_paper_nachweis_before_the_payout(client, staff):
    antrag = zentral_bewilligt(staff)
    client.force_login(staff)
    response = client.post(papier_url(antrag), papier_daten(antrag, "1000,00"), follow=True)
    assert "kein Verwendungsnachweis möglich" in response.content.decode()
    assert not Verwendungsnachweis.objects.exists()
    assert not Kostenposition.objects.filter(antrag=antrag).exclude(betrag=Decimal("1000.00"))


def test_the_right_of_access_holds_the_nachweis_row_by_row(bezahlt):
    import io
    import json
    import zipfile

    from antraege.services import datenschutz

    einreichung.verwendungsnachweis_einreichen(
        antrag=bezahlt,
        bericht="Fest gefeiert.",
        ausgaben=ausgaben_je_zeile(bezahlt, "590.00", "400.00"),
        drittmittel=Decimal("90.00"),
        dateien=[beleg()],
    )
    inhalt, anzahl = datenschutz.auskunft(email=bezahlt.email.upper())
    daten = json.loads(zipfile.ZipFile(io.BytesIO(inhalt)).read("auskunft.json"))
    (nachweis,) = daten["antraege"][0]["verwendungsnachweise"]
    assert anzahl == 1
    assert nachweis["drittmittel"] == "90.00" and nachweis["ausgegebener_betrag"] == "900.00"
    assert nachweis["positionen"] == [
        {"beschreibung": "Material", "geplant": "600.00", "ausgegeben": "590.00"},
        {"beschreibung": "Miete Saal", "geplant": "400.00", "ausgegeben": "400.00"},
    ]


def test_the_unspent_difference_is_one_computation_and_never_negative():
    from antraege.selectors.hauptbuch import nicht_verbraucht

    assert nicht_verbraucht(ausgezahlt=Decimal("1000.00"), verwendet=Decimal("720.50")) == (
        Decimal("279.50")
    )
    # Spending beyond the payout is not a difference to ask back.
    assert nicht_verbraucht(ausgezahlt=Decimal("500.00"), verwendet=Decimal("650.00")) == 0
    rechnung = einreichung.nachweis_rechnen(
        ausgaben=[Decimal("700.00")],
        eigenmittel=Decimal("100.00"),
        eigenleistung=Decimal("0"),
        drittmittel=Decimal("0"),
        ausgezahlt=Decimal("1000.00"),
    )
    assert (
        rechnung.nicht_verbraucht
        == nicht_verbraucht(ausgezahlt=Decimal("1000.00"), verwendet=rechnung.verwendet)
        == Decimal("400.00")
    )
