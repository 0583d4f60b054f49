# Two commands: `make run` serves the portal, `make test` runs the whole suite.
# Both create .venv on first use and skip that when nothing changed: `make run` from
# requirements.lock (what production installs: no test tools), `make test` adds the test tools
# from requirements-dev.lock (the same pins plus pytest, Playwright, hypothesis ...).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Exit code of tests/throwaway_postgres.py when no PostgreSQL server is installed.
NO_POSTGRES := 97

.PHONY: run serve bench backup restore test test-one setup messages lock lint clean kern

# pip installs only uv (pinned with hashes in requirements-uv.lock); uv installs the locks, with
# the same hash check: a fresh .venv with the test tools takes about 5 s instead of pip's 25.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
UV_INSTALL := $(UV) pip install --quiet --python $(PY) --require-hashes --no-deps

$(UV): requirements-uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements-uv.lock
	@touch $@

$(VENV)/.installed: requirements.lock $(UV)
	$(UV_INSTALL) -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(UV_INSTALL) -r requirements-dev.lock
	@touch $@

messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv -v0; \
	else \
		echo "NOTE: gettext (msgfmt) is not installed: translations not compiled, English pages show German text."; \
	fi

setup: messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py erstes_haushaltsjahr

run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production start on one machine (docs/betrieb.md): refuses to start unless DEBUG=0
# and `check --deploy` is clean (the settings themselves refuse a short SECRET_KEY, console
# mail and the like), then collects the static files, migrates, creates the cache table and
# runs gunicorn with the repository's config (workers from WEB_CONCURRENCY).
serve: $(VENV)/.installed messages
	@test "$$DEBUG" = "0" || { echo "make serve starts production: set DEBUG=0 and SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL, DATABASE_URL (docs/betrieb.md)."; exit 1; }
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py erstes_haushaltsjahr
	exec $(VENV)/bin/gunicorn -c aktionsplan/gunicorn.conf.py aktionsplan.wsgi

# The public pages under gunicorn on a throwaway PostgreSQL cluster with 20,000 Anträge, measured
# with wrk against a bare view (tests/bench/; docs/messungen.md). BENCH_SEKUNDEN per wrk run.
bench: $(VENV)/.installed-dev messages
	$(PY) -m tests.bench

# Database and attachments in one archive (ARCHIV=… or backups/aktionsplan-<time>.tar.gz), and
# back into an empty database and attachment folder: aktionsplan/kern/sicherung.py.
backup: $(VENV)/.installed
	$(PY) manage.py sicherung_schreiben $(ARCHIV)

restore: $(VENV)/.installed
	@test -n "$(ARCHIV)" || { echo "make restore ARCHIV=backups/<datei>.tar.gz"; exit 1; }
	$(PY) manage.py sicherung_einspielen $(ARCHIV)

# The suite runs twice at the same time: on SQLite and on a throwaway PostgreSQL cluster, which
# is production's database and therefore runs every browser test (each once per suite) and the
# concurrency tests. The SQLite run spreads its tests over TEST_KERNE pytest-xdist workers (by
# default half the cores), the PostgreSQL run, which has the browsers' share besides, over
# TEST_KERNE_PG (by default all cores), workers stealing each other's queued tests at the end
# (`worksteal`): on two cores the SQLite run ends first and leaves its core to the browsers
# (measured in docs/tests.md). A long test that is not a browser test runs
# once: marked postgres_lauf in the PostgreSQL run, sqlite_lauf in the SQLite run; so does a
# test that reads no database (settings, storages, the catalogue). The property tests try the
# "ci" profile's 300 examples (tests/conftest.py). The PostgreSQL run's output is printed when
# both are done (kept in test-output/postgres.log). REQUIRE_POSTGRES=1 (set by .ci/run) turns a
# missing PostgreSQL into a failure; without PostgreSQL the browser and postgres_lauf tests run
# on SQLite afterwards.
TEST_KERNE ?= $(shell $(PYTHON) -c "import os; print(max(1, len(os.sched_getaffinity(0)) // 2))")
TEST_KERNE_PG ?= $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)))")
PYTEST_OPTS := --hypothesis-profile=ci -p no:cacheprovider --durations=30 --dist worksteal
PYTEST_CI := $(PY) -m pytest -n $(TEST_KERNE) $(PYTEST_OPTS)
PYTEST_PG := $(PY) -m pytest -n $(TEST_KERNE_PG) $(PYTEST_OPTS)

test: messages $(VENV)/.installed-dev
	@mkdir -p test-output
	@$(PY) -m tests.throwaway_postgres $(PYTEST_PG) -m "not sqlite_lauf" \
		> test-output/postgres.log 2>&1 & pg=$$!; \
	$(PYTEST_CI) -m "not postgres_only and not postgres_lauf and not browser"; sqlite=$$?; \
	wait $$pg; rc=$$?; \
	echo "----- PostgreSQL run -----"; cat test-output/postgres.log; \
	if [ $$rc -eq $(NO_POSTGRES) ]; then \
		if [ "$(REQUIRE_POSTGRES)" = "1" ]; then echo "FAILED: PostgreSQL is required (REQUIRE_POSTGRES=1) but not installed."; exit 1; fi; \
		echo "SKIPPED the PostgreSQL run: no PostgreSQL server installed (apt-get install postgresql)."; \
		$(PYTEST_CI) -m "(postgres_lauf or browser) and not sqlite_lauf"; rc=$$?; \
	fi; \
	if [ $$sqlite -ne 0 ]; then echo "FAILED: the SQLite run"; exit $$sqlite; fi; \
	if [ $$rc -ne 0 ]; then echo "FAILED: the PostgreSQL run"; fi; exit $$rc

# One test file or test while working (SQLite, the test database kept between runs, the
# property tests' "dev" profile of 50 new examples): make test-one T=tests/test_antraege_ablauf.py
test-one: messages $(VENV)/.installed-dev
	$(PY) -m pytest --reuse-db -p no:cacheprovider $(or $(T),tests -m "not browser")

lock: $(VENV)/.installed
	echo "uv==$(UV_VERSION)" | $(UV) pip compile - --generate-hashes --python-version 3.11 \
		-o requirements-uv.lock
	$(UV) pip compile pyproject.toml --extra s3 --generate-hashes --python-version 3.11 \
		-o requirements.lock
	$(UV) pip compile pyproject.toml --extra s3 --extra dev --generate-hashes --python-version 3.11 \
		-c requirements.lock -o requirements-dev.lock

# KERN UX, the design system of the public pages, vendored into static/vendor/ (nothing is
# fetched at run time): the pinned npm package, checked against its sha512, reduced to the
# KERN classes the templates use, with the Fira Sans faces. Again after a template starts using
# another KERN class (tests/test_kern.py names it).
kern: $(VENV)/.installed
	$(PY) tests/kern_holen.py

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) staticfiles
