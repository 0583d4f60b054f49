"""Every rule of the form, each with its German message, and nothing stored on error."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Antrag, Buchung
from antraege.services import budget
from quartiere.models import Aktionsraum

from .factories import PDF_BYTES, PNG_BYTES, antrag_post_data, submitted_antrag

pytestmark = pytest.mark.django_db


def post(client, **overrides):
    response = client.post("/antrag/", antrag_post_data(**overrides))
    assert response.status_code == 200
    assert not Antrag.objects.exists()
    return response.content.decode()


def test_a_tampered_computed_amount_is_refused_and_the_computed_one_offered(client):
    html = post(client, beantragter_betrag="400,00")
    assert "ergibt sich jetzt ein beantragter Betrag von 350,00 €" in html
    assert 'href="#id_beantragter_betrag_anzeige"' in html
    assert 'id="id_beantragter_betrag_anzeige"' in html
    # The page now carries the amount computed from the values sent, to confirm.
    assert re.search(r'name="beantragter_betrag" id="id_beantragter_betrag" value="350,00"', html)


@pytest.mark.parametrize("gesehen", ["350,00", "350", "350,0", ""])
def test_the_requested_amount_is_computed_not_typed(client, gesehen):
    response = client.post("/antrag/", antrag_post_data(beantragter_betrag=gesehen))
    assert response.status_code == 302
    assert Antrag.objects.get().beantragter_betrag == Decimal("350.00")


def test_unreadable_amount_sent_back_is_refused_like_a_tampered_one(client):
    html = post(client, beantragter_betrag="<script>")
    assert "ergibt sich jetzt ein beantragter Betrag von 350,00 €" in html


def test_money_fields_left_empty_count_as_nothing(client):
    response = client.post(
        "/antrag/",
        antrag_post_data(eigenmittel="", eigenleistung="", drittmittel="", beantragter_betrag=""),
    )
    assert response.status_code == 302
    antrag = Antrag.objects.get()
    assert (antrag.eigenmittel, antrag.beantragter_betrag) == (Decimal("0"), Decimal("500.00"))


def test_amount_must_be_positive(client):
    html = post(client, eigenmittel="400,00", beantragter_betrag="")
    assert "decken die Gesamtkosten schon ganz" in html


def test_negative_amounts_are_refused(client):
    html = post(client, drittmittel="-10")
    assert "Bitte geben Sie 0 oder einen positiven Betrag ein." in html


def test_fund_requests_are_capped_at_5000(client):
    html = post(
        client,
        kosten=(("Bühne", "6.000,00"),),
        eigenmittel="0",
        eigenleistung="0",
        beantragter_betrag="6.000,00",
    )
    assert "höchstens 5.000,00 € beantragt werden" in html


def test_same_amount_from_the_central_budget_is_fine(client):
    response = client.post(
        "/antrag/",
        antrag_post_data(
            kosten=(("Bühne", "6.000,00"),),
            eigenmittel="0",
            eigenleistung="0",
            beantragter_betrag="6.000,00",
            finanzierungsquelle="projektbudget",
        ),
    )
    assert response.status_code == 302
    assert Antrag.objects.get().beantragter_betrag == Decimal("6000.00")


def test_fund_request_above_what_is_left_this_year_is_refused(client):
    area = Aktionsraum.objects.get(slug="hoerde")
    hj = budget.haushaltsjahr_fuer(jahr=timezone.localdate().year)
    fonds = budget.fonds_fuer(haushaltsjahr=hj, aktionsraum=area)
    other = submitted_antrag(aktionsraum=area, finanzierungsquelle="projektbudget")
    Buchung.objects.create(
        haushaltsjahr=hj, fonds=fonds, antrag=other, art="bewilligung", betrag=Decimal("4800.00")
    )
    response = client.post("/antrag/", antrag_post_data())
    html = response.content.decode()
    assert "nur noch 200,00 € verfügbar" in html
    assert Antrag.objects.count() == 1


def test_end_before_start_is_refused(client):
    html = post(client, beginn="2027-05-02", ende="2027-05-01")
    assert "Das Ende darf nicht vor dem Beginn liegen." in html


def test_consent_to_the_privacy_notice_is_required(client):
    html = post(client, datenschutz=None)
    assert "Bitte stimmen Sie dem Datenschutzhinweis zu" in html


def test_at_least_one_goal_is_required(client):
    html = post(client, ziele=None)
    assert "Bitte wählen Sie mindestens ein Ziel aus." in html
    assert 'href="#id_ziele_0"' in html


def test_invalid_iban_is_refused(client):
    html = post(client, iban="DE00 1234 5678 9012 3456 78")
    assert 'href="#id_iban"' in html
    assert "IBAN" in html


def test_postcode_needs_five_digits(client):
    html = post(client, plz="4426")
    assert "Bitte geben Sie eine fünfstellige Postleitzahl ein." in html


def test_cost_plan_needs_at_least_one_row(client):
    html = post(
        client,
        kosten=(),
        **{"kosten-0-beschreibung": "", "kosten-0-betrag": ""},
    )
    assert "Bitte tragen Sie mindestens eine Kostenposition ein." in html


def test_cost_row_without_description_names_the_row(client):
    html = post(client, **{"kosten-1-beschreibung": ""})
    assert "Kostenposition 2: Bitte beschreiben Sie, wofür der Betrag ist." in html
    assert 'href="#id_kosten-1-beschreibung"' in html


def test_german_amount_formats_are_understood(client):
    response = client.post(
        "/antrag/",
        antrag_post_data(
            kosten=(("Material", "1.300"), ("Saal", "200.50")),
            eigenmittel="50",
            eigenleistung="100,50 €",
            beantragter_betrag="1.350,00",
        ),
    )
    assert response.status_code == 302
    assert Antrag.objects.get().gesamtkosten == Decimal("1500.50")


def test_every_value_stays_in_the_form_after_an_error(client):
    html = post(client, beantragter_betrag="1")
    for value in [
        "Nachbarschaftsfest am Marktplatz",
        "Familien im Quartier",
        "Beispielverein e. V.",
        "erika@example.org",
        "Miete Saal",
        "2027-05-01",
    ]:
        assert f'value="{value}"' in html, value
    assert "Ein Fest für alle Nachbarinnen und Nachbarn." in html
    # The step with the error shows its fields; the other steps' values go along hidden.
    assert 'id="schritt-kosten"' in html
    assert '<input type="hidden" name="ziele" value="ziel_nachbarschaft">' in html
    assert '<input type="hidden" name="antragsteller_art" value="verein">' in html


def test_error_summary_lists_each_problem_with_a_link(client):
    html = post(client, titel="", email="kein-mail", plz="x")
    summary = html.split('id="antrag-fehler"')[1].split("</ul>")[0]
    # The first step with an error, its message only; the other step is named.
    assert summary.count("<li>") == 1 and 'href="#id_titel"' in summary and 'id="id_titel"' in html
    assert ">Bitte geben Sie einen Titel für Ihr Projekt an.</a>" in summary
    assert re.findall(r'name="fehler_zeigen" value="(\w+)"', html) == ["antragsteller"]
    data = antrag_post_data(titel="", email="kein-mail", plz="x", fehler_zeigen="antragsteller")
    html = client.post("/antrag/", data).content.decode()
    summary = html.split('id="antrag-fehler"')[1].split("</ul>")[0]
    assert summary.count("<li>") == 2
    for anchor in ["id_email", "id_plz"]:
        assert f'href="#{anchor}"' in summary
        assert f'id="{anchor}"' in html


def _upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_file_named_pdf_that_is_not_a_pdf_is_refused(client):
    html = post(client, anlagen=_upload("angebot.pdf", b"MZ\x90\x00 not really a pdf" * 10))
    assert "„angebot.pdf“ ist keine PDF-, JPEG- oder PNG-Datei" in html


def test_file_larger_than_10_mb_is_refused(client):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    html = post(client, anlagen=_upload("gross.pdf", big))
    assert "höchstens 10 MB je Datei" in html


def test_more_than_five_files_are_refused(client):
    files = [_upload(f"a{i}.pdf", PDF_BYTES) for i in range(6)]
    html = post(client, anlagen=files)
    assert "Bitte laden Sie höchstens 5 Dateien hoch." in html


def test_pdf_and_png_are_accepted_and_checked_by_content(client):
    files = [_upload("konzept.pdf", PDF_BYTES), _upload("foto.PNG", PNG_BYTES, "image/png")]
    response = client.post("/antrag/", antrag_post_data(anlagen=files))
    assert response.status_code == 302
    kinds = list(Antrag.objects.get().anlagen.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    "prefix, erwartet, nicht",
    [
        ("", "DE-IBAN müssen 22 Zeichen enthalten.", "must contain"),
        ("/en", "DE IBANs must contain 22 characters.", "müssen"),
    ],
)
def test_a_short_iban_is_named_in_the_pages_language(client, prefix, erwartet, nicht):
    html = client.post(prefix + "/antrag/", antrag_post_data(iban="DE00 1234")).content.decode()
    assert erwartet in html and nicht not in html
    assert not Antrag.objects.exists()
