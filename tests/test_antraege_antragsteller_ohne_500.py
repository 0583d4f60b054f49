"""No 500 for an applicant: a refusal without a field, too many attachments on a Rückfrage,
amounts that do not mean what was typed, a payout date before the grant; status pages are
never cached and the browser's session forgets the Antrag once its confirmation was shown."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from antraege.forms.felder import EuroField
from antraege.models import Anlage, Antrag, Status
from antraege.services import auszahlung, einreichung, workflow

from .factories import (
    PDF_BYTES,
    antrag_daten,
    antrag_post_data,
    auszahlen,
    nachweis_post,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)

pytestmark = pytest.mark.django_db


def pdf(name="beleg.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def test_a_rueckfrage_answer_with_too_many_files_is_refused_with_a_message(client):
    staff = projektbuero_user()
    daten = antrag_daten()
    antrag = einreichung.antrag_einreichen(
        daten=daten,
        kosten=[("Material", daten["beantragter_betrag"])],
        dateien=[pdf("a.pdf"), pdf("b.pdf")],
    )
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Bitte Angebote nachreichen."
    )
    daten = antrag_post_data(antwort="Hier sind sie.", anlagen=[pdf(f"{n}.pdf") for n in "cdef"])
    daten.pop("datenschutz")
    response = client.post(f"/antrag/status/{token(antrag)}/antworten/angaben/", daten)
    assert response.status_code == 200
    # Two are there: three more at most, said when they are chosen.
    assert "höchstens 3 Dateien" in response.content.decode()
    assert Anlage.objects.filter(antrag=antrag).count() == 2
    assert Antrag.objects.get(pk=antrag.pk).status == Status.RUECKFRAGE


def test_a_refusal_without_a_field_on_the_proof_of_use_is_a_message(client, monkeypatch):
    """Two parallel posts: the second one meets the first one's new status under the lock."""
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff)
    auszahlen(antrag, "1000.00", staff)

    def schon_eingereicht(**kwargs):
        raise ValidationError("Ein Verwendungsnachweis ist schon eingegangen.")

    monkeypatch.setattr(einreichung, "verwendungsnachweis_einreichen", schon_eingereicht)
    response = client.post(
        f"/antrag/status/{token(antrag)}/nachweis/",
        nachweis_post(antrag, "1000,00", bericht="Fertig.") | {"belege": [pdf()], "absenden": "1"},
    )
    assert response.status_code == 200
    assert "Ein Verwendungsnachweis ist schon eingegangen." in response.content.decode()


@pytest.mark.parametrize(
    ("sprache", "eingabe", "betrag"),
    [
        ("de", "1.250", Decimal("1250")),
        ("de", "1.250,50", Decimal("1250.50")),
        ("de", "1250,5", Decimal("1250.5")),
        ("de", "12,50 €", Decimal("12.50")),
        ("en", "1,250", Decimal("1250")),
        ("en", "1,250.50", Decimal("1250.50")),
        ("en", "1.25", Decimal("1.25")),
        ("en", "€12.50", Decimal("12.50")),
    ],
)
def test_amounts_are_read_by_the_pages_language(sprache, eingabe, betrag):
    with translation.override(sprache):
        assert EuroField().clean(eingabe) == betrag


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("eingabe", ["0.001", "0,001", "1,2,3", "1.2.3,4.5", "12a"])
def test_amounts_that_mean_nothing_or_fractions_of_a_cent_are_refused(sprache, eingabe):
    with translation.override(sprache), pytest.raises(ValidationError):
        EuroField().clean(eingabe)


@pytest.mark.parametrize(
    ("tage", "meldung"), [(-1, "vor der Bewilligung"), (366, "mehr als ein Jahr in der Zukunft")]
)
def test_a_payout_date_before_the_grant_or_far_ahead_is_refused(tage, meldung):
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff)
    with pytest.raises(ValidationError, match=meldung):
        auszahlung.auszahlung_feststellen(
            antrag=antrag,
            betrag=Decimal("10.00"),
            datum=timezone.localdate() + timedelta(days=tage),
            referenz="KZ",
            by=staff,
        )
    assert not antrag.auszahlungen.exists()


def test_status_pages_are_never_cached(client):
    antrag = submitted_antrag()
    for pfad in ["", "antworten/", "nachweis/"]:
        response = client.get(f"/antrag/status/{token(antrag)}/{pfad}")
        assert "no-store" in response["Cache-Control"], pfad


def test_the_session_forgets_the_antrag_once_the_confirmation_was_shown(client):
    response = client.post("/antrag/", antrag_post_data())
    assert response.status_code == 302
    seite = client.get("/antrag/eingereicht/")
    assert Antrag.objects.get().aktenzeichen in seite.content.decode()
    assert "no-store" in seite["Cache-Control"]
    assert dict(client.session) == {}
    assert client.get("/antrag/eingereicht/").status_code == 302


def test_a_nul_character_in_a_raw_text_field_is_dropped_not_a_500(client):
    """PostgreSQL refuses NUL in text; the withdrawal's comment is read without a form."""
    antrag = submitted_antrag()
    antwort = client.post(
        f"/antrag/status/{token(antrag)}/zurueckziehen/",
        {"kommentar": "a\x00b", "bestaetigt": "ja"},
    )
    assert antwort.status_code == 302
    antrag.refresh_from_db()
    assert antrag.status == Status.ZURUECKGEZOGEN
    assert antrag.verlauf.last().kommentar == "ab"


def test_a_nul_character_in_a_staff_comment_is_dropped_not_a_500(client):
    staff = projektbuero_user()
    antrag = submitted_antrag()
    client.force_login(staff)
    antwort = client.post(
        f"/admin/antraege/antrag/{antrag.pk}/schritt/",
        {"nach": Status.IN_PRUEFUNG, "kommentar": "geprüft\x00"},
    )
    assert antwort.status_code == 302
    antrag.refresh_from_db()
    assert antrag.status == Status.IN_PRUEFUNG
    assert antrag.verlauf.last().kommentar == "geprüft"
