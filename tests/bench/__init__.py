"""The benchmarks, outside the apps: `make bench` (`python -m tests.bench`; `seiten.py`, the
public pages under gunicorn with wrk) and `python -m tests.bench.verwaltung` (the admin's pages
with N Anträge); their settings and URLs (`settings.py`, `urls.py`) are never used in
production."""
