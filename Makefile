# The developer's front door. `make run` and `make test` work on a fresh Debian machine with Python 3.11.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
PY := $(UV) run --frozen python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench bench-zoeken install browser-deps db-deps check-data vendor geo lint audit vertalingen

## run: install, migrate, seed (adds what is missing) and serve on http://$${HOST:-127.0.0.1}:$${PORT:-8000}
run: install
	$(PY) -m app db upgrade
	$(PY) -m app seed
	$(PY) -m app serve

## install: the virtual environment (.venv) with the locked dependencies (uv.lock)
install: $(UV)
	$(UV) sync --frozen --python python3.11 --quiet

.uv/bin/uv:
	python3 -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

## test: everything the tests need (Debian chromium, PostgreSQL, redis-server), lint, then the whole suite on SQLite
## and again on a throw-away PostgreSQL cluster (scripts/suite.sh: one pytest-xdist worker per CPU; test-postgres.sh)
test: install browser-deps db-deps lint
	UV=$(UV) bash scripts/suite.sh
	UV=$(UV) bash scripts/test-postgres.sh

## db-deps: Debian's PostgreSQL server binaries and PostGIS for the second test run, and redis-server for the
## REDIS_URL test (the tests start their own servers on free ports)
db-deps:
	@(ls /usr/lib/postgresql/*/bin/initdb && ls /usr/share/postgresql/*/extension/postgis.control && \
	  command -v redis-server) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql postgresql-postgis redis-server >/dev/null)

## lint: ruff (pyflakes, import order, bugbear, pyupgrade)
lint: install
	$(UV) run --frozen ruff check app tests geo bench

## browser-deps: Debian's chromium for Playwright (no browser download)
browser-deps:
	@(command -v chromium && fc-list | grep -qi 'color emoji') >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null)

## bench: load-test a local server (SQLite, then a throw-away PostgreSQL cluster); prints ratios against /healthz
bench: install db-deps
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null)
	$(PY) bench/run.py

## bench-zoeken: both search engines on a throw-away PostgreSQL cluster with 10,000 synthetic services: p50/p95/p99
bench-zoeken: install db-deps
	$(PY) bench/zoekmachines.py

## audit: pip-audit on every package in uv.lock (runtime and dev), the locked versions and hashes: none is installed
## or resolved anew. Fails when one has a known vulnerability.
audit: install
	@reqs=$$(mktemp) && trap 'rm -f "$$reqs"' EXIT && \
	  $(UV) export --frozen --all-groups --no-emit-project --format requirements-txt --quiet > "$$reqs" && \
	  $(UV) run --frozen pip-audit --requirement "$$reqs" --disable-pip --strict --progress-spinner off

## check-data: validate the seed files and list what each listing misses
check-data: install
	$(PY) -m app check-data

## vertalingen: bring app/locale/*/LC_MESSAGES/messages.po up to date with the marked texts (Babel)
vertalingen: install
	$(PY) -m app vertalingen

## geo: remake geo/wijken.geojson and geo/buurten.geojson from geo/bron/
geo: install
	$(PY) geo/prepare.py

## vendor: refresh the front-end files in static/vendor from npm
vendor:
	bash scripts/vendor.sh
