# Carte Blanche — one install path for the demo, the tests and CI.
#   make demo   install, migrate, load the Cahors territory and the demo personas, serve on :8000
#   make test   install, then the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
# The stamp names the lock's hash: a changed lock reinstalls, an unchanged one costs nothing.
STAMP := $(VENV)/.installed-$(shell sha256sum $(LOCK) | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-e2e lint format lock clean-db bench

install: $(STAMP)

$(STAMP): $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: install
	@mkdir -p var
	CB_DEMO=1 $(BIN)/python manage.py migrate --noinput
	CB_DEMO=1 $(BIN)/python manage.py load_territory
	CB_DEMO=1 $(BIN)/python manage.py load_catalogue
	CB_DEMO=1 $(BIN)/python manage.py load_demo
	CB_DEMO=1 $(BIN)/python manage.py bus_plan --as coordination --pin 46310:1 --time-limit 10 --publish --if-none
	CB_DEMO=1 $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-e2e: install
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	@mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CB_DEMO=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (docs/benchmarks.md): catalogue search on 10,000 entries, SQLite then PostgreSQL;
# the rights engine at the counter and on 22,000 households, against plain OpenFisca; the
# dispatcher on the dial-a-ride benchmark (docs/dispatch.md); the bus tour planner (docs/bus-tour.md).
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/carte_blanche_bench
bench: install
	@mkdir -p var
	@rm -f var/bench.sqlite3
	@echo "| database | backend | entries | queries | cold (ms) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | with results | max RSS (MB) |"
	@echo "|---|---|---|---|---|---|---|---|---|---|---|"
	@DATABASE_URL=sqlite:///var/bench.sqlite3 $(BIN)/python -m benchmarks.catalogue_search --backend index
	@if pg_isready -q -h 127.0.0.1 -p 5432; then \
		psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS carte_blanche_bench" -c "CREATE DATABASE carte_blanche_bench" >/dev/null; \
		DATABASE_URL=$(BENCH_PG) $(BIN)/python -m benchmarks.catalogue_search --backend postgres; \
		DATABASE_URL=$(BENCH_PG) $(BIN)/python -m benchmarks.catalogue_search --backend index; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL rows skipped"; fi
	@echo
	@CB_DEBUG=1 $(BIN)/python -m benchmarks.rights
	@echo
	@echo "Dispatcher on the 48 Cordeau instances, ours and plain OR-Tools at 10 s and 60 s (about an hour on 2 cores):"
	@$(BIN)/python -m benchmarks.darp --limits 10 60 --solvers ours baseline --jobs 2
	@echo
	@$(BIN)/python -m benchmarks.bus_tour

# Refresh the lock after editing requirements/*.in.
lock: install
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
		requirements/dev.in -o $(LOCK)

clean-db:
	rm -f var/carte_blanche.sqlite3
