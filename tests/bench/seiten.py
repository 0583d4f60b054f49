"""`make bench`: the public pages under gunicorn, measured with wrk against a bare Django view.

    make bench                       # 10 s per wrk run, 20,000 Anträge
    make bench BENCH_SEKUNDEN=3      # quicker, less steady figures

Starts a throwaway PostgreSQL cluster (as the tests do), migrates it, sets up three budget years
and fills 20,000 Anträge with 60,000 cost items (marked "Lasttest"), then starts gunicorn with
the repository's config (DEBUG=0, WEB_CONCURRENCY workers, 2 by default) and the bench settings
(tests/bench/settings.py: the production settings plus the bare view /bench/leer/, plain
HTTP on loopback, no rate limits). Each page is loaded with wrk (2 threads, 16 connections),
alternating with the bare view, twice; the table gives requests/s, p50 and p99 and the ratio to
the bare view of the runs next to it. Under load on `/` it then posts 200 invalid and 200 valid
applications: no 5xx, each valid one stored with a gap-free number, no invalid one stored.
The table is printed and written to test-output/bench.txt (not in git).
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.throwaway_postgres import NOT_INSTALLED, cluster, find_bindir, free_port

ROOT = Path(__file__).resolve().parents[2]
LEER = "/bench/leer/"
SEITEN = ["/", "/en/", "/aktionsraeume/", "/aktionsraeume/hoerde/", "/antrag/"]
ZIELE = {"/antrag/": 0.25}  # the others: 0.7
P99_ZIEL_MS = 50.0
AUSGABE = ROOT / "test-output" / "bench.txt"


def umgebung(database_url: str, tmp: str, port: int) -> dict:
    """The production environment on loopback, as `make serve` would have it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": f"filemail://{tmp}/mails",
        "PRIVATE_MEDIA_ROOT": f"{tmp}/private_media",
        "SEITENCACHE_DIR": f"{tmp}/seitencache",
        "STATIC_ROOT": f"{tmp}/static",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }


def vorbereiten(anzahl: int) -> None:
    """Migrates, fills the areas' three budget years and `anzahl` Anträge (in this process)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from antraege.models import Haushaltsjahr
    from antraege.services import budget
    from tests.bench.fuellen import antraege_fuellen

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    jahr = timezone.localdate().year
    jahre = [jahr - 1, jahr, jahr + 1]
    for j in jahre:
        hj, _neu = Haushaltsjahr.objects.update_or_create(jahr=j, defaults={"eingerichtet": True})
        budget.haushaltsjahr_einrichten(haushaltsjahr=hj)
    for i, j in enumerate(jahre):
        antraege_fuellen(anzahl // 3 + (1 if i < anzahl % 3 else 0), jahr=j, kosten=3)


def gunicorn_starten(env: dict, log) -> subprocess.Popen:
    """gunicorn with the repository's config; returns once it answers /healthz."""
    prozess = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "aktionsplan/gunicorn.conf.py",
         "aktionsplan.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    basis = "http://" + env["GUNICORN_BIND"]
    ende = time.monotonic() + 60
    while time.monotonic() < ende:
        if prozess.poll() is not None:
            log.flush()
            protokoll = Path(log.name).read_text()[-3000:]
            raise RuntimeError(f"gunicorn hat sich beendet:\n{protokoll}")
        try:
            with urllib.request.urlopen(basis + "/healthz", timeout=2):
                return prozess
        except OSError:
            time.sleep(0.2)
    prozess.terminate()
    raise RuntimeError("gunicorn antwortet nicht")


def _ms(wert: str, einheit: str) -> float:
    return float(wert) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[einheit]


def wrk(url: str, sekunden: int) -> dict:
    ausgabe = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{sekunden}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    werte = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", ausgabe).group(1))}
    for p in ("50", "99"):
        treffer = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", ausgabe, re.M)
        werte[f"p{p}"] = _ms(*treffer.groups())
    fehler = re.search(r"Non-2xx or 3xx responses: (\d+)", ausgabe)
    werte["fehler"] = int(fehler.group(1)) if fehler else 0
    return werte


def messen(basis: str, sekunden: int, runden: int = 2) -> list[dict]:
    """Each page alternating with the bare view; the ratio is to the bare runs around it."""
    zeilen = []
    for seite in SEITEN:
        leer, voll = [], []
        for _ in range(runden):
            leer.append(wrk(basis + LEER, sekunden))
            voll.append(wrk(basis + seite, sekunden))
        leer.append(wrk(basis + LEER, sekunden))
        rps = statistics.mean(v["rps"] for v in voll)
        leer_rps = statistics.mean(v["rps"] for v in leer)
        zeilen.append(
            {
                "seite": seite,
                "rps": rps,
                "p50": max(v["p50"] for v in voll),
                "p99": max(v["p99"] for v in voll),
                "fehler": sum(v["fehler"] for v in voll),
                "leer_rps": leer_rps,
                "leer_p99": max(v["p99"] for v in leer),
                "verhaeltnis": rps / leer_rps,
                "ziel": ZIELE.get(seite, 0.7),
            }
        )
    return zeilen


class _KeineWeiterleitung(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _antrag_posten(basis: str, daten: dict) -> int:
    """One applicant: loads the form (cookie and token), posts it; returns the status."""
    jar = http.cookiejar.CookieJar()
    oeffner = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _KeineWeiterleitung()
    )
    with oeffner.open(basis + "/antrag/", timeout=30) as antwort:
        html = antwort.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    start = re.search(r'name="formular_start" value="([^"]+)"', html).group(1)
    aktionsraum = re.search(r'<option value="(\d+)"[^>]*>Hörde</option>', html).group(1)
    felder = {
        **daten,
        "aktionsraum": aktionsraum,
        "csrfmiddlewaretoken": token,
        "formular_start": start,
    }
    anfrage = urllib.request.Request(
        basis + "/antrag/",
        data=urllib.parse.urlencode(felder, doseq=True).encode(),
        headers={"Referer": basis + "/antrag/"},
    )
    try:
        with oeffner.open(anfrage, timeout=30) as antwort:
            return antwort.status
    except urllib.error.HTTPError as fehler:
        return fehler.code


def _gueltig(i: int) -> dict:
    from tests.factories import antrag_post_data

    return antrag_post_data(titel=f"Bench gültig {i}", email=f"bench{i}@example.org")


UNGUELTIG = [
    {"iban": "DE00 1234"},
    {"titel": ""},
    {"beantragter_betrag": "99999,00"},
    {"kosten-0-betrag": "-5"},
    {"beginn": "gestern"},
    {"datenschutz": None},
    {"email": "keine-adresse"},
    {"kosten-TOTAL_FORMS": "1000"},
]


def _ungueltig(i: int) -> dict:
    from tests.factories import antrag_post_data

    daten = antrag_post_data(titel=f"Bench ungültig {i}", email=f"ungueltig{i}@example.org")
    for feld, wert in UNGUELTIG[i % len(UNGUELTIG)].items():
        if wert is None:
            daten.pop(feld, None)
        else:
            daten[feld] = wert
    if "titel" in UNGUELTIG[i % len(UNGUELTIG)]:
        daten["beschreibung"] = f"Bench ungültig {i}"
    return daten


def posten_unter_last(basis: str, anzahl: int = 200) -> dict:
    """`anzahl` invalid and `anzahl` valid applications from 8 clients while wrk loads `/`."""
    from django.utils import timezone

    from antraege.models import Antrag

    jahr = timezone.localdate().year
    vorher = max(Antrag.objects.filter(haushaltsjahr__jahr=jahr).values_list(
        "laufende_nummer", flat=True), default=0)  # fmt: skip
    last = threading.Thread(target=wrk, args=(basis + "/", 5 + anzahl // 20), daemon=True)
    last.start()
    # valid and invalid in turn
    auftraege = [d for i in range(anzahl) for d in (_gueltig(i), _ungueltig(i))]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        status = list(pool.map(lambda d: _antrag_posten(basis, d), auftraege))
    dauer = time.perf_counter() - t0
    gueltige = Antrag.objects.filter(titel__startswith="Bench gültig", haushaltsjahr__jahr=jahr)
    nummern = sorted(gueltige.values_list("laufende_nummer", flat=True))
    ergebnis = {
        "dauer": dauer,
        "5xx": sum(1 for s in status if s >= 500),
        "gespeichert": len(nummern),
        "lueckenlos": nummern == list(range(vorher + 1, vorher + 1 + anzahl)),
        "ungueltig_gespeichert": Antrag.objects.filter(titel__startswith="Bench ungültig").count()
        + Antrag.objects.filter(beschreibung__startswith="Bench ungültig").count(),
        "status": {s: status.count(s) for s in sorted(set(status))},
    }
    ergebnis["ok"] = (
        ergebnis["5xx"] == 0
        and ergebnis["gespeichert"] == anzahl
        and ergebnis["lueckenlos"]
        and ergebnis["ungueltig_gespeichert"] == 0
    )
    last.join()
    return ergebnis


def tabelle(zeilen: list[dict], posten: dict, kopf: str) -> str:
    text = [kopf, ""]
    text.append(
        f"{'Seite':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'leer req/s':>12}"
        f"{'Verhältnis':>12}{'Ziel':>7}  erfüllt"
    )
    for z in zeilen:
        erfuellt = z["verhaeltnis"] >= z["ziel"] and z["p99"] < P99_ZIEL_MS and not z["fehler"]
        text.append(
            f"{z['seite']:<24}{z['rps']:>9.0f}{z['p50']:>9.2f}{z['p99']:>9.2f}"
            f"{z['leer_rps']:>12.0f}{z['verhaeltnis']:>11.2f}x{z['ziel']:>6.2f}x  "
            f"{'ja' if erfuellt else 'NEIN'}"
            + (f" ({z['fehler']} Fehlerantworten)" if z["fehler"] else "")
        )
    text.append(f"{'leere Ansicht, p99':<24}{max(z['leer_p99'] for z in zeilen):>27.2f}")
    text.append("")
    text.append(
        f"Unter Last gepostet: {posten['gespeichert']} gültige gespeichert "
        f"(Nummern lückenlos: {'ja' if posten['lueckenlos'] else 'NEIN'}), "
        f"{posten['ungueltig_gespeichert']} ungültige gespeichert, {posten['5xx']} Antworten 5xx, "
        f"Status {posten['status']}, {posten['dauer']:.1f} s"
    )
    return "\n".join(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sekunden", type=int, default=int(os.environ.get("BENCH_SEKUNDEN", 10)))
    parser.add_argument("--anzahl", type=int, default=int(os.environ.get("BENCH_ANZAHL", 20000)))
    parser.add_argument("--posten", type=int, default=200)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk fehlt (apt-get install wrk).", file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL fehlt (apt-get install postgresql).", file=sys.stderr)
        return NOT_INSTALLED
    with cluster(bindir) as (database_url, _stop), tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = umgebung(database_url, tmp, port)
        os.environ.update({k: v for k, v in env.items() if k != "GUNICORN_BIND"})
        t0 = time.perf_counter()
        vorbereiten(args.anzahl)
        print(f"{args.anzahl} Anträge gefüllt in {time.perf_counter() - t0:.0f} s", flush=True)
        with open(Path(tmp) / "gunicorn.log", "w") as log:
            prozess = gunicorn_starten(env, log)
            try:
                basis = f"http://127.0.0.1:{port}"
                for seite in [LEER, *SEITEN]:
                    wrk(basis + seite, 1)  # warm: every worker has rendered and cached
                zeilen = messen(basis, args.sekunden)
                posten = posten_unter_last(basis, args.posten)
            finally:
                prozess.terminate()
                prozess.wait(timeout=30)
        kopf = (
            f"make bench, {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} Kerne, "
            f"gunicorn {env['WEB_CONCURRENCY']} Worker, PostgreSQL ({Path(bindir).parent.name}), "
            f"{args.anzahl} Anträge, wrk -t2 -c16 -d{args.sekunden}s, 2 Runden je Seite"
        )
        text = tabelle(zeilen, posten, kopf)
        print(text)
        AUSGABE.parent.mkdir(exist_ok=True)
        AUSGABE.write_text(text + "\n")
        erfuellt = all(
            z["verhaeltnis"] >= z["ziel"] and z["p99"] < P99_ZIEL_MS and not z["fehler"]
            for z in zeilen
        )
        return 0 if erfuellt and posten["ok"] else 1
