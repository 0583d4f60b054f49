"""The short answer to a Rückfrage (issue 37, point 3): the question, an answer box, optional
files, "Antwort senden". The Antrag's values stay as they are; chosen files are kept across
errors in the form's draft, and only this form's own files are ever sent."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from antraege.models import Anlage, Antrag, Status, VorlaeufigeAnlage
from antraege.services import einreichung, entwurf

from .factories import PDF_BYTES, submitted_antrag, token

pytestmark = pytest.mark.django_db


def pdf(name="angebot.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def url(antrag):
    return f"/antrag/status/{token(antrag)}/antworten/"


def entwurf_token(html: str) -> str:
    import re

    return re.search(r'name="entwurf" value="([^"]*)"', html).group(1)


def test_the_page_has_the_question_the_answer_box_and_no_antrag_fields(client, rueckfrage):
    html = client.get(url(rueckfrage)).content.decode()
    assert "Wofür ist die Saalmiete?" in html
    assert 'name="antwort"' in html and 'name="anlagen"' in html
    assert "Antwort senden" in html
    # No field of the Antrag: those are on the separate, optional page.
    assert 'name="titel"' not in html and "kosten-TOTAL_FORMS" not in html
    assert f"/antrag/status/{token(rueckfrage)}/antworten/angaben/" in html


def test_status_page_leads_to_the_short_answer_first(client, rueckfrage):
    html = client.get(f"/antrag/status/{token(rueckfrage)}/").content.decode()
    kurz = html.index(f'href="{url(rueckfrage)}"')
    lang = html.index(f'href="{url(rueckfrage)}angaben/"')
    assert kurz < lang
    assert re.search(r"Rückfrage beantworten(</span>)?</a>", html)


def test_an_answer_alone_goes_back_to_review_and_changes_no_value(client, rueckfrage):
    vorher = Antrag.objects.get(pk=rueckfrage.pk)
    response = client.post(url(rueckfrage), {"antwort": "Für den Gemeindesaal.", "titel": "X"})
    assert response.status_code == 302
    antrag = Antrag.objects.get(pk=rueckfrage.pk)
    assert antrag.status == Status.IN_PRUEFUNG
    assert (antrag.titel, antrag.beantragter_betrag) == (vorher.titel, vorher.beantragter_betrag)
    schritt = antrag.verlauf.last()
    assert (schritt.kommentar, schritt.durch_antragsteller, schritt.aenderungen) == (
        "Für den Gemeindesaal.",
        True,
        [],
    )


def test_a_chosen_file_stays_after_an_error_and_goes_with_the_answer(client, rueckfrage):
    erste = client.post(url(rueckfrage), {"antwort": "  ", "anlagen": [pdf()]})
    html = erste.content.decode()
    assert erste.status_code == 200
    assert "Bitte beantworten Sie die Rückfrage." in html
    # The summary says the message once, without the field's label in front of it.
    assert "Ihre Antwort auf die Rückfrage: Bitte" not in html
    assert "angebot.pdf" in html and "Schon ausgewählt" in html
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE
    # The second post carries no file, only the form's draft: the file goes with the answer.
    zweite = client.post(
        url(rueckfrage), {"antwort": "Angebot anbei.", "entwurf": entwurf_token(html)}
    )
    assert zweite.status_code == 302
    anlagen = Anlage.objects.filter(antrag=rueckfrage)
    assert [a.dateiname for a in anlagen] == ["angebot.pdf"]
    assert not VorlaeufigeAnlage.objects.exists()  # the draft's copy is gone
    assert Antrag.objects.get(pk=rueckfrage.pk).verlauf.last().aenderungen == [
        {"feld": "anlagen", "vorher": [], "nachher": ["angebot.pdf"]}
    ]


def test_removing_a_chosen_file_sends_nothing(client, rueckfrage):
    html = client.post(url(rueckfrage), {"antwort": "", "anlagen": [pdf()]}).content.decode()
    anlage = VorlaeufigeAnlage.objects.get()
    response = client.post(
        url(rueckfrage),
        {"antwort": "Fertig", "entwurf": entwurf_token(html), "anlage_entfernen": anlage.pk},
    )
    assert response.status_code == 200
    assert "angebot.pdf" not in response.content.decode()
    assert 'value="Fertig"' not in response.content.decode()  # a textarea, not a value
    assert "Fertig</textarea>" in response.content.decode()
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE
    assert not VorlaeufigeAnlage.objects.exists()


def test_another_forms_file_is_neither_removed_nor_sent(client, rueckfrage):
    fremd, fremd_token = entwurf.entwurf_anlegen()
    entwurf.anlagen_vormerken(entwurf=fremd, dateien=[pdf("fremd.pdf")])
    fremde = VorlaeufigeAnlage.objects.get()
    html = client.post(url(rueckfrage), {"antwort": "", "anlagen": [pdf()]}).content.decode()
    eigen = entwurf_token(html)
    response = client.post(
        url(rueckfrage), {"antwort": "x", "entwurf": eigen, "anlage_entfernen": fremde.pk}
    )
    assert "gehört nicht zu diesem Formular" in response.content.decode()
    assert VorlaeufigeAnlage.objects.filter(pk=fremde.pk).exists()
    client.post(url(rueckfrage), {"antwort": "x", "entwurf": eigen})
    assert [a.dateiname for a in Anlage.objects.filter(antrag=rueckfrage)] == ["angebot.pdf"]
    assert fremd_token != eigen


def test_an_expired_or_made_up_draft_sends_nothing_and_says_so(client, rueckfrage):
    response = client.post(url(rueckfrage), {"antwort": "Hier.", "entwurf": "A" * 43})
    assert response.status_code == 200
    assert "Bitte wählen Sie sie erneut aus" in response.content.decode()
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE


def test_a_refused_file_is_said_at_the_file_field_and_the_answer_stays(client, rueckfrage):
    kaputt = SimpleUploadedFile("programm.pdf", b"MZ\x90\x00" * 50, "application/pdf")
    response = client.post(url(rueckfrage), {"antwort": "Hier.", "anlagen": [kaputt]})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_anlagen"' in html
    assert "Hier.</textarea>" in html
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE


def test_an_antrag_with_five_files_offers_no_more_and_refuses_a_sixth(client, rueckfrage):
    for n in range(einreichung.MAX_ANLAGEN):
        Anlage.objects.create(
            antrag=rueckfrage, dateiname=f"{n}.pdf", content_type="application/pdf", groesse=1
        )
    html = client.get(url(rueckfrage)).content.decode()
    assert 'name="anlagen"' not in html
    response = client.post(url(rueckfrage), {"antwort": "Hier.", "anlagen": [pdf()]})
    assert "keine weiteren Dateien" in response.content.decode()
    assert Anlage.objects.filter(antrag=rueckfrage).count() == einreichung.MAX_ANLAGEN
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE


def test_without_an_open_rueckfrage_the_page_leads_back(client, rueckfrage):
    client.post(url(rueckfrage), {"antwort": "Erste Antwort."})
    response = client.post(url(rueckfrage), {"antwort": "Zweite Antwort."}, follow=True)
    assert "keine Rückfrage offen" in response.content.decode()
    antworten = Antrag.objects.get(pk=rueckfrage.pk).verlauf.filter(von=Status.RUECKFRAGE)
    assert [s.kommentar for s in antworten] == ["Erste Antwort."]


def test_an_answer_longer_than_2000_characters_is_refused_with_a_message(client, rueckfrage):
    response = client.post(url(rueckfrage), {"antwort": "x" * 2001})
    assert "höchstens 2000 Zeichen" in response.content.decode()
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE


def test_a_correction_posted_to_the_old_address_is_not_lost(client, rueckfrage):
    """Before the short page, /antworten/ took the whole correction form: a page left open
    across an update still corrects the Antrag."""
    from .factories import antrag_post_data

    daten = antrag_post_data(antwort="Siehe Kostenplan.", titel="Korrigiert")
    daten.pop("datenschutz")
    assert client.post(url(rueckfrage), daten).status_code == 302
    antrag = Antrag.objects.get(pk=rueckfrage.pk)
    assert (antrag.status, antrag.titel) == (Status.IN_PRUEFUNG, "Korrigiert")


def test_a_draft_of_another_form_or_antrag_is_not_found_here(client, rueckfrage):
    """The application form's draft, or another Antrag's answer draft, with a file each: their
    tokens find nothing on this answer page, so their files go nowhere."""
    from antraege.models import Entwurf

    formular, formular_token = entwurf.entwurf_anlegen()
    entwurf.anlagen_vormerken(entwurf=formular, dateien=[pdf("formular.pdf")])
    anderer = submitted_antrag()
    fremd, fremd_token = entwurf.entwurf_anlegen(zweck=Entwurf.Zweck.ANTWORT, antrag=anderer)
    entwurf.anlagen_vormerken(entwurf=fremd, dateien=[pdf("fremd.pdf")])
    for fremder_token in (formular_token, fremd_token):
        antwort = client.post(url(rueckfrage), {"antwort": "Hier.", "entwurf": fremder_token})
        assert antwort.status_code == 200 and "Bitte wählen Sie sie erneut aus" in (
            antwort.content.decode()
        )
    assert not Anlage.objects.filter(antrag=rueckfrage).exists()
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE
    assert VorlaeufigeAnlage.objects.count() == 2
