# PST Flow. The two commands of the README: `make dev` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: chaos dev test bench install lint typecheck pytest-sqlite pytest-postgres clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The whole system on embedded defaults, in the foreground (Ctrl-C stops it).
dev: $(STAMP)
	$(BIN)/pst dev

## Whole online sales through the HTTP API beside a bare Temporal workflow, on a dev server of its own; then the
## staff pages over 100,000 cases on PostgreSQL (a benchmark, not a test: see "Benchmark" in the README).
## Options: make bench BENCH_ARGS="--sales 80" SCALE_ARGS="--requests 200".
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.scale $(SCALE_ARGS)

## Whole online sales while the worker is killed every 10 s: no mail lost, at most 1 in 1,000 doubled.
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos $(CHAOS_ARGS)

## Lint, types, and the test suite on SQLite and (when reachable) PostgreSQL.
test: lint typecheck pytest-sqlite pytest-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest-sqlite: $(STAMP)
	PST_TEST_DATABASE=sqlite $(BIN)/pytest --cov --cov-report=term --cov-fail-under=85

pytest-postgres: $(STAMP)
	@if $(BIN)/python -m tests.postgres_reachable "$(PG_URL)"; then \
		PST_TEST_DATABASE=$(PG_URL) $(BIN)/pytest; \
	else \
		echo "PostgreSQL is not reachable at $(PG_URL): the suite ran on SQLite only."; \
	fi

## Text for translation: extract every marked text (babel.cfg) into core/locales/messages.pot and add the new ones,
## untranslated, to the English catalog; `make test` fails until each has its English.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --width 120 -o core/locales/messages.pot .
	$(BIN)/pybabel update -i core/locales/messages.pot -d core/locales -l en --no-fuzzy-matching --ignore-obsolete --width 120

clean:
	rm -rf var .coverage .pytest_cache .mypy_cache .ruff_cache
