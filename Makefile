# Two entry points: `make run` (set up .venv and analyse the bundled example) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean services

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Ingest the bundled example into the default store (newsgraph.db), then a sample search.
run: $(STAMP)
	$(BIN)/newsgraph ingest examples/ukraine-2022-04-26.txt --published 2022-04-26
	$(BIN)/newsgraph search "negotiations" --speaker Putin

test: $(STAMP)
	$(BIN)/ruff check newsgraph tests scripts benchmarks
	$(BIN)/mypy newsgraph
	@# The storage tests run on SQLite and on a real PostgreSQL, the page tests in a real Chromium:
	@# scripts/ci_services.sh installs and starts both (Debian packages) and prints the server's URL.
	services_env=$$(bash scripts/ci_services.sh) && eval "$$services_env" && \
	  NEWSGRAPH_REQUIRE_PG=1 NEWSGRAPH_REQUIRE_BROWSER=1 $(BIN)/pytest -q

# Install/start PostgreSQL and chromium for the tests; prints `export NEWSGRAPH_TEST_PG=...`.
services:
	bash scripts/ci_services.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
