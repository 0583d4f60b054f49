"""Backup and restore round trip: dump, wipe (a new empty database and attachment folder),
restore; the same Anträge, bookings and attachment bytes come back."""

import stat
from pathlib import Path

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from aktionsplan.kern.sicherung import SicherungFehler, einspielen, schreiben
from antraege.models import Anlage, Antrag, Buchung
from antraege.services import einreichung

from .factories import PDF_BYTES, antrag_daten, auszahlen, projektbuero_user, zentral_bewilligt

ABFRAGEN = {
    "antraege": "select aktenzeichen, status, titel, email, iban, beantragter_betrag "
    "from antraege_antrag order by aktenzeichen",
    "buchungen": "select a.aktenzeichen, b.art, b.betrag, b.datum from antraege_buchung b "
    "join antraege_antrag a on a.id = b.antrag_id order by b.id",
    "anlagen": "select datei, dateiname, groesse from antraege_anlage order by id",
    "aktionsraeume": "select slug, name from quartiere_aktionsraum order by slug",
}


def _daten(cursor):
    ergebnis = {}
    for name, sql in ABFRAGEN.items():
        cursor.execute(sql)
        ergebnis[name] = [tuple(str(w) for w in zeile) for zeile in cursor.fetchall()]
    return ergebnis


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_the_same_antraege_bookings_and_files(
    aktionsraeume_geladen, tmp_path, settings
):
    staff = projektbuero_user()
    antrag = zentral_bewilligt(staff, betrag="900.00")
    auszahlen(antrag, "400.00", staff)
    daten = antrag_daten(titel="Mit Anlage")
    mit_datei = einreichung.antrag_einreichen(
        daten=daten,
        kosten=[("Material", daten["beantragter_betrag"])],
        dateien=[SimpleUploadedFile("konzept.pdf", PDF_BYTES, "application/pdf")],
    )
    assert Buchung.objects.count() >= 2 and Anlage.objects.filter(antrag=mit_datei).exists()
    with connection.cursor() as cursor:
        vorher = _daten(cursor.cursor)

    archiv = schreiben(tmp_path / "sicherung.tar.gz")
    assert stat.S_IMODE(archiv.stat().st_mode) == 0o600

    # Wipe: a new, empty database on the same server and an empty attachment folder.
    db = {**settings.DATABASES["default"], "NAME": "wiederhergestellt"}
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS wiederhergestellt")
        cursor.execute("CREATE DATABASE wiederhergestellt")
    medien = tmp_path / "leer"
    try:
        einspielen(archiv, db=db, speicher=FileSystemStorage(location=medien))
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
        ) as neu:
            nachher = _daten(neu.cursor())
        # A second restore into the now filled database is refused.
        with pytest.raises(SicherungFehler, match="nicht leer"):
            einspielen(archiv, db=db, speicher=FileSystemStorage(location=tmp_path / "leerer"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS wiederhergestellt (FORCE)")

    assert nachher == vorher
    assert len(nachher["antraege"]) == Antrag.objects.count() and nachher["buchungen"]
    for anlage in Anlage.objects.all():
        assert (medien / anlage.datei.name).read_bytes() == Path(anlage.datei.path).read_bytes()


def test_a_restore_never_mixes_into_a_folder_with_files(tmp_path):
    voll = tmp_path / "anlagen"
    (voll / "x").mkdir(parents=True)
    (voll / "x" / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(SicherungFehler, match="liegen schon Dateien"):
        einspielen(tmp_path / "egal.tar.gz", speicher=FileSystemStorage(location=voll))


@pytest.mark.django_db(transaction=True)
def test_an_existing_archive_is_never_overwritten(tmp_path):
    ziel = tmp_path / "da.tar.gz"
    ziel.write_bytes(b"alt")
    with pytest.raises(SicherungFehler, match="gibt es schon"):
        schreiben(ziel)
    assert ziel.read_bytes() == b"alt"
