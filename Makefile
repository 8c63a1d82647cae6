# Two entry points for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# dbt (for the dbt cross-check tests) lives in its own environment: dbt-core pins
# pathspec<0.13 while mypy and yamllint need pathspec>=1.0. Its pins are the `dbt-tests`
# extra of pyproject.toml.
DBT_VENV := .venv-dbt
DBT_STAMP := $(DBT_VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DBT_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DBT_VENV)
	$(DBT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DBT_VENV)/bin/python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['dbt-tests']))" > $(DBT_VENV)/requirements.txt
	$(DBT_VENV)/bin/python -m pip install --quiet -r $(DBT_VENV)/requirements.txt
	touch $(DBT_STAMP)

demo: $(STAMP)
	$(BIN)/dataplan-lint check examples/clickstream-sessions examples/orders-cdc examples/ride-trips

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dataplan_lint

test: $(STAMP) $(DBT_STAMP) lint
	DATAPLAN_LINT_DBT=$(CURDIR)/$(DBT_VENV)/bin/dbt $(BIN)/python -m pytest -n auto --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DBT_VENV) build dist .pytest_cache .mypy_cache .ruff_cache
