# Carte des alliances — the README's two commands are `make run` and `make test`.
# Every target sets up what it needs, idempotently.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# `make cluster` listens on PORT when given (make cluster PORT=9000), else on 8080.
CLUSTER_PORT = $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
CACHE ?= cache/reference

.PHONY: setup deps assets geo icons proxy-static browser run test test-fast lint bench bench-slow bench-capacity bench-load stress clean cluster cluster-stop

setup: deps assets geo icons

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

# Streamlit's icon font cut down to the icons it can draw, for the reverse proxy (deploy/).
icons: deps
	$(PY) scripts/subset_icons.py

# Streamlit's front-end files with Brotli and gzip copies, served by the proxy (deploy/).
proxy-static: deps
	$(PY) scripts/precompress.py

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

run: setup
	scripts/serve.sh $(PORT)

# The store suite runs on SQLite and on Debian's PostgreSQL (started here, see scripts/).
test: setup browser
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_db.sh | tail -n 1)" $(PY) -m pytest -q

test-fast: setup
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_db.sh | tail -n 1)" $(PY) -m pytest -q -m "not browser"

lint: deps
	$(VENV)/bin/ruff check .

bench: setup browser
	$(PY) -m bench.nearby
	@if [ -f bench/geocode.py ]; then $(PY) -m bench.geocode; fi
	$(PY) -m bench.run

# A throttled visit through `make cluster` (start it first), cold and warm.
bench-slow: setup browser
	$(PY) -m bench.slow

# Visitors one instance serves: memory per session, time to the map under load.
bench-capacity: setup browser
	$(PY) -m bench.capacity

# Simulated visitors (Streamlit's websocket protocol) while a real one measures; URL=… for make cluster.
bench-load: setup browser
	$(PY) -m bench.load $(if $(URL),--url $(URL))

stress: setup
	ALLIANCES_TEST_PG_URL="$$(scripts/postgres_db.sh | tail -n 1)" $(PY) -m bench.store

# Two app instances behind nginx, on Debian's PostgreSQL (see README, « Déployer »).
cluster: setup proxy-static
	PORT=$(CLUSTER_PORT) scripts/cluster.sh start

cluster-stop:
	PORT=$(CLUSTER_PORT) scripts/cluster.sh stop

clean:
	rm -rf cache static/gen static/vendor
