"""Backup and restore: the database and the attachments in one archive (`make backup`,
`make restore`).

The archive (tar.gz, written owner-only: it holds personal data) contains `datenbank.dump`
(pg_dump's custom format; on SQLite `datenbank.sqlite3`, a consistent copy made by SQLite's
backup API), the folder `anlagen/` with every file of the attachment storage (the folder
PRIVATE_MEDIA_ROOT or the S3 bucket: read and written through Django's storage API), and
`info.json`. A restore goes only into an empty database and an empty attachment storage, so
that it never mixes two states.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from .speicher import private_storage

DUMP = "datenbank.dump"
SQLITE = "datenbank.sqlite3"
ANLAGEN = "anlagen"


class SicherungFehler(Exception):
    """A backup or restore that cannot be done; the message says why, in German."""


def _postgres_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _ist_postgres(db: dict) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def dateien(speicher, ordner: str = ""):
    """Every file name in the storage, folder by folder."""
    try:
        unterordner, namen = speicher.listdir(ordner)
    except FileNotFoundError:
        return
    for name in sorted(namen):
        yield f"{ordner}/{name}" if ordner else name
    for unter in sorted(unterordner):
        yield from dateien(speicher, f"{ordner}/{unter}" if ordner else unter)


def _anlagen_sichern(archiv: tarfile.TarFile, speicher) -> None:
    for name in dateien(speicher):
        eintrag = tarfile.TarInfo(f"{ANLAGEN}/{name}")
        eintrag.size = speicher.size(name)
        eintrag.mode = 0o600
        with speicher.open(name, "rb") as datei:
            archiv.addfile(eintrag, datei)


def _anlagen_einspielen(ordner: Path, speicher) -> None:
    for pfad in sorted(p for p in ordner.rglob("*") if p.is_file()):
        name = pfad.relative_to(ordner).as_posix()
        with pfad.open("rb") as datei:
            gespeichert = speicher.save(name, File(datei))
        if gespeichert != name:
            raise SicherungFehler(f"Die Anlage {name} wurde als {gespeichert} gespeichert.")


def schreiben(ziel: Path, *, db: dict | None = None, speicher=None) -> Path:
    """Writes database and attachments to the archive `ziel` (which must not exist yet)."""
    db = db or settings.DATABASES["default"]
    speicher = speicher or private_storage()
    ziel = Path(ziel)
    if ziel.exists():
        raise SicherungFehler(f"Die Datei {ziel} gibt es schon; bitte einen neuen Namen wählen.")
    ziel.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if _ist_postgres(db):
            args, env = _postgres_env(db)
            _laufen(
                ["pg_dump", *args, "-Fc", "--no-owner", "--no-acl", "-f", str(tmp / DUMP),
                 db["NAME"]],
                env,
            )  # fmt: skip
            inhalt = DUMP
        else:
            with sqlite3.connect(db["NAME"]) as quelle, sqlite3.connect(tmp / SQLITE) as kopie:
                quelle.backup(kopie)
            inhalt = SQLITE
        (tmp / "info.json").write_text(
            json.dumps(
                {"erstellt_am": timezone.now().isoformat(), "datenbank": inhalt, "version": 1}
            )
        )
        alt = os.umask(0o077)
        try:
            with tarfile.open(ziel, "w:gz") as archiv:
                archiv.add(tmp / "info.json", arcname="info.json")
                archiv.add(tmp / inhalt, arcname=inhalt)
                _anlagen_sichern(archiv, speicher)
        finally:
            os.umask(alt)
    os.chmod(ziel, 0o600)
    return ziel


def einspielen(quelle: Path, *, db: dict | None = None, speicher=None) -> None:
    """Reads an archive into an empty database and an empty attachment storage."""
    db = db or settings.DATABASES["default"]
    speicher = speicher or private_storage()
    if next(dateien(speicher), None) is not None:
        raise SicherungFehler(
            "Im Anlagenspeicher liegen schon Dateien. Eingespielt wird nur in einen leeren."
        )
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(quelle, "r:gz") as archiv:
        tmp = Path(tmp)
        archiv.extractall(tmp, filter="data")
        info = json.loads((tmp / "info.json").read_text())
        if _ist_postgres(db):
            if info["datenbank"] != DUMP:
                raise SicherungFehler("Diese Sicherung stammt von SQLite, nicht von PostgreSQL.")
            args, env = _postgres_env(db)
            tabellen = _laufen(
                ["psql", *args, "-At", "-d", db["NAME"], "-c",
                 "select count(*) from pg_tables where schemaname = 'public'"],
                env,
            ).strip()  # fmt: skip
            if tabellen != "0":
                raise SicherungFehler(
                    f"Die Datenbank {db['NAME']} ist nicht leer ({tabellen} Tabellen). "
                    "Eingespielt wird nur in eine leere Datenbank."
                )
            _laufen(
                ["pg_restore", *args, "--no-owner", "--no-acl", "--exit-on-error",
                 "-d", db["NAME"], str(tmp / DUMP)],
                env,
            )  # fmt: skip
        else:
            if info["datenbank"] != SQLITE:
                raise SicherungFehler("Diese Sicherung stammt von PostgreSQL, nicht von SQLite.")
            ziel = Path(db["NAME"])
            if ziel.exists() and ziel.stat().st_size > 0:
                raise SicherungFehler(
                    f"Die Datenbank {ziel} gibt es schon. Eingespielt wird nur in eine leere."
                )
            shutil.copyfile(tmp / SQLITE, ziel)
        if (tmp / ANLAGEN).exists():
            _anlagen_einspielen(tmp / ANLAGEN, speicher)


def _laufen(befehl: list[str], env: dict) -> str:
    if shutil.which(befehl[0]) is None:
        raise SicherungFehler(f"{befehl[0]} fehlt (Debian: apt-get install postgresql-client).")
    ergebnis = subprocess.run(befehl, env=env, capture_output=True, text=True)
    if ergebnis.returncode != 0:
        raise SicherungFehler(f"{befehl[0]} ist fehlgeschlagen: {ergebnis.stderr.strip()[:500]}")
    return ergebnis.stdout
