# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint venv bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-app

venv: $(VENV)/.installed-app

## Serve the demo workspace on http://$(HOST):$(PORT)
run: $(VENV)/.installed-app
	$(BIN)/workbench db upgrade
	$(BIN)/workbench demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops)"
	$(BIN)/workbench run --host $(HOST) --port $(PORT)

## Lint, type-check and look for dead code, then run every test (unit, integration on SQLite
## and PostgreSQL if configured, browser)
test: $(VENV)/.installed-test
	$(BIN)/ruff check workbench tests bench
	$(BIN)/python -m mypy
	$(BIN)/vulture workbench vulture_whitelist.py --min-confidence 60
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check workbench tests bench
	$(BIN)/ruff format --check workbench tests bench
	$(BIN)/python -m mypy
	$(BIN)/vulture workbench vulture_whitelist.py --min-confidence 60

bench: $(VENV)/.installed-test
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
