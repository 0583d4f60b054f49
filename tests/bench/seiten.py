"""`make bench`: the public pages under gunicorn, measured with wrk against a bare Django project.

    make bench                       # 10 s per wrk run, 20,000 Anträge
    make bench BENCH_SEKUNDEN=3      # quicker, less steady figures

Starts a throwaway PostgreSQL cluster (as the tests do), migrates it, sets up three budget years
and fills 20,000 Anträge with 60,000 cost items (marked "Lasttest"), then starts two gunicorns
with the same settings (DEBUG=0, sync workers, WEB_CONCURRENCY of them, 2 by default, access
log on): the portal with the repository's config and the bench settings (tests/bench/settings.py:
production's, plain HTTP on loopback, no rate limits), and a bare Django project in a process
of its own (tests/bench/leer/: one view under Django's default middleware). Each page is loaded
with wrk (2 threads, 16 connections), alternating with the bare project, twice; the table gives
requests/s, p50 and p99, the workers' CPU time per request (from /proc, which a noisy machine
disturbs less than requests/s), and both ratios to the bare project's runs next to it. Under
load on `/` it then posts 200 invalid and 200 valid applications: no 5xx, each valid one stored
with a gap-free number, no invalid one stored. The table is printed and written to
test-output/bench.txt (not in git).
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
SEITEN = [
    "/",
    "/en/",
    "/aktionsraeume/",
    "/aktionsraeume/hoerde/",
    "/en/aktionsraeume/hoerde/",
    "/datenschutz/",
    "/antrag/start/",
    "/antrag/",
]
# Ratio to the bare project (by worker CPU per request); the others: 0.9.
ZIELE = {"/antrag/": 0.5}
STANDARD_ZIEL = 0.9
P99_ZIEL_MS = 20.0
AUSGABE = ROOT / "test-output" / "bench.txt"


def umgebung(database_url: str, tmp: str, port: int) -> dict:
    """The production environment on loopback, as `make serve` would have it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PROJEKTBUERO_EMAIL": "projektbuero@example.org",
        "PROJEKTBUERO_ANSCHRIFT": "Beispielstraße 1 | 44135 Dortmund",
        "RUECKZAHLUNG_IBAN": "DE89 3704 0044 0532 0130 00",
        "RUECKZAHLUNG_KONTOINHABER": "Stadt Dortmund",
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


def gunicorn_starten(env: dict, log, befehl=None, gesund="/healthz") -> subprocess.Popen:
    """gunicorn (by default the portal with the repository's config); returns once it
    answers `gesund`."""
    befehl = befehl or ["-c", "aktionsplan/gunicorn.conf.py", "aktionsplan.wsgi"]
    prozess = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *befehl],
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
            with urllib.request.urlopen(basis + gesund, timeout=2):
                return prozess
        except OSError:
            time.sleep(0.2)
    prozess.terminate()
    raise RuntimeError("gunicorn antwortet nicht")


def leer_starten(env: dict, tmp: str, port: int, log) -> subprocess.Popen:
    """The bare project with the portal's gunicorn settings: as many sync workers, access log
    to stdout, the same bind address on another port."""
    leer_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "tests.bench.leer.settings",
        "LEER_DB": f"{tmp}/leer.sqlite3",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    befehl = ["-w", env["WEB_CONCURRENCY"], "-b", leer_env["GUNICORN_BIND"],
              "--access-logfile", "-", "tests.bench.leer.wsgi"]  # fmt: skip
    return gunicorn_starten(leer_env, log, befehl, gesund="/")


def worker_cpu(master: int) -> float:
    """CPU seconds (user and system) the master's workers have used so far."""
    kinder = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in kinder:
        try:
            felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(felder[11]) + int(felder[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _ms(wert: str, einheit: str) -> float:
    return float(wert) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[einheit]


def wrk(url: str, sekunden: int, master: int | None = None) -> dict:
    """One wrk run; with `master`, also the workers' CPU milliseconds per request."""
    vorher = worker_cpu(master) if master else 0.0
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
    anfragen = int(re.search(r"(\d+) requests in", ausgabe).group(1))
    werte["cpu_ms"] = (worker_cpu(master) - vorher) * 1000 / anfragen if master else 0.0
    return werte


def messen(portal: tuple[str, int], leer: tuple[str, int], sekunden: int, runden: int = 2):
    """Each page alternating with the bare project; the ratios are to the bare runs around it:
    requests/s, and worker CPU per request (bare / page)."""
    zeilen = []
    for seite in SEITEN:
        nackt, voll = [], []
        for _ in range(runden):
            nackt.append(wrk(leer[0] + "/", sekunden, leer[1]))
            voll.append(wrk(portal[0] + seite, sekunden, portal[1]))
        nackt.append(wrk(leer[0] + "/", sekunden, leer[1]))
        rps = statistics.mean(v["rps"] for v in voll)
        leer_rps = statistics.mean(v["rps"] for v in nackt)
        cpu = statistics.mean(v["cpu_ms"] for v in voll)
        leer_cpu = statistics.mean(v["cpu_ms"] for v in nackt)
        zeilen.append(
            {
                "seite": seite,
                "rps": rps,
                "p50": max(v["p50"] for v in voll),
                "p99": max(v["p99"] for v in voll),
                "fehler": sum(v["fehler"] for v in voll),
                "leer_rps": leer_rps,
                "leer_p99": max(v["p99"] for v in nackt),
                "cpu_ms": cpu,
                "leer_cpu_ms": leer_cpu,
                "verhaeltnis": rps / leer_rps,
                "cpu_verhaeltnis": leer_cpu / cpu if cpu else 0.0,
                "ziel": ZIELE.get(seite, STANDARD_ZIEL),
            }
        )
    return zeilen


def erfuellt(z: dict) -> bool:
    """The ratio by worker CPU per request (steadier than requests/s on a shared machine, as
    the issue measured it) reaches the goal, p99 stays under P99_ZIEL_MS, no error answers."""
    return z["cpu_verhaeltnis"] >= z["ziel"] and z["p99"] < P99_ZIEL_MS and not z["fehler"]


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
        f"{'Seite':<27}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}"
        f"{'leer req/s':>11}{'leer CPU':>9}{'× req/s':>9}{'× CPU':>7}{'Ziel':>6}  erfüllt"
    )
    for z in zeilen:
        text.append(
            f"{z['seite']:<27}{z['rps']:>7.0f}{z['p50']:>8.2f}{z['p99']:>8.2f}"
            f"{z['cpu_ms']:>8.3f}{z['leer_rps']:>11.0f}{z['leer_cpu_ms']:>9.3f}"
            f"{z['verhaeltnis']:>8.2f}x{z['cpu_verhaeltnis']:>6.2f}x{z['ziel']:>5.2f}x  "
            f"{'ja' if erfuellt(z) else 'NEIN'}"
            + (f" ({z['fehler']} Fehlerantworten)" if z["fehler"] else "")
        )
    text.append(f"{'leeres Projekt, p99 ms':<27}{max(z['leer_p99'] for z in zeilen):>23.2f}")
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
        with (
            open(Path(tmp) / "gunicorn.log", "w") as log,
            open(Path(tmp) / "leer.log", "w") as leer_log,
        ):
            prozess = gunicorn_starten(env, log)
            leer_port = free_port()
            leer_prozess = leer_starten(env, tmp, leer_port, leer_log)
            try:
                basis = f"http://127.0.0.1:{port}"
                leer_basis = f"http://127.0.0.1:{leer_port}"
                wrk(leer_basis + "/", 1)
                for seite in SEITEN:
                    wrk(basis + seite, 1)  # warm: every worker has rendered and cached
                zeilen = messen((basis, prozess.pid), (leer_basis, leer_prozess.pid), args.sekunden)
                posten = posten_unter_last(basis, args.posten)
            finally:
                for p in (prozess, leer_prozess):
                    p.terminate()
                    p.wait(timeout=30)
        kopf = (
            f"make bench, {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} Kerne, "
            f"gunicorn {env['WEB_CONCURRENCY']} Worker, PostgreSQL ({Path(bindir).parent.name}), "
            f"{args.anzahl} Anträge, wrk -t2 -c16 -d{args.sekunden}s, 2 Runden je Seite; "
            "verglichen mit einem leeren Django-Projekt (tests/bench/leer/) im eigenen Prozess"
        )
        text = tabelle(zeilen, posten, kopf)
        print(text)
        AUSGABE.parent.mkdir(exist_ok=True)
        AUSGABE.write_text(text + "\n")
        return 0 if all(erfuellt(z) for z in zeilen) and posten["ok"] else 1
