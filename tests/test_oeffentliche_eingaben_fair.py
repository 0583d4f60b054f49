"""Fair shares for public inputs (issue 35, findings 5, 6 and 8): an IPv6 client is counted
by its /64 for every limit and cap, a full pool of pending uploads keeps room for new
applicants, drafts keep only the form's own fields and count against limits like Anträge,
and a mailed draft link is a new one."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from antraege.models import AusgehendeMail, Entwurf, VorlaeufigeAnlage

from .factories import PDF_BYTES, antrag_post_data
from .test_antraege_entwurf import pdf, runde, spaeter

pytestmark = pytest.mark.django_db
BLOCK = "2001:db8:1:2:"  # one /64


def dateien_mb(anzahl):
    return anzahl * len(PDF_BYTES) / (1024 * 1024)


def test_addresses_of_one_ipv6_block_share_one_upload_cap(settings):
    settings.VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB = dateien_mb(3)
    for nummer in range(1, 18):  # 17 addresses of one /64, a fresh form each
        runde(Client(REMOTE_ADDR=f"{BLOCK}:{nummer:x}"), anlagen=[pdf()])
    assert VorlaeufigeAnlage.objects.count() == 3
    assert VorlaeufigeAnlage.objects.values("client").distinct().count() == 1
    # The next /64 is another client.
    assert "Angebot.pdf" in runde(Client(REMOTE_ADDR="2001:db8:1:3::1"), anlagen=[pdf()])


def test_a_full_pool_keeps_room_for_a_new_applicant(settings):
    settings.VORLAEUFIGE_ANLAGEN_JE_CLIENT_MB = dateien_mb(3)
    settings.VORLAEUFIGE_ANLAGEN_GESAMT_MB = dateien_mb(10)
    settings.VORLAEUFIGE_ANLAGEN_RESERVE_MB = dateien_mb(3)
    settings.VORLAEUFIGE_ANLAGEN_RESERVE_JE_CLIENT_MB = dateien_mb(1)
    # Clients that already have files pending fill what is open to everyone (7 files).
    fueller = [Client(REMOTE_ADDR=f"2001:db8:{n}::1") for n in range(1, 5)]
    for client in fueller:
        runde(client, anlagen=[pdf()])
    for client in fueller:
        for _mal in range(2):
            runde(client, anlagen=[pdf()])
    assert VorlaeufigeAnlage.objects.count() == 7
    # A client with files pending gets no more; a new applicant still gets one file in.
    assert "keine Dateien annehmen" in runde(fueller[-1], anlagen=[pdf()])
    assert "Angebot.pdf" in runde(Client(REMOTE_ADDR="2001:db8:99::1"), anlagen=[pdf()])
    assert VorlaeufigeAnlage.objects.count() == 8


@pytest.mark.bot_schutz
def test_rate_limits_count_an_ipv6_block_as_one_client(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "entwurf_adresse": "2/h"}
    for nummer in range(1, 3):
        antwort = spaeter(Client(REMOTE_ADDR=f"{BLOCK}:{nummer}"), email=f"p{nummer}@example.org")
        assert antwort.status_code == 200
    antwort = spaeter(Client(REMOTE_ADDR=f"{BLOCK}:99"), email="p3@example.org")
    assert antwort.status_code == 429
    assert Entwurf.objects.count() == 2


@pytest.mark.bot_schutz
def test_mailed_drafts_are_limited_per_client_too(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "entwurf_adresse": "3/h"}
    client = Client(REMOTE_ADDR="10.9.9.9")
    codes = [spaeter(client, email=f"opfer{n}@example.org").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Entwurf.objects.filter(gespeichert_am__isnull=False).count() == 3
    assert AusgehendeMail.objects.filter(entwurf__isnull=False).count() == 3


def test_a_draft_keeps_only_the_forms_own_fields_cut_to_their_lengths(client):
    daten = antrag_post_data(titel="T" * 5000, beschreibung="B" * 9000)
    daten.pop("absenden")
    daten.update(
        {
            "spaeter": "1",
            "muell": "x" * 500_000,
            "kosten-999-beschreibung": "y" * 1000,
            "ziele": ["ziel_nachbarschaft"] * 300,
        }
    )
    assert client.post("/antrag/", daten).status_code == 200
    gespeichert = Entwurf.objects.get().daten
    assert "muell" not in gespeichert and "kosten-999-beschreibung" not in gespeichert
    assert gespeichert["titel"] == ["T" * 200]
    assert gespeichert["beschreibung"] == ["B" * 5000]
    assert len(gespeichert["ziele"]) <= 10
    assert len(str(gespeichert)) < 20_000


def test_the_mailed_draft_link_is_new_and_the_forms_token_no_longer_reaches_the_draft(
    client, django_capture_on_commit_callbacks
):
    html = runde(client, anlagen=[pdf()])
    alt = re.search(r'name="entwurf" value="([^"]*)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        spaeter(client, entwurf=alt, titel="Halb fertig")
    link = re.search(r"/antrag/entwurf/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    assert link != alt
    assert client.get(f"/antrag/entwurf/{alt}/").status_code == 404
    seite = client.get(f"/antrag/entwurf/{link}/").content.decode()
    assert "Halb fertig" in seite and "Angebot.pdf" in seite


def verrauschtes_jpeg(qualitaet=15, seite=600, saat=1):
    """A photo saved at low quality: saved at quality 90 again it would grow by far."""
    import io
    import random

    from PIL import Image

    zufall = random.Random(saat)
    bild = Image.frombytes("RGB", (seite, seite), zufall.randbytes(seite * seite * 3))
    puffer = io.BytesIO()
    bild.save(puffer, format="JPEG", quality=qualitaet)
    return puffer.getvalue()


def test_a_reencoded_photo_is_never_larger_than_the_upload():
    from aktionsplan.kern.dateipruefung import bereinigt

    roh = verrauschtes_jpeg()
    gespeichert = bereinigt(SimpleUploadedFile("foto.jpg", roh, "image/jpeg"), "image/jpeg")
    assert gespeichert.size <= len(roh)


def test_the_stored_files_of_an_antrag_stay_under_the_limit_after_reencoding(monkeypatch):
    from antraege.models import Anlage
    from antraege.services import einreichung

    from .factories import antrag_daten

    fotos = [verrauschtes_jpeg(saat=n) for n in range(3)]
    monkeypatch.setattr(einreichung, "MAX_ANTRAG_BYTES", sum(len(f) for f in fotos))
    einreichung.antrag_einreichen(
        daten=antrag_daten(),
        kosten=[("Material", 100)],
        dateien=[SimpleUploadedFile(f"f{n}.jpg", f, "image/jpeg") for n, f in enumerate(fotos)],
    )
    assert sum(a.groesse for a in Anlage.objects.all()) <= einreichung.MAX_ANTRAG_BYTES
    for anlage in Anlage.objects.all():
        assert anlage.datei.size == anlage.groesse


@pytest.mark.parametrize(
    ("adresse", "erwartet"),
    [("::ffff:1.2.3.4", "1.2.3.4"), ("1.2.3.4", "1.2.3.4"), ("2001:db8:1:2::5", "2001:db8:1:2::5")],
)
def test_an_ipv4_client_on_a_dual_stack_socket_is_its_ipv4_address(rf, adresse, erwartet):
    from aktionsplan.kern.drosselung import client_adresse, client_netz

    anfrage = rf.get("/", REMOTE_ADDR=adresse)
    assert client_adresse(anfrage) == erwartet
    netz = client_netz(anfrage)
    assert netz == (erwartet if "." in erwartet else "2001:db8:1:2::/64")


def test_a_draft_value_is_trimmed_before_it_is_cut():
    from django.http import QueryDict

    from antraege.forms.antrag import entwurf_felder
    from antraege.services.entwurf import daten_aus_post

    post = QueryDict(mutable=True)
    post["plz"] = " 44135 "
    assert daten_aus_post(post, entwurf_felder())["plz"] == ["44135"]
