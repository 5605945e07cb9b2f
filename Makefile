# Two entry points on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-slow lint typecheck bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## set up and run the demo evaluation (chantier d'insertion)
	$(BIN)/evalsoc run frameworks/chantier-insertion.yaml --out evalsoc-output/demo

test: $(STAMP)  ## set up and run the test suite (slow tests excluded)
	$(BIN)/python -m pytest -n 2 -q

test-slow: $(STAMP)  ## coverage replications and large data
	$(BIN)/python -m pytest -n 2 -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks datasets
	$(BIN)/ruff format --check src tests benchmarks datasets

typecheck: $(STAMP)  ## mypy --strict on the typed core (files listed in pyproject.toml)
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks (not part of the tests); results in benchmarks/results.md
	$(BIN)/python benchmarks/run_all.py

schema: $(STAMP)
	$(BIN)/evalsoc schema -o evalsoc.schema.json

clean:
	rm -rf $(VENV) evalsoc-output .pytest_cache
