"""Attachments go to the storage the settings name: a private folder by default, an S3 bucket
(django-storages) with ANLAGEN_S3_BUCKET; upload, download, deletion and backup go through
Django's storage API only (tested against moto's S3)."""

import io
import json
import tarfile

import boto3
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from aktionsplan.kern import sicherung
from aktionsplan.kern.speicher import private_storage
from antraege.models import Antrag
from antraege.services import datenschutz

from .factories import PDF_BYTES, PNG_BYTES, antrag_post_data, token
from .test_settings import manage

BUCKET = "aktionsplan-anlagen"
REGION = "eu-central-1"
ZEIGEN = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES))"


def _storages(**env):
    ergebnis = manage("shell", "-c", ZEIGEN, **env)
    assert ergebnis.returncode == 0, ergebnis.stderr
    return json.loads(ergebnis.stdout.strip().splitlines()[-1])


# The tests marked sqlite_lauf read settings and storages, no database: the PostgreSQL run would
# repeat them unchanged, so they run once, in the SQLite run.
@pytest.mark.sqlite_lauf
def test_by_default_attachments_go_to_the_private_folder():
    assert _storages()["anlagen"] == {"BACKEND": "aktionsplan.kern.speicher.PrivateStorage"}


@pytest.mark.sqlite_lauf
def test_a_named_bucket_puts_attachments_into_object_storage_privately():
    anlagen = _storages(
        ANLAGEN_S3_BUCKET=BUCKET,
        ANLAGEN_S3_ENDPOINT_URL="https://s3.example.org",
        ANLAGEN_S3_REGION=REGION,
    )["anlagen"]
    assert anlagen["BACKEND"] == "storages.backends.s3.S3Storage"
    optionen = anlagen["OPTIONS"]
    assert (
        optionen["bucket_name"] == BUCKET and optionen["endpoint_url"] == "https://s3.example.org"
    )
    assert optionen["default_acl"] == "private" and optionen["file_overwrite"] is False


@pytest.fixture
def s3(settings, monkeypatch):
    """The settings' S3 storage against moto's S3 in this process (no network)."""
    optionen = _storages(ANLAGEN_S3_BUCKET=BUCKET, ANLAGEN_S3_REGION=REGION)["anlagen"]["OPTIONS"]
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]:
        monkeypatch.setenv(name, "test")
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "anlagen": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": optionen},
        }
        yield client


def _objekte(client, bucket=BUCKET):
    return {o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


@pytest.mark.django_db
def test_an_applications_files_go_to_the_bucket_and_come_back_through_the_status_link(
    client, s3, settings, django_capture_on_commit_callbacks
):
    dateien = [
        SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf"),
        SimpleUploadedFile("foto.png", PNG_BYTES, "image/png"),
    ]
    # The files wait as pending uploads until the Antrag is sent; then only its own copies stay.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/antrag/", antrag_post_data(anlagen=dateien)).status_code == 302
    antrag = Antrag.objects.get()
    anlagen = list(antrag.anlagen.order_by("pk"))
    assert _objekte(s3) == {a.datei.name for a in anlagen} and len(anlagen) == 2
    assert not settings.PRIVATE_MEDIA_ROOT.exists()  # nothing on the local disk
    acl = s3.get_object_acl(Bucket=BUCKET, Key=anlagen[0].datei.name)["Grants"]
    assert [g["Grantee"].get("URI") for g in acl if g["Grantee"]["Type"] == "Group"] == []

    link = f"/antrag/status/{token(antrag)}/anlage/{anlagen[0].pk}/"
    antwort = client.get(link)
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content) == PDF_BYTES

    # The DSGVO deletion removes the objects once the database has committed.
    with django_capture_on_commit_callbacks(execute=True):
        datenschutz.antrag_anonymisieren(antrag=antrag)
    assert _objekte(s3) == set()


@pytest.mark.sqlite_lauf
def test_backup_and_restore_read_and_write_the_bucket(s3, tmp_path):
    speicher = private_storage()
    speicher.save("anlagen/2026/a.pdf", io.BytesIO(PDF_BYTES))
    speicher.save("anlagen/2027/b.png", io.BytesIO(PNG_BYTES))
    ziel = tmp_path / "anlagen.tar"
    with tarfile.open(ziel, "w") as archiv:
        sicherung._anlagen_sichern(archiv, speicher)
    with tarfile.open(ziel) as archiv:
        assert sorted(archiv.getnames()) == [
            "anlagen/anlagen/2026/a.pdf",
            "anlagen/anlagen/2027/b.png",
        ]
        archiv.extractall(tmp_path / "aus", filter="data")

    s3.create_bucket(Bucket="leer", CreateBucketConfiguration={"LocationConstraint": REGION})
    leer = type(speicher._wrapped)(bucket_name="leer", region_name=REGION)
    sicherung._anlagen_einspielen(tmp_path / "aus" / "anlagen", leer)
    assert _objekte(s3, "leer") == {"anlagen/2026/a.pdf", "anlagen/2027/b.png"}
    assert leer.open("anlagen/2026/a.pdf").read() == PDF_BYTES
    # Into a bucket with files nothing is restored.
    with pytest.raises(sicherung.SicherungFehler, match="liegen schon Dateien"):
        sicherung.einspielen(ziel, speicher=leer)


def test_a_folder_storage_backs_up_the_same_way(tmp_path):
    speicher = FileSystemStorage(location=tmp_path / "ordner")
    speicher.save("anlagen/2026/a.pdf", io.BytesIO(PDF_BYTES))
    assert list(sicherung.dateien(speicher)) == ["anlagen/2026/a.pdf"]
    assert list(sicherung.dateien(FileSystemStorage(location=tmp_path / "fehlt"))) == []
