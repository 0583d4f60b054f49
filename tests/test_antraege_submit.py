"""The whole path of an application: form, confirmation, mails, status page, withdrawal."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from antraege.models import Antrag, AusgehendeMail, Status

from .factories import antrag_post_data, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """Posts the form and runs the after-commit hooks (mail sending) as a real commit would."""

    def _submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/antrag/", antrag_post_data(**overrides))

    return _submit


def status_link(message):
    return re.search(r"http://[^\s]+/antrag/status/([A-Za-z0-9_-]+)/", message.body)


def test_form_preselects_the_aktionsraum_from_the_query(client):
    html = client.get("/antrag/?aktionsraum=hoerde").content.decode()
    assert re.search(r'<option value="\d+" selected>Hörde</option>', html)


def test_unknown_aktionsraum_in_query_just_leaves_the_choice_open(client):
    html = client.get("/antrag/?aktionsraum=%3Cscript%3E").content.decode()
    select = html.split('name="aktionsraum"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)" selected>', select) == [""]


def test_valid_submission_is_stored_with_cost_plan_and_redirects_to_confirmation(client, submit):
    response = submit()
    assert response.status_code == 302 and response["Location"] == "/antrag/eingereicht/"
    antrag = Antrag.objects.get()
    year = timezone.localdate().year
    assert antrag.aktenzeichen == f"AP-{year}-0001"
    assert antrag.status == Status.EINGEREICHT
    assert antrag.beantragter_betrag == Decimal("350.00")
    assert antrag.iban == "DE89370400440532013000"
    assert [(k.beschreibung, k.betrag) for k in antrag.kosten.all()] == [
        ("Material", Decimal("300.00")),
        ("Miete Saal", Decimal("200.00")),
    ]
    assert antrag.verlauf.get().nach == Status.EINGEREICHT
    page = client.get("/antrag/eingereicht/").content.decode()
    assert f"AP-{year}-0001" in page


def test_confirmation_page_without_a_submission_goes_back_to_the_form(client):
    assert client.get("/antrag/eingereicht/")["Location"] == "/antrag/"


def test_applicant_gets_a_german_confirmation_with_text_html_and_status_link(client, submit):
    submit()
    antrag = Antrag.objects.get()
    confirmation = next(m for m in mail.outbox if m.to == ["erika@example.org"])
    assert confirmation.subject == f"Ihr Antrag {antrag.aktenzeichen} ist eingegangen"
    # Nothing typed into the form until the link was opened (test_antraege_missbrauch.py).
    assert confirmation.body.startswith("Guten Tag,\n") and "Erika" not in confirmation.body
    assert status_link(confirmation).group(1) == token(antrag)
    html, mime = confirmation.alternatives[0]
    assert mime == "text/html" and token(antrag) in html
    assert AusgehendeMail.objects.filter(gesendet_am__isnull=True).count() == 0


def test_beauftragte_and_projektbuero_are_notified(client, submit):
    submit()
    notice = next(m for m in mail.outbox if m.to != ["erika@example.org"])
    assert sorted(notice.to) == ["aweiermann@stadtdo.de", "projektbuero@example.org"]
    assert "Neuer Antrag" in notice.subject


def test_area_without_beauftragte_notifies_only_the_projektbuero(client, submit):
    from quartiere.models import Aktionsraum

    submit(aktionsraum=str(Aktionsraum.objects.get(slug="wickede").pk))
    notice = next(m for m in mail.outbox if m.to != ["erika@example.org"])
    assert notice.to == ["projektbuero@example.org"]


def test_status_token_is_long_random_and_not_derived_from_the_id(client, submit):
    submit()
    submit(titel="Ein zweites Fest")
    tokens = [token(a) for a in Antrag.objects.all()]
    assert len(set(tokens)) == 2
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes = 256 bits
    assert not any(str(a.pk) == token(a) for a in Antrag.objects.all())


def test_status_page_shows_antrag_history_and_next_steps(client, submit):
    submit()
    antrag = Antrag.objects.get()
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert antrag.aktenzeichen in html
    assert "Nachbarschaftsfest am Marktplatz" in html
    assert "Wie geht es weiter?" in html
    assert "Miete Saal" in html and "200,00" in html
    assert "Antrag zurückziehen" in html


@pytest.mark.parametrize("token", ["x" * 43, "A" * 32, "../../etc"])
def test_unknown_or_malformed_token_gives_404(client, token):
    assert client.get(f"/antrag/status/{token}/").status_code == 404


def test_applicant_can_withdraw_before_a_decision(
    client, submit, django_capture_on_commit_callbacks
):
    submit()
    antrag = Antrag.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/antrag/status/{token(antrag)}/zurueckziehen/",
            {"kommentar": "Fest fällt aus", "bestaetigt": "ja"},
        )
    assert response.status_code == 302
    antrag.refresh_from_db()
    assert antrag.status == Status.ZURUECKGEZOGEN
    last = antrag.verlauf.last()
    assert (last.von, last.nach, last.durch_antragsteller, last.kommentar) == (
        Status.EINGEREICHT,
        Status.ZURUECKGEZOGEN,
        True,
        "Fest fällt aus",
    )
    assert mail.outbox[0].subject.endswith(": Zurückgezogen")
    html = client.get(response["Location"]).content.decode()
    assert "Ihr Antrag wurde zurückgezogen." in html
    assert "Antrag zurückziehen …" not in html


def test_withdrawing_after_a_decision_is_refused_with_a_message(client, submit):
    submit()
    antrag = Antrag.objects.get()
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.BEWILLIGT)
    response = client.post(
        f"/antrag/status/{token(antrag)}/zurueckziehen/", {"bestaetigt": "ja"}, follow=True
    )
    assert "kann nicht mehr zurückgezogen werden" in response.content.decode()
    antrag.refresh_from_db()
    assert antrag.status == Status.BEWILLIGT


def test_withdrawing_asks_for_confirmation_on_a_page_of_its_own(client, submit):
    submit()
    antrag = Antrag.objects.get()
    url = f"/antrag/status/{token(antrag)}/zurueckziehen/"
    seite = client.get(url)
    html = seite.content.decode()
    assert seite.status_code == 200 and f"Antrag {antrag.aktenzeichen} zurückziehen?" in html
    assert 'name="bestaetigt" value="ja"' in html
    assert f'href="/antrag/status/{token(antrag)}/"' in html  # back without a change
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT  # looking at it changes nothing
    assert f'href="{url}"' in client.get(f"/antrag/status/{token(antrag)}/").content.decode()


@pytest.mark.parametrize("bestaetigt", [None, "", "nein", "on", "JA"])
def test_a_withdrawal_without_confirmation_is_refused_and_nothing_changes(
    client, submit, bestaetigt
):
    submit()
    antrag = Antrag.objects.get()
    mail.outbox.clear()
    daten = {"kommentar": "Doch nicht"} | (
        {"bestaetigt": bestaetigt} if bestaetigt is not None else {}
    )
    antwort = client.post(f"/antrag/status/{token(antrag)}/zurueckziehen/", daten)
    assert antwort.status_code == 400
    html = antwort.content.decode()
    assert "Bitte bestätigen Sie, dass Sie den Antrag zurückziehen möchten." in html
    assert "Doch nicht" in html  # the reason typed is kept
    antrag.refresh_from_db()
    assert antrag.status == Status.EINGEREICHT and antrag.verlauf.count() == 1
    assert mail.outbox == []


def test_a_decided_antrag_has_no_withdrawal_page(client, submit):
    submit()
    antrag = Antrag.objects.get()
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.BEWILLIGT)
    antwort = client.get(f"/antrag/status/{token(antrag)}/zurueckziehen/", follow=True)
    assert "kann nicht mehr zurückgezogen werden" in antwort.content.decode()


def test_adding_a_cost_row_without_javascript_keeps_all_values(client):
    data = antrag_post_data(kosten_hinzufuegen="1")
    html = client.post("/antrag/", data).content.decode()
    assert 'name="kosten-TOTAL_FORMS" value="3"' in html
    assert 'name="kosten-2-beschreibung"' in html
    assert 'value="Miete Saal"' in html and 'value="Nachbarschaftsfest am Marktplatz"' in html
    assert "Bitte korrigieren" not in html
    assert not Antrag.objects.exists()


def test_consecutive_submissions_get_consecutive_aktenzeichen(client, submit):
    for i in range(3):
        submit(titel=f"Fest {i}")
    numbers = sorted(Antrag.objects.values_list("laufende_nummer", flat=True))
    assert numbers == [1, 2, 3]


def test_adding_a_cost_row_to_a_half_filled_form_shows_no_errors_yet(client):
    data = antrag_post_data(kosten_hinzufuegen="1", titel="", email="unfertig")
    html = client.post("/antrag/", data).content.decode()
    assert 'name="kosten-TOTAL_FORMS" value="3"' in html
    assert 'value="unfertig"' in html
    assert "Bitte füllen Sie dieses Feld aus." not in html
    assert "is-invalid" not in html


def test_each_section_of_the_check_page_leads_back_to_its_step(client):
    daten = antrag_post_data()
    daten.pop("absenden", None)
    html = client.post("/antrag/", daten | {"pruefen": "1"}).content.decode()
    knoepfe = re.findall(r'<button type="submit" form="pruefen-form" name="aendern"[^>]*>', html)
    ziele = [re.search(r'value="([^"]+)"', k).group(1) for k in knoepfe]
    assert ziele == ["projekt", "ziele", "termin", "kosten", "antragsteller", "anlagen"]
    # Each leads to its step, with every value in place (its own shown, the others hidden),
    # and the step's main button goes back to the check page.
    for ziel in ziele:
        formular = client.post("/antrag/", daten | {"aendern": ziel}).content.decode()
        assert f'id="schritt-{ziel}"' in formular
        assert 'name="zur_pruefung" value="1"' in formular
        hauptknopf = 'name="pruefen" value="1" class="kern-btn kern-btn--primary'
        assert f'<button type="submit" {hauptknopf}' in formular
        assert 'value="Nachbarschaftsfest am Marktplatz"' in formular
        assert 'value="DE89370400440532013000"' in formular.replace(" ", "")
    formular = client.post("/antrag/", daten | {"aendern": "1"}).content.decode()
    assert 'value="Nachbarschaftsfest am Marktplatz"' in formular
