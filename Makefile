# The two commands of the README: `make demo` runs the hub, `make test` runs the tests.
# Each creates the virtual environment and installs what it needs on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed

.PHONY: demo test lint format clean bench lock

# Dependencies come from the lock (exact versions, checked against their hashes); the project
# itself is installed editable on top, built with the locked setuptools (twice quiet: setuptools
# notes that an editable install finds packages by name). `make lock` updates the lock.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve the lock files after a change to pyproject.toml's dependencies, keeping every
# other pin: requirements.lock (what the hub runs on) and requirements-dev.lock (it plus the
# tools), for Python 3.11 on Linux. `make lock LOCK_ARGS=--upgrade` moves every pin to the
# newest version allowed; `LOCK_ARGS='--upgrade-package NAME'` only that one.
LOCK = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform linux --custom-compile-command "make lock" $(LOCK_ARGS)

lock: $(STAMP)
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -c requirements.lock -o requirements-dev.lock

# The @neo4j/graphql server the API benchmark compares with (its answers are checked in the
# tests too, tests/test_bench_equivalence.py).
BENCH_JS := bench/neo4j_graphql
BENCH_JS_STAMP := $(BENCH_JS)/node_modules/.installed

$(BENCH_JS_STAMP): $(BENCH_JS)/package.json $(BENCH_JS)/package-lock.json
	npm ci --prefix $(BENCH_JS) --no-audit --no-fund --loglevel=error
	touch $(BENCH_JS_STAMP)

# The npm packages the API tests run (Apollo composition, the graphql-http audit).
$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json
	npm ci --prefix $(JS) --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

demo: $(STAMP)
	$(BIN)/convener demo

# Two test processes, each with its own local Neo4j, a test file's tests in one of them (so a
# module's shared graph stays its own): about a third off the suite's time on two cores.
# `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2

test: $(STAMP) $(JS_STAMP) $(BENCH_JS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artefacts

# The explorer's browser tests drive Debian's Chromium (test tools cannot download browsers
# here). The binary is its own stamp: installed once, as root, when it is missing.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update
	apt-get install -y chromium

test: $(CHROMIUM)

# Benchmarks at the default scale (about ten minutes on two cores; see bench/README.md):
# ingestion against a row-by-row baseline, the API beside raw Cypher and @neo4j/graphql,
# and duplicate detection. Each writes bench/results/<name>.json.

bench: $(STAMP) $(BENCH_JS_STAMP)
	$(BIN)/python -m bench.ingest --projects 20000
	$(BIN)/python -m bench.api --projects 5000
	$(BIN)/python -m bench.duplicates --sizes 1000,10000
	$(BIN)/python -m bench.report
