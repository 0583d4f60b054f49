"""Nothing chosen is lost, and a service that guides (issue 16, points 2 and 3): pending
uploads kept for one form, a check page before sending, drafts saved for later through a
mailed link, the start page; and each of them attacked."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Antrag, AusgehendeMail, Entwurf, Status, VorlaeufigeAnlage
from antraege.selectors import statusseite
from antraege.services.entwurf import entwuerfe_aufraeumen, entwurf_token

from .factories import PDF_BYTES, PNG_BYTES, antrag_post_data, submitted_antrag

pytestmark = pytest.mark.django_db


def pdf(name="Angebot.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def token_aus(html):
    return re.search(r'name="entwurf" value="([^"]*)"', html).group(1)


def runde(client, **overrides):
    """A round trip on the step with the files (a cost row added): nothing is checked,
    nothing is sent."""
    data = antrag_post_data(**overrides)
    data.pop("absenden")
    data["kosten_hinzufuegen"] = "1"
    data.setdefault("schritt", "anlagen")
    response = client.post("/antrag/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_file_chosen_before_a_round_trip_is_kept_and_listed(client):
    html = runde(client, anlagen=[pdf()])
    token = token_aus(html)
    assert len(token) == 43
    assert "Angebot.pdf" in html and "entfernen" in html
    anlage = VorlaeufigeAnlage.objects.get()
    assert anlage.gueltig_bis - timezone.now() <= timedelta(days=1)
    # Sent without choosing it again: the Antrag has the file.
    response = client.post("/antrag/", antrag_post_data(entwurf=token))
    assert response.status_code == 302
    antrag = Antrag.objects.get()
    assert [a.dateiname for a in antrag.anlagen.all()] == ["Angebot.pdf"]
    assert not Entwurf.objects.exists() and not VorlaeufigeAnlage.objects.exists()


def test_a_file_survives_an_error_too(client):
    html = runde(client, anlagen=[pdf()])
    token = token_aus(html)
    html = client.post("/antrag/", antrag_post_data(entwurf=token, titel="")).content.decode()
    assert "Bitte geben Sie einen Titel" in html and 'id="schritt-projekt"' in html
    assert token_aus(html) == token and "erneut auswählen" not in html
    # The step with the files still lists it.
    daten = antrag_post_data(entwurf=token, titel="") | {"aendern": "anlagen"}
    assert "Angebot.pdf" in client.post("/antrag/", daten).content.decode()


def test_removing_a_pending_upload(client):
    token = token_aus(runde(client, anlagen=[pdf("a.pdf"), pdf("b.pdf")]))
    a = VorlaeufigeAnlage.objects.get(dateiname="a.pdf")
    html = runde(client, entwurf=token, anlage_entfernen=str(a.pk))
    assert "a.pdf" not in html and "b.pdf" in html
    assert list(VorlaeufigeAnlage.objects.values_list("dateiname", flat=True)) == ["b.pdf"]


def test_a_pending_upload_of_another_form_cannot_be_removed_or_used(client):
    fremd = token_aus(runde(client, anlagen=[pdf("fremd.pdf")]))
    fremde = VorlaeufigeAnlage.objects.get()
    eigen = token_aus(runde(client, anlagen=[pdf("eigen.pdf")]))
    assert fremd != eigen
    html = runde(client, entwurf=eigen, anlage_entfernen=str(fremde.pk))
    assert "gehört nicht zu diesem Formular" in html and "fremd.pdf" not in html
    assert VorlaeufigeAnlage.objects.filter(pk=fremde.pk).exists()
    # Sending with one's own token takes only one's own files.
    client.post("/antrag/", antrag_post_data(entwurf=eigen))
    assert [a.dateiname for a in Antrag.objects.get().anlagen.all()] == ["eigen.pdf"]
    assert VorlaeufigeAnlage.objects.filter(pk=fremde.pk).exists()


@pytest.mark.parametrize("wert", ["x" * 43, "", "../../etc", "1" * 300])
def test_a_made_up_token_finds_no_files(client, wert):
    token_aus(runde(client, anlagen=[pdf()]))
    html = runde(client, entwurf=wert, anlage_entfernen=str(VorlaeufigeAnlage.objects.get().pk))
    assert "Angebot.pdf" not in html
    assert VorlaeufigeAnlage.objects.count() == 1


def test_a_refused_file_is_not_kept(client):
    html = runde(client, anlagen=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")])
    assert not VorlaeufigeAnlage.objects.exists()
    assert "x.pdf" in html  # named in the error


def test_no_more_than_five_pending_files(client):
    token = token_aus(runde(client, anlagen=[pdf(f"{i}.pdf") for i in range(4)]))
    html = runde(client, entwurf=token, anlagen=[pdf("5.pdf"), pdf("6.pdf")])
    assert "höchstens 5 Dateien; 4 sind schon ausgewählt" in html
    assert VorlaeufigeAnlage.objects.count() == 4


def test_an_expired_form_refuses_to_send_without_its_files(client):
    token = token_aus(runde(client, anlagen=[pdf()]))
    Entwurf.objects.update(gueltig_bis=timezone.now() - timedelta(seconds=1))
    response = client.post("/antrag/", antrag_post_data(entwurf=token))
    html = response.content.decode()
    assert response.status_code == 200 and "länger als einen Tag offen" in html
    assert not Antrag.objects.exists()
    assert 'value="Nachbarschaftsfest am Marktplatz"' in html


def test_expired_drafts_and_files_are_deleted(client, django_capture_on_commit_callbacks):
    token_aus(runde(client, anlagen=[pdf()]))
    name = VorlaeufigeAnlage.objects.get().datei.name
    storage = VorlaeufigeAnlage.datei.field.storage
    assert storage.exists(name)
    assert entwuerfe_aufraeumen() == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        ergebnis = entwuerfe_aufraeumen(jetzt=timezone.now() + timedelta(hours=25))
    assert ergebnis == (1, 1)
    assert not storage.exists(name) and not Entwurf.objects.exists()


# The check page


def test_a_valid_form_leads_to_the_check_page_and_nothing_is_stored(client):
    data = antrag_post_data(anlagen=[pdf()])
    data.pop("absenden")
    data["pruefen"] = "1"
    html = client.post("/antrag/", data).content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert "Nachbarschaftsfest am Marktplatz" in html and "Hörde" in html
    assert "DE89 3704 0044 0532 0130 00" in html
    assert re.search(r'id="beantragter-betrag">350,00\xa0€<', html)
    assert "Angebot.pdf" in html
    assert not Antrag.objects.exists()
    # The page sends the values again, and the amount it showed.
    assert 'name="titel" value="Nachbarschaftsfest am Marktplatz"' in html
    assert 'name="beantragter_betrag" value="350,00"' in html
    daten = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    daten["absenden"] = "1"
    daten["ziele"] = "ziel_nachbarschaft"
    response = client.post("/antrag/", daten)
    assert response.status_code == 302
    antrag = Antrag.objects.get()
    assert antrag.beantragter_betrag == Decimal("350.00") and antrag.anlagen.count() == 1


def test_changing_from_the_check_page_returns_to_the_form_with_everything(client):
    data = antrag_post_data()
    data.pop("absenden")
    data["aendern"] = "1"
    html = client.post("/antrag/", data).content.decode()
    assert 'id="schritt-projekt"' in html and 'name="weiter"' in html
    assert 'value="Nachbarschaftsfest am Marktplatz"' in html
    assert "Bitte korrigieren" not in html


def test_a_check_page_with_a_changed_amount_is_refused(client):
    response = client.post("/antrag/", antrag_post_data(beantragter_betrag="3.000,00"))
    assert "ergibt sich jetzt ein beantragter Betrag von 350,00 €" in response.content.decode()
    assert not Antrag.objects.exists()


# Saving for later


def spaeter(client, **overrides):
    data = antrag_post_data(**overrides)
    data.pop("absenden")
    data["spaeter"] = "1"
    return client.post("/antrag/", data)


def test_saving_for_later_mails_a_link_that_brings_everything_back(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        html = spaeter(client, titel="Halb fertig", iban="", anlagen=[pdf()]).content.decode()
    assert "Ihr Entwurf ist gespeichert" in html and "erika@example.org" in html
    entwurf = Entwurf.objects.get()
    assert entwurf.gueltig_bis - timezone.now() > timedelta(days=29)
    assert entwurf.daten["titel"] == ["Halb fertig"] and "csrfmiddlewaretoken" not in entwurf.daten
    # The link is in the mail, never in the outbox or the database.
    message = mail.outbox[-1]
    assert message.to == ["erika@example.org"]
    link = re.search(r"http://\S+(/antrag/entwurf/[A-Za-z0-9_-]+/)", message.body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    gespeichert = AusgehendeMail.objects.get(entwurf=entwurf)
    assert token not in gespeichert.text and "[Statuslink]" in gespeichert.text
    assert token not in str(Entwurf.objects.values().get())
    html = client.get(link).content.decode()
    assert 'value="Halb fertig"' in html and "Willkommen zurück" in html
    # On at the first step that lacks something (the IBAN), without an error shown yet.
    assert 'id="schritt-antragsteller"' in html and token_aus(html) == token
    assert "Bitte korrigieren" not in html
    daten = antrag_post_data(entwurf=token, titel="Halb fertig") | {"aendern": "anlagen"}
    assert "Angebot.pdf" in client.post("/antrag/", daten).content.decode()
    # Finished and sent from there: the draft is gone.
    response = client.post("/antrag/", antrag_post_data(entwurf=token, titel="Fertig"))
    assert response.status_code == 302 and not Entwurf.objects.exists()
    assert client.get(link).status_code == 404


def test_saving_for_later_needs_an_address(client):
    html = spaeter(client, email="kein-at").content.decode()
    assert "damit wir Ihnen den Link zum Weitermachen schicken können" in html
    assert not Entwurf.objects.exists()


def test_an_expired_draft_link_says_so_and_changes_nothing(client):
    spaeter(client)
    entwurf = Entwurf.objects.get()
    token = entwurf_token(entwurf)
    Entwurf.objects.update(gueltig_bis=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/antrag/entwurf/{token}/")
    assert response.status_code == 404
    assert "30 Tage" in response.content.decode()
    assert Entwurf.objects.count() == 1


def test_a_draft_nobody_saved_has_no_link(client):
    token = token_aus(runde(client, anlagen=[pdf()]))
    assert client.get(f"/antrag/entwurf/{token}/").status_code == 404


@pytest.mark.bot_schutz
def test_draft_links_are_rate_limited_per_address(client, settings):
    settings.ANTRAG_MINDESTZEIT_SEKUNDEN = 0
    settings.RATELIMITS = {**settings.RATELIMITS, "entwurf_email": "2/h"}
    assert spaeter(client).status_code == 200
    assert spaeter(client).status_code == 200
    assert spaeter(client).status_code == 429
    assert Entwurf.objects.count() == 2


def test_a_draft_link_is_masked_in_logs():
    from antraege.statuslink import schwaerzen

    assert schwaerzen("GET /antrag/entwurf/abcDEF123_-abcDEF123_-abcDEF123_-abc/") == (
        "GET /antrag/entwurf/…/"
    )


# The start page


def test_the_start_page_says_what_is_needed_who_decides_and_links_the_form(client):
    html = client.get("/antrag/start/?aktionsraum=hoerde").content.decode()
    for text in ["Was Sie brauchen", "IBAN", "Angebote", "Wer entscheidet", "Projektkonferenz"]:
        assert text in html
    assert 'href="/antrag/?aktionsraum=hoerde"' in html
    assert "im Median" not in html  # no decisions yet: no figure


def test_the_start_page_ignores_an_unknown_area(client):
    html = client.get("/antrag/start/?aktionsraum=<script>").content.decode()
    assert 'href="/antrag/"' in html and "<script>" not in html


def test_the_decision_time_comes_from_the_decisions_themselves():
    from antraege.models import StatusAenderung

    for tage in [10, 20, 30, 40, 50]:
        antrag = submitted_antrag(email=f"d{tage}@example.org")
        Antrag.objects.filter(pk=antrag.pk).update(
            eingereicht_am=timezone.now() - timedelta(days=tage)
        )
        StatusAenderung.objects.create(antrag=antrag, von="eingereicht", nach=Status.BEWILLIGT)
    assert statusseite.entscheidungsdauer() == 30
    assert statusseite.entscheidungsdauer(mindestens=6) is None


def test_links_to_apply_lead_to_the_start_page(client):
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert 'href="/antrag/start/?aktionsraum=hoerde"' in html


def test_png_is_fine_too(client):
    html = runde(client, anlagen=[SimpleUploadedFile("foto.png", PNG_BYTES, "image/png")])
    assert "foto.png" in html


def test_the_daily_deletion_run_removes_expired_drafts(client, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    spaeter(client, anlagen=[pdf()])
    Entwurf.objects.update(gueltig_bis=timezone.now() - timedelta(seconds=1))
    VorlaeufigeAnlage.objects.update(gueltig_bis=timezone.now() - timedelta(seconds=1))
    import io

    ausgabe = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personendaten_loeschen", stdout=ausgabe)
    assert "1 abgelaufene Entwürfe, 1 vorläufige Anlagen" in ausgabe.getvalue()
    assert not Entwurf.objects.exists() and not VorlaeufigeAnlage.objects.exists()


def test_pending_uploads_are_capped_per_client_across_new_drafts(client, settings):
    """Every post without a token starts a new draft: the cap counts the client's files in
    all of them."""
    from django.test import Client

    erlaubt = 3
    settings.VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB = erlaubt * len(PDF_BYTES) / (1024 * 1024)
    angreifer = Client(REMOTE_ADDR="10.0.2.1")
    for _nummer in range(erlaubt):
        runde(angreifer, anlagen=[pdf()])  # a fresh form each time: no token
    assert VorlaeufigeAnlage.objects.count() == erlaubt
    html = runde(angreifer, anlagen=[pdf()])
    assert "Von Ihrem Anschluss liegen schon" in html
    assert VorlaeufigeAnlage.objects.count() == erlaubt
    # Another client is not held up by it; nor is the address kept in the clear.
    assert "Angebot.pdf" in runde(Client(REMOTE_ADDR="10.0.2.2"), anlagen=[pdf()])
    assert not VorlaeufigeAnlage.objects.filter(client__contains="10.0.2").exists()
    assert VorlaeufigeAnlage.objects.values("client").distinct().count() == 2


def test_pending_uploads_are_capped_in_all(client, settings):
    from django.test import Client

    erlaubt = 4
    settings.VORLAEUFIGE_ANLAGEN_GESAMT_MB = erlaubt * len(PDF_BYTES) / (1024 * 1024)
    for nummer in range(erlaubt):
        runde(Client(REMOTE_ADDR=f"10.0.3.{nummer % 250}"), anlagen=[pdf()])
    html = runde(Client(REMOTE_ADDR="10.0.4.1"), anlagen=[pdf()])
    assert "Zurzeit können wir keine Dateien annehmen" in html
    assert VorlaeufigeAnlage.objects.count() == erlaubt
    # Once the first ones expire there is room again.
    VorlaeufigeAnlage.objects.update(gueltig_bis=timezone.now())
    assert "Angebot.pdf" in runde(Client(REMOTE_ADDR="10.0.4.1"), anlagen=[pdf()])


def test_every_button_of_a_continued_draft_posts_to_the_form(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        spaeter(client, titel="Halb fertig", anlagen=[pdf()])
    link = re.search(r"http://\S+(/antrag/entwurf/[A-Za-z0-9_-]+/)", mail.outbox[-1].body).group(1)
    html = client.get(link).content.decode()
    ziele = set(re.findall(r'formaction="([^"#]*)', html))
    assert ziele == {"/antrag/"}, ziele
    token = token_aus(html)
    # Each of them, posted where the page sends it, answers with the form and loses nothing.
    anlage = VorlaeufigeAnlage.objects.get()
    for knopf in [{"kosten_hinzufuegen": "1"}, {"anlage_entfernen": str(anlage.pk)}]:
        daten = {**antrag_post_data(entwurf=token, titel="Halb fertig"), **knopf}
        daten.pop("absenden")
        antwort = client.post("/antrag/", daten)
        assert antwort.status_code == 200
        assert 'value="Halb fertig"' in antwort.content.decode()
    assert not VorlaeufigeAnlage.objects.exists()
    assert client.post(link, {"kosten_hinzufuegen": "1"}).status_code == 405


def test_a_draft_saved_from_the_one_page_form_goes_on_in_steps(client):
    """A draft kept before the form had steps holds the same field names: its link opens the
    last step (everything there), the check page shows every answer, and it can be sent."""
    from django.http import QueryDict

    from antraege.forms.antrag import entwurf_felder
    from antraege.services.entwurf import daten_aus_post, entwurf_anlegen, entwurf_speichern

    alt = antrag_post_data()
    alt.pop("absenden")
    post = QueryDict(mutable=True)
    for name, wert in alt.items():
        post.setlist(name, wert if isinstance(wert, list) else [wert])
    entwurf, _token = entwurf_anlegen()
    entwurf = entwurf_speichern(
        entwurf=entwurf,
        daten=daten_aus_post(post, entwurf_felder()),
        email="erika@example.org",
        sprache="de",
    )
    token = entwurf_token(entwurf)
    html = client.get(f"/antrag/entwurf/{token}/").content.decode()
    assert 'id="schritt-anlagen"' in html and "Willkommen zurück" in html
    assert '<input type="hidden" name="titel" value="Nachbarschaftsfest am Marktplatz">' in html
    pruefen = antrag_post_data(entwurf=token)
    pruefen.pop("absenden")
    html = client.post("/antrag/", pruefen | {"pruefen": "1"}).content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html and "Nachbarschaftsfest am Marktplatz" in html
    assert client.post("/antrag/", antrag_post_data(entwurf=token)).status_code == 302
    assert Antrag.objects.get().titel == "Nachbarschaftsfest am Marktplatz"
    assert not Entwurf.objects.exists()


@pytest.mark.parametrize(
    "knopf",
    [{"zurueck": "1"}, {"aendern": "projekt"}, {"kosten_hinzufuegen": "1", "schritt": "kosten"}],
    ids=["zurueck", "aendern", "runde-auf-anderem-schritt"],
)
def test_a_refused_file_is_said_on_whichever_step_comes_next(client, knopf):
    daten = antrag_post_data(
        anlagen=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")]
    )
    daten.pop("absenden")
    daten.setdefault("schritt", "anlagen")
    html = client.post("/antrag/", daten | knopf).content.decode()
    assert "x.pdf" in html and "kern-alert--warning" in html
    assert not VorlaeufigeAnlage.objects.exists()
