"""A Rückfrage is answered through the status link; the applicant may correct the Antrag."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from antraege.models import Antrag, Status
from antraege.services import workflow

from .factories import antrag_post_data, projektbuero_user, submitted_antrag, token

pytestmark = pytest.mark.django_db


def angaben(antrag):
    """The page that answers a Rückfrage and changes the Antrag's values."""
    return f"/antrag/status/{token(antrag)}/antworten/angaben/"


def korrektur(**overrides):
    data = antrag_post_data(**overrides)
    data.pop("datenschutz")
    return data


def test_a_rueckfrage_needs_the_question():
    staff = projektbuero_user()
    antrag = submitted_antrag()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    with pytest.raises(ValidationError, match="Rückfrage in das Kommentarfeld"):
        workflow.antrag_status_setzen(antrag=antrag, nach=Status.RUECKFRAGE, by=staff)


def test_status_page_shows_the_question_and_the_way_to_answer(client, rueckfrage):
    html = client.get(f"/antrag/status/{token(rueckfrage)}/").content.decode()
    assert "Wofür ist die Saalmiete?" in html
    assert f"/antrag/status/{token(rueckfrage)}/antworten/" in html


def test_the_form_starts_with_the_antrags_values(client, rueckfrage):
    html = client.get(angaben(rueckfrage)).content.decode()
    assert 'value="Beispielprojekt"' in html and 'value="Material"' in html


def test_answer_with_correction_goes_back_to_review(client, rueckfrage):
    data = korrektur(
        antwort="Für den Gemeindesaal.",
        titel="Nachbarschaftsfest, korrigiert",
        kosten=(("Saalmiete", "400,00"), ("Material", "250,00")),
        eigenmittel="0",
        eigenleistung="0",
        beantragter_betrag="650,00",
    )
    response = client.post(angaben(rueckfrage), data, follow=True)
    assert "Ihre Antwort ist bei uns eingegangen" in response.content.decode()
    antrag = Antrag.objects.get(pk=rueckfrage.pk)
    assert antrag.status == Status.IN_PRUEFUNG
    assert antrag.titel == "Nachbarschaftsfest, korrigiert"
    assert antrag.beantragter_betrag == Decimal("650.00")
    assert [k.beschreibung for k in antrag.kosten.all()] == ["Saalmiete", "Material"]
    assert antrag.aktenzeichen == rueckfrage.aktenzeichen
    last = antrag.verlauf.last()
    assert (last.von, last.nach, last.durch_antragsteller, last.kommentar) == (
        Status.RUECKFRAGE,
        Status.IN_PRUEFUNG,
        True,
        "Für den Gemeindesaal.",
    )
    assert antrag.mails.filter(betreff__startswith="Antwort auf die Rückfrage").exists()


def test_a_wrong_correction_is_refused_and_nothing_changes(client, rueckfrage):
    data = korrektur(antwort="Siehe unten", beantragter_betrag="9999,00", titel="Neu")
    response = client.post(angaben(rueckfrage), data)
    html = response.content.decode()
    assert "Aus Ihren Angaben ergibt sich jetzt ein beantragter Betrag von" in html
    assert 'value="Neu"' in html  # the entered values stay
    antrag = Antrag.objects.get(pk=rueckfrage.pk)
    assert (antrag.status, antrag.titel) == (Status.RUECKFRAGE, "Beispielprojekt")


def test_an_answer_is_required(client, rueckfrage):
    response = client.post(angaben(rueckfrage), korrektur(antwort=""))
    assert "Bitte beantworten Sie die Rückfrage." in response.content.decode()


def test_no_correction_without_an_open_rueckfrage(client):
    antrag = submitted_antrag()
    response = client.post(angaben(antrag), korrektur(antwort="x"), follow=True)
    assert "keine Rückfrage offen" in response.content.decode()
    assert Antrag.objects.get(pk=antrag.pk).status == Status.EINGEREICHT


def test_a_file_chosen_on_the_correction_page_stays_after_an_error(client, rueckfrage):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from antraege.models import Anlage

    from .factories import PDF_BYTES

    datei = SimpleUploadedFile("angebot.pdf", PDF_BYTES, "application/pdf")
    html = client.post(
        angaben(rueckfrage), korrektur(antwort="", titel="Neu", anlagen=[datei])
    ).content.decode()
    assert "Bitte beantworten Sie die Rückfrage." in html and "angebot.pdf" in html
    assert "erneut auswählen" not in html
    entwurf = re.search(r'name="entwurf" value="([^"]*)"', html).group(1)
    response = client.post(
        angaben(rueckfrage), korrektur(antwort="Angebot anbei.", titel="Neu", entwurf=entwurf)
    )
    assert response.status_code == 302
    assert [a.dateiname for a in Anlage.objects.filter(antrag=rueckfrage)] == ["angebot.pdf"]
    assert Antrag.objects.get(pk=rueckfrage.pk).titel == "Neu"
