"""Every form behind the status link under hostile payloads: the answer to a Rückfrage, the
correction of the Antrag, the Verwendungsnachweis (first and given back), the withdrawal.

500 payloads each in CI (hypothesis profile "ci", derandomised), half of them in the SQLite
run and the other half, from another seed, in the PostgreSQL run: never a 500, never a
half-saved row. A refused post leaves the Antrag, its Kostenplan, Anlagen, history and proofs
exactly as they were; an accepted one makes exactly the one step it stands for. On PostgreSQL
the same forms are also posted in parallel (test_parallel_posts_*).
"""

import os
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.test import Client
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from antraege.models import (
    Anlage,
    Antrag,
    Kostenposition,
    Status,
    StatusAenderung,
    Verwendungsnachweis,
)
from antraege.services import einreichung, workflow

from .factories import (
    PDF_BYTES,
    antrag_post_data,
    ausgaben_je_zeile,
    auszahlen,
    nachweis_post,
    projektbuero_user,
    submitted_antrag,
    token,
    zentral_bewilligt,
)
from .test_antraege_hostile_input import FIELDS, assert_stored_antrag_is_valid, hostile

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("ohne_vorlagen_aufzeichnung"),
]

# Each run tries half of the profile's payloads, from a seed of its own: together the same
# number of different payloads as one run of all of them, and each database meets its half
# (PostgreSQL refuses what SQLite stores, e.g. a NUL character). Without PostgreSQL (on a
# laptop) only the SQLite half runs.
AUF_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def je_lauf_die_haelfte(test):
    haelfte = max(1, hypothesis_settings().max_examples // 2)
    return hypothesis_settings(max_examples=haelfte)(seed(2 if AUF_POSTGRES else 1)(test))


dateien = st.lists(
    st.sampled_from(
        [
            ("beleg.pdf", PDF_BYTES),
            ("leer.pdf", b""),
            ("kaputt.pdf", b"%PDF-1.4 nope"),
            ("seite.png", b"\x89PNG\r\n\x1a\n<html><script>x</script>"),
            ("programm.pdf", b"MZ\x90\x00" * 50),
        ]
    ),
    max_size=6,
)


def hochladen(liste):
    return [SimpleUploadedFile(name, inhalt, "application/pdf") for name, inhalt in liste]


def stand(antrag_pk):
    """Everything a post could change, to compare before and after."""
    antrag = Antrag.objects.get(pk=antrag_pk)
    return {
        "antrag": model_to_dict(antrag, exclude=["geaendert_am"]),
        "kosten": list(antrag.kosten.values_list("beschreibung", "betrag")),
        "anlagen": list(antrag.anlagen.values_list("pk", flat=True)),
        "verlauf": list(antrag.verlauf.values_list("pk", "von", "nach")),
        "nachweise": list(antrag.verwendungsnachweise.values_list("pk", flat=True)),
        "mails": antrag.mails.count(),
    }


def posten(client, url, daten):
    """One post in a savepoint that is rolled back: every example meets the same Antrag."""
    with transaction.atomic():
        antwort = client.post(url, daten)
        ergebnis = (antwort.status_code, Antrag.objects.get(pk=daten["_pk"]).status)
        nachher = stand(daten["_pk"])
        transaction.set_rollback(True)
    return antwort, ergebnis, nachher


def anwenden(daten, aenderungen):
    for key, value in aenderungen.items():
        if value is None:
            daten.pop(key, None)
        else:
            daten[key] = value
    return daten


@pytest.fixture
def rueckfrage():
    staff = projektbuero_user("pb_frage")
    antrag = submitted_antrag()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(
        antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="Bitte Angebot nachreichen."
    )
    return antrag


def _korrektur_daten(antrag, **extra):
    daten = antrag_post_data(antwort="Hier ist das Angebot.", **extra)
    daten.pop("datenschutz")
    daten["_pk"] = antrag.pk
    return daten


def _pruefe_antwort(vorher, antwort, ergebnis, nachher):
    code, status = ergebnis
    assert code in (200, 302), code
    if code == 302 and status == Status.IN_PRUEFUNG:
        neu = [(von, nach) for _pk, von, nach in nachher["verlauf"][len(vorher["verlauf"]) :]]
        # The answer's one step (and a note, von = nach, when it corrected the bank account).
        assert [(v, n) for v, n in neu if v != n] == [(Status.RUECKFRAGE, Status.IN_PRUEFUNG)], neu
        assert nachher["nachweise"] == vorher["nachweise"]
        return True
    assert nachher == vorher, "a refused answer changed something"
    return False


@je_lauf_die_haelfte
@given(
    antwort=st.one_of(hostile, st.none()),
    extra=st.dictionaries(st.sampled_from(["antwort", "anlagen", "x"]), hostile, max_size=2),
    belege=dateien,
)
def test_answering_a_rueckfrage_never_fails_nor_half_saves(
    client, rueckfrage, antwort, extra, belege
):
    url = f"/antrag/status/{token(rueckfrage)}/antworten/"
    vorher = stand(rueckfrage.pk)
    # The short answer page: the answer and files (what else it gets, it does not read).
    daten = {"antwort": "Hier ist das Angebot.", "anlagen": hochladen(belege), "_pk": rueckfrage.pk}
    daten = anwenden(daten, {"antwort": antwort, **extra, "titel": "Nicht gelesen"})
    _antwort, ergebnis, nachher = posten(client, url, daten)
    if _pruefe_antwort(vorher, _antwort, ergebnis, nachher):
        assert str(daten.get("antwort", "")).strip()
        # The short answer page changes no value of the Antrag, whatever else is posted.
        ohne_status = {k: v for k, v in nachher["antrag"].items() if k != "status"}
        assert ohne_status == {k: v for k, v in vorher["antrag"].items() if k != "status"}
        assert nachher["kosten"] == vorher["kosten"]


@je_lauf_die_haelfte
@given(
    aenderungen=st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), hostile), max_size=8)
)
def test_correcting_the_antrag_never_fails_nor_stores_an_invalid_one(
    client, rueckfrage, aenderungen
):
    url = f"/antrag/status/{token(rueckfrage)}/antworten/angaben/"
    vorher = stand(rueckfrage.pk)
    daten = anwenden(_korrektur_daten(rueckfrage), aenderungen)
    with transaction.atomic():
        antwort = client.post(url, daten)
        assert antwort.status_code in (200, 302), antwort.status_code
        antrag = Antrag.objects.get(pk=rueckfrage.pk)
        if antrag.status == Status.IN_PRUEFUNG:
            assert_stored_antrag_is_valid(antrag)
        else:
            assert stand(rueckfrage.pk) == vorher
        transaction.set_rollback(True)


@pytest.fixture
def ausgezahlt():
    staff = projektbuero_user("pb_zahlung")
    antrag = zentral_bewilligt(staff, betrag="800.00")
    auszahlen(antrag, "800.00", staff)
    return Antrag.objects.get(pk=antrag.pk)


@pytest.fixture
def nachweis_korrektur_von():
    """A second paid Antrag whose proof the Projektbüro gave back for correction."""
    staff = projektbuero_user("pb_pruefung")
    antrag = zentral_bewilligt(staff, betrag="600.00")
    auszahlen(antrag, "600.00", staff)
    einreichung.verwendungsnachweis_einreichen(
        antrag=antrag,
        bericht="Fest gefeiert.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("600.00")),
        dateien=hochladen([("beleg.pdf", PDF_BYTES)]),
    )
    workflow.nachweis_zurueckgeben(antrag=antrag, by=staff, kommentar="Bitte Beleg 2.")
    return Antrag.objects.get(pk=antrag.pk)


# "ausgabe" stands for the first cost row's field, "fremde_ausgabe" for another Antrag's row.
NACHWEIS_FELDER = [
    "bericht",
    "ausgabe",
    "fremde_ausgabe",
    "eigenmittel",
    "belege",
    "absenden",
    "aendern",
    "x",
]


def _nachweis(client, antrag, aenderungen, belege):
    url = f"/antrag/status/{token(antrag)}/nachweis/"
    vorher = stand(antrag.pk)
    erste = antrag.kosten.first().pk
    fremde = Kostenposition.objects.exclude(antrag=antrag).first().pk
    daten = nachweis_post(antrag, "750,00") | {
        "belege": hochladen(belege),
        "absenden": "1",
        "_pk": antrag.pk,
    }
    namen = {"ausgabe": f"ausgabe_{erste}", "fremde_ausgabe": f"ausgabe_{fremde}"}
    aenderungen = {namen.get(k, k): v for k, v in aenderungen.items()}
    _antwort, (code, status), nachher = posten(client, url, anwenden(daten, aenderungen))
    assert code in (200, 302), code
    if status == Status.NACHWEIS_EINGEREICHT:
        assert len(nachher["nachweise"]) == len(vorher["nachweise"]) + 1
        neu = Verwendungsnachweis.objects.filter(pk__in=nachher["nachweise"]).order_by("pk").last()
        assert neu is None or neu.bericht.strip()
        assert len(nachher["anlagen"]) > len(vorher["anlagen"])
    else:
        assert nachher == vorher, "a refused proof changed something"


@je_lauf_die_haelfte
@given(
    aenderungen=st.dictionaries(st.sampled_from(NACHWEIS_FELDER), st.one_of(st.none(), hostile)),
    belege=dateien,
    korrektur=st.booleans(),
)
def test_the_verwendungsnachweis_and_its_correction_never_fail_nor_half_save(
    client, ausgezahlt, nachweis_korrektur_von, aenderungen, belege, korrektur
):
    """The first proof after the payout, and a proof given back for correction."""
    antrag = nachweis_korrektur_von if korrektur else ausgezahlt
    _nachweis(client, antrag, aenderungen, belege)


@je_lauf_die_haelfte
@given(
    felder=st.dictionaries(
        st.sampled_from(["kommentar", "x", "status", "antrag", "bestaetigt"]), hostile
    ),
    entschieden=st.booleans(),
    bestaetigt=st.booleans(),
)
def test_withdrawing_never_fails_and_only_confirmed_undecided_anträge_go(
    client, rueckfrage, ausgezahlt, felder, entschieden, bestaetigt
):
    antrag = ausgezahlt if entschieden else rueckfrage
    vorher = stand(antrag.pk)
    daten = {**felder, "_pk": antrag.pk} | ({"bestaetigt": "ja"} if bestaetigt else {})
    _antwort, (code, status), nachher = posten(
        client, f"/antrag/status/{token(antrag)}/zurueckziehen/", daten
    )
    if entschieden:
        assert code == 302 and nachher == vorher and status == Status.AUSGEZAHLT
    elif _wie_gelesen(daten.get("bestaetigt")) == "ja":
        assert code == 302 and status == Status.ZURUECKGEZOGEN
        assert len(nachher["verlauf"]) == len(vorher["verlauf"]) + 1
    else:
        assert code == 400 and nachher == vorher and status == Status.RUECKFRAGE


def _wie_gelesen(wert):
    """A field as the view reads it: the last of several values."""
    return (wert[-1] if wert else None) if isinstance(wert, list | tuple) else wert


def parallel(n, senden):
    barriere = threading.Barrier(n)
    codes = []

    def lauf(i):
        client = Client()
        barriere.wait()
        try:
            codes.append(senden(client, i).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=lauf, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("runde", range(3))
def test_parallel_posts_of_every_form_give_one_step_and_no_500(aktionsraeume_geladen, runde):
    staff = projektbuero_user()
    frage = submitted_antrag(titel=f"Frage {runde}")
    workflow.antrag_status_setzen(antrag=frage, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(antrag=frage, nach=Status.RUECKFRAGE, by=staff, kommentar="?")
    bezahlt = zentral_bewilligt(staff, betrag="500.00")
    auszahlen(bezahlt, "500.00", staff)
    rueckzug = submitted_antrag(titel=f"Rückzug {runde}")

    def schritte():
        # Steps only: a note (von = nach, e.g. the corrected bank account) is not a step.
        return StatusAenderung.objects.exclude(von=F("nach")).count()

    schritte_vorher = schritte()

    def senden(client, i):
        art = i % 3
        if art == 0:
            daten = _korrektur_daten(frage, anlagen=hochladen([("b.pdf", PDF_BYTES)] * 2))
            daten.pop("_pk")
            return client.post(f"/antrag/status/{token(frage)}/antworten/", daten)
        if art == 1:
            return client.post(
                f"/antrag/status/{token(bezahlt)}/nachweis/",
                nachweis_post(bezahlt, "500,00", bericht=f"Bericht {i}")
                | {"belege": hochladen([("b.pdf", PDF_BYTES)]), "absenden": "1"},
            )
        return client.post(
            f"/antrag/status/{token(rueckzug)}/zurueckziehen/", {"kommentar": i, "bestaetigt": "ja"}
        )

    codes = parallel(12, senden)
    assert sorted(set(codes)) == [200, 302] or set(codes) == {302}, codes
    assert Antrag.objects.get(pk=frage.pk).status == Status.IN_PRUEFUNG
    assert Antrag.objects.get(pk=bezahlt.pk).status == Status.NACHWEIS_EINGEREICHT
    assert Antrag.objects.get(pk=rueckzug.pk).status == Status.ZURUECKGEZOGEN
    # Exactly one step each: one answer, one proof (with its one receipt), one withdrawal.
    assert schritte() == schritte_vorher + 3
    assert Verwendungsnachweis.objects.filter(antrag=bezahlt).count() == 1
    assert Anlage.objects.filter(antrag=bezahlt).count() == 1
    assert Anlage.objects.filter(antrag=frage).count() == 2
