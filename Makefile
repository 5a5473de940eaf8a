# Carte des alliances — the README's two commands are `make run` and `make test`.
# Every target sets up what it needs, idempotently.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CACHE ?= cache/reference

.PHONY: setup deps assets geo browser run test test-fast lint bench stress clean

setup: deps assets geo

deps: $(VENV)/.deps-stamp

$(VENV)/.deps-stamp: requirements.txt requirements-dev.txt requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

assets:
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	scripts/install_assets.sh

geo: deps
	$(PY) -m geo.build --cache $(CACHE) --display static/gen

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

run: setup
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

# The store suite runs on SQLite and on Debian's PostgreSQL (started here, see scripts/).
test: setup browser
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_test_db.sh | tail -n 1)" $(PY) -m pytest -q

test-fast: setup
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_test_db.sh | tail -n 1)" $(PY) -m pytest -q -m "not browser"

lint: deps
	$(VENV)/bin/ruff check .

bench: setup browser
	$(PY) -m bench.nearby
	@if [ -f bench/geocode.py ]; then $(PY) -m bench.geocode; fi
	$(PY) -m bench.run

stress: setup
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_test_db.sh | tail -n 1)" $(PY) -m bench.store

clean:
	rm -rf cache static/gen static/vendor
