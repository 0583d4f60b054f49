"""Funded projects residents can find: a public page only with the applicant's consent (given
in the form, withdrawn on the status page, the page gone at once, cache included), after the
Nachweis with a short report and one re-encoded photo; the programme's list with filters and
an Atom feed; without consent only area, goal and amount, as an anonymous row."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from antraege import statuslink
from antraege.forms.antrag import AntragForm
from antraege.models import Antrag, Status
from antraege.services import budget
from tests.factories import (
    antrag_post_data,
    entscheidungsreif,
    fonds_bewilligen,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def gefoerdert(staff, titel, vorstellen, **kwargs):
    """A fund Antrag granted in full, with the given answer to the project page question."""
    antrag = submitted_antrag(
        titel=titel,
        beantragter_betrag=Decimal("800.00"),
        durchfuehrungsort=f"Ort von {titel}",
        oeffentlich_vorstellen=vorstellen,
        vorstellung_text=f"So stellt sich {titel} vor." if vorstellen else "",
        **kwargs,
    )
    antrag = entscheidungsreif(antrag, staff)
    fonds_bewilligen(antrag, Decimal("800.00"), staff)
    return Antrag.objects.get(pk=antrag.pk)


@pytest.fixture
def projekte(staff):
    budget.haushaltsjahr_mit_programmbetraegen(jahr=budget_jahr(), nur_erstes=False)
    return {
        "ja": gefoerdert(staff, "Lesecafé", True, organisation="Leseverein e. V."),
        "nein": gefoerdert(staff, "Geheimes Hoffest", False, organisation="Hofverein"),
        "alt": gefoerdert(staff, "Altes Projekt", None),
    }


def budget_jahr():
    from django.utils import timezone

    return timezone.localdate().year


# --- The question in the form ---------------------------------------------------------------


def _form(**werte):
    daten = antrag_post_data(**werte)
    return AntragForm(daten)


def test_consent_needs_a_text_for_the_public_and_no_consent_keeps_none():
    form = _form(oeffentlich_vorstellen="on", vorstellung_text="  ")
    assert not form.is_valid()
    assert form.errors["vorstellung_text"] == [
        "Bitte schreiben Sie zwei, drei Sätze über Ihr Projekt für die Projektseite – oder "
        "nehmen Sie das Häkchen bei der Projektseite wieder weg."
    ]
    form = _form(vorstellung_text="Wird ohne Häkchen nicht gespeichert.")
    form.is_valid()
    assert form.cleaned_data["oeffentlich_vorstellen"] is False
    assert form.cleaned_data["vorstellung_text"] == ""
    form = _form(oeffentlich_vorstellen="on", vorstellung_text="Ein Fest für alle.")
    form.is_valid()
    assert form.cleaned_data["vorstellung_text"] == "Ein Fest für alle."


def test_the_online_form_stores_the_answer(client):
    client.post("/antrag/", antrag_post_data())
    client.post(
        "/antrag/",
        antrag_post_data(
            titel="Zweites Fest", oeffentlich_vorstellen="on", vorstellung_text="Für alle."
        ),
    )
    werte = dict(Antrag.objects.values_list("titel", "oeffentlich_vorstellen"))
    assert werte == {"Nachbarschaftsfest am Marktplatz": False, "Zweites Fest": True}


# --- What residents see ---------------------------------------------------------------------


def test_a_project_with_consent_has_its_page_the_others_none(projekte):
    ja, nein, alt = projekte["ja"], projekte["nein"], projekte["alt"]
    html = Client().get(f"/projekte/{ja.aktenzeichen}/").content.decode()
    for erwartet in ("Lesecafé", "So stellt sich Lesecafé vor.", "Ort von Lesecafé", "800,00"):
        assert erwartet in html
    for privat in ("Erika Beispiel", "Leseverein", "erika@example.org", "Beispielstraße"):
        assert privat not in html
    assert Client().get(f"/projekte/{nein.aktenzeichen}/").status_code == 404
    assert Client().get(f"/projekte/{alt.aktenzeichen}/").status_code == 404
    assert Client().get("/projekte/AP-2026-99999/").status_code == 404


def test_without_consent_the_lists_show_only_area_goal_and_amount(projekte):
    nein = projekte["nein"]
    for url in ("/projekte/", "/aktionsraeume/hoerde/", "/antrag/offene-daten/projekte.csv"):
        text = Client().get(url).content.decode()
        assert "Geheimes Hoffest" not in text and "Ort von Geheimes Hoffest" not in text, url
        assert "Hofverein" not in text and "Erika Beispiel" not in text, url
    liste = Client().get("/projekte/").content.decode()
    assert "Ein Projekt (ohne veröffentlichten Titel)" in liste
    # The consented one links to its page; one from before keeps its title, no page.
    assert f'href="/projekte/{projekte["ja"].aktenzeichen}/"' in liste
    assert "Altes Projekt" in liste and f"/projekte/{projekte['alt'].aktenzeichen}/" not in liste
    assert nein.aktenzeichen not in liste


def test_the_list_filters_by_area_year_and_goal_and_ignores_what_it_does_not_know(projekte):
    jahr = budget_jahr()
    html = Client().get(f"/projekte/?aktionsraum=hoerde&jahr={jahr}&ziel=nachbarschaft")
    assert "3 Projekte" in html.content.decode()
    assert "0 Projekte" in Client().get("/projekte/?aktionsraum=marten").content.decode()
    assert "0 Projekte" in Client().get("/projekte/?ziel=beschaeftigung").content.decode()
    for unsinn in (
        "?jahr=abc",
        "?jahr=٣",
        "?aktionsraum=%3Cscript%3E",
        "?ziel=x%00",
        "?seite=999999",
        "?seite=-1",
        "?jahr=1900",
    ):
        antwort = Client().get(f"/projekte/{unsinn}")
        assert antwort.status_code == 200, unsinn
        assert "3 Projekte" in antwort.content.decode(), unsinn


def test_the_atom_feed_lists_the_project_pages_only(projekte):
    antwort = Client().get("/projekte/feed.atom")
    assert antwort["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(antwort.content)
    assert feed.tag == f"{ATOM}feed"
    for pflicht in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{pflicht}") is not None, pflicht
    eintraege = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in eintraege] == ["Lesecafé"]
    eintrag = eintraege[0]
    for pflicht in ("id", "title", "updated", "link"):
        assert eintrag.find(f"{ATOM}{pflicht}") is not None, pflicht
    assert (
        eintrag.find(f"{ATOM}link")
        .get("href")
        .endswith(f"/projekte/{projekte['ja'].aktenzeichen}/")
    )
    assert b"Geheimes Hoffest" not in antwort.content and b"Altes Projekt" not in antwort.content


# --- The applicant's status page ------------------------------------------------------------


def _token(antrag):
    """The Antrag's status link token, as its mails carry it."""
    return statuslink.token_fuer(antrag)


def test_withdrawing_takes_the_page_down_at_once_cache_included(projekte, settings):
    ja = projekte["ja"]
    token = _token(ja)
    besucher = Client()
    assert besucher.get(f"/projekte/{ja.aktenzeichen}/").status_code == 200
    from aktionsplan.kern.seitencache import KOPFZEILE

    assert besucher.get(f"/projekte/{ja.aktenzeichen}/")[KOPFZEILE] == "1"  # from the cache
    antragsteller = Client()
    # Without the tick nothing happens.
    antragsteller.post(f"/antrag/status/{token}/projektseite/herausnehmen/")
    assert besucher.get(f"/projekte/{ja.aktenzeichen}/").status_code == 200
    antwort = antragsteller.post(
        f"/antrag/status/{token}/projektseite/herausnehmen/", {"bestaetigt": "ja"}, follow=True
    )
    assert "Die Projektseite ist herausgenommen." in antwort.content.decode()
    assert besucher.get(f"/projekte/{ja.aktenzeichen}/").status_code == 404
    liste = besucher.get("/projekte/").content.decode()
    assert "Lesecafé" not in liste and "So stellt sich" not in liste
    ja.refresh_from_db()
    assert (ja.oeffentlich_vorstellen, ja.vorstellung_text) == (False, "")


def _jpeg_mit_exif() -> bytes:
    bild = Image.new("RGB", (3000, 2000), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x013B] = "Erika Beispiel"  # Artist
    ausgabe = io.BytesIO()
    bild.save(ausgabe, format="JPEG", exif=exif)
    return ausgabe.getvalue()


def test_after_the_nachweis_a_report_and_a_reencoded_photo_join_the_page(
    projekte, django_capture_on_commit_callbacks
):
    ja = projekte["ja"]
    token = _token(ja)
    client = Client()
    # Before the Nachweis there is no report yet.
    antwort = client.get(f"/antrag/status/{token}/projektseite/", follow=True)
    assert "nach dem Verwendungsnachweis" in antwort.content.decode()
    Antrag.objects.filter(pk=ja.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    url = f"/antrag/status/{token}/projektseite/"
    # Mistakes first: no text, a file that is no photo, a photo without description.
    html = client.post(
        url, {"bericht": "", "foto": SimpleUploadedFile("x.jpg", b"%PDF-1.4 kein Bild")}
    ).content.decode()
    assert "Bitte schreiben Sie ein paar Sätze über Ihr Projekt." in html
    html = client.post(
        url,
        {
            "bericht": "Es war schön.",
            "foto": SimpleUploadedFile("x.jpg", b"%PDF-1.4 kein Bild"),
            "foto_beschreibung": "Menschen",
            "bildnachweis": "Verein",
        },
    ).content.decode()
    assert "Die Datei ist kein lesbares Foto." in html
    html = client.post(
        url,
        {"bericht": "Es war schön.", "foto": SimpleUploadedFile("f.jpg", _jpeg_mit_exif())},
    ).content.decode()
    assert "Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist." in html
    assert not Antrag.objects.get(pk=ja.pk).foto
    antwort = client.post(
        url,
        {
            "bericht": "Vierzig Nachbarinnen kamen.",
            "foto": SimpleUploadedFile("f.jpg", _jpeg_mit_exif()),
            "foto_beschreibung": "Tische mit Büchern im Hof",
            "bildnachweis": "Leseverein",
        },
        follow=True,
    )
    assert "Bericht und Foto stehen jetzt auf der Projektseite." in antwort.content.decode()
    html = Client().get(f"/projekte/{ja.aktenzeichen}/").content.decode()
    assert "Vierzig Nachbarinnen kamen." in html and "Foto: Leseverein" in html
    assert 'alt="Tische mit Büchern im Hof"' in html
    foto = Client().get(f"/projekte/{ja.aktenzeichen}/foto.jpg")
    assert foto.status_code == 200 and foto["Content-Type"] == "image/jpeg"
    bild = Image.open(io.BytesIO(b"".join(foto.streaming_content)))
    assert bild.format == "JPEG" and max(bild.size) == 1600
    assert len(bild.getexif()) == 0  # no camera, no name, no place
    # Withdrawn: the photo goes with the page, and its file with it.
    datei = Antrag.objects.get(pk=ja.pk).foto.name
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/antrag/status/{token}/projektseite/herausnehmen/", {"bestaetigt": "ja"})
    assert Client().get(f"/projekte/{ja.aktenzeichen}/foto.jpg").status_code == 404
    assert not Antrag._meta.get_field("foto").storage.exists(datei)


def test_no_report_for_a_project_without_a_page(projekte):
    nein = projekte["nein"]
    Antrag.objects.filter(pk=nein.pk).update(status=Status.NACHWEIS_EINGEREICHT)
    token = _token(nein)
    antwort = Client().post(f"/antrag/status/{token}/projektseite/", {"bericht": "x"}, follow=True)
    assert "nach dem Verwendungsnachweis" in antwort.content.decode()
    assert Antrag.objects.get(pk=nein.pk).bericht_oeffentlich == ""
    html = Client().get(f"/antrag/status/{token}/").content.decode()
    assert "Ihr Projekt hat keine öffentliche Projektseite." in html


def _jpeg_mit_kommentar() -> bytes:
    """A JPEG with a comment segment (COM) naming a person: Pillow would carry it along."""
    ausgabe = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 20, 30)).save(
        ausgabe, format="JPEG", comment=b"Erika Beispiel, Beispielstrasse 1"
    )
    return ausgabe.getvalue()


def _png_mit_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "Erika Beispiel")
    info.add_text("Author", "Erika Beispiel")
    ausgabe = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 20, 30)).save(ausgabe, format="PNG", pnginfo=info)
    return ausgabe.getvalue()


@pytest.mark.parametrize("inhalt", [_jpeg_mit_kommentar, _png_mit_text, _jpeg_mit_exif])
def test_the_stored_photo_carries_no_text_of_the_original(inhalt):
    from antraege.services.vorstellung import foto_neu_kodieren

    daten = foto_neu_kodieren(SimpleUploadedFile("f", inhalt()))
    assert b"Erika" not in daten and b"Beispiel" not in daten
    bild = Image.open(io.BytesIO(daten))
    assert bild.format == "JPEG" and not bild.info.get("comment") and len(bild.getexif()) == 0


def test_a_decompression_bomb_and_a_broken_file_are_refused_with_a_message():
    from django.core.exceptions import ValidationError

    from antraege.services.vorstellung import foto_neu_kodieren

    # A PNG claiming 30,000 x 30,000 pixels in a few kilobytes.
    ausgabe = io.BytesIO()
    Image.new("1", (30000, 30000)).save(ausgabe, format="PNG")
    with pytest.raises(ValidationError, match="zu viele Bildpunkte|kein lesbares Foto"):
        foto_neu_kodieren(SimpleUploadedFile("bombe.png", ausgabe.getvalue()))
    abgeschnitten = _jpeg_mit_exif()[:2000]
    with pytest.raises(ValidationError, match="kein lesbares Foto"):
        foto_neu_kodieren(SimpleUploadedFile("kaputt.jpg", abgeschnitten))
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG oder WebP"):
        foto_neu_kodieren(SimpleUploadedFile("bild.gif", gif.getvalue()))


def test_deleting_personal_data_takes_the_project_page_down(
    projekte, django_capture_on_commit_callbacks
):
    from antraege.services.datenschutz import antrag_anonymisieren

    ja = projekte["ja"]
    Antrag.objects.filter(pk=ja.pk).update(bildnachweis="Erika Beispiel")
    with django_capture_on_commit_callbacks(execute=True):
        antrag_anonymisieren(antrag=ja)
    assert Client().get(f"/projekte/{ja.aktenzeichen}/").status_code == 404
    ja.refresh_from_db()
    assert (ja.oeffentlich_vorstellen, ja.vorstellung_text, ja.bildnachweis) == (False, "", "")
    assert not ja.history.exclude(bildnachweis="").exists()


def test_junk_filter_values_are_not_stored_in_the_page_cache(projekte):
    from aktionsplan.kern.seitencache import KOPFZEILE

    for url in (
        "/projekte/?jahr=0" + str(budget_jahr()),
        "/projekte/?seite=01",
        "/projekte/?ziel=x",
    ):
        Client().get(url)
        assert KOPFZEILE not in Client().get(url), url  # answered anew, never from the cache
    Client().get("/projekte/?ziel=nachbarschaft")
    assert Client().get("/projekte/?ziel=nachbarschaft")[KOPFZEILE] == "1"


def test_an_antrag_from_before_the_question_can_take_its_title_down(projekte):
    alt = projekte["alt"]
    token = statuslink.token_fuer(alt)
    assert "Titel herausnehmen" in Client().get(f"/antrag/status/{token}/").content.decode()
    Client().post(f"/antrag/status/{token}/projektseite/herausnehmen/", {"bestaetigt": "ja"})
    assert "Altes Projekt" not in Client().get("/projekte/").content.decode()


@pytest.mark.parametrize("rolle", ["projektbuero", "beauftragte", "lesezugriff"])
def test_the_projektbuero_takes_a_page_down_in_the_list_of_antraege(client, staff, projekte, rolle):
    from antraege.rollen import LESEZUGRIFF
    from quartiere.models import Aktionsraum
    from tests.factories import beauftragte_user, rollen_user

    ja = projekte["ja"]
    konto = {
        "projektbuero": lambda: staff,
        "beauftragte": lambda: beauftragte_user(Aktionsraum.objects.get(slug="hoerde"), "ba"),
        "lesezugriff": lambda: rollen_user("lz", LESEZUGRIFF),
    }[rolle]()
    client.force_login(konto)
    client.post(
        "/admin/antraege/antrag/",
        {"action": "projektseite_herausnehmen", "_selected_action": [ja.pk]},
    )
    ja.refresh_from_db()
    assert (ja.oeffentlich_vorstellen is False) == (rolle == "projektbuero")


def test_the_staff_page_of_an_antrag_with_a_photo_names_it_without_failing(projekte, staff_client):
    from django.core.files.base import ContentFile

    ja = projekte["ja"]
    ja.foto.save("x.jpg", ContentFile(_jpeg_mit_exif()), save=True)
    antwort = staff_client.get(f"/admin/antraege/antrag/{ja.pk}/change/")
    assert antwort.status_code == 200
    assert f'href="/projekte/{ja.aktenzeichen}/foto.jpg"' in antwort.content.decode()
