# One entry point. `make help` lists the targets; variables: DATA, DB, REPORT_DIR, FEATURE_SETS, DBT_VARS.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DATA ?= warehouse/data/music_industry_dei_data.csv
DB ?= warehouse/dei.duckdb
REPORT_DIR ?= reports/out
FEATURE_SETS ?=
DBT_VARS ?=
PYTEST_ARGS ?=

export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DBT_VERSION_CHECK := False
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project
# idle OpenMP threads in one worker must not spin on the core another worker needs
export OMP_WAIT_POLICY := PASSIVE

.DEFAULT_GOAL := help
.PHONY: help venv build test report docs bench lint clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: DATA=file.csv DB=file.duckdb REPORT_DIR=dir FEATURE_SETS=notebook,no_leakage DBT_VARS='{json}'"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the project (done by the other targets when missing)

build: $(STAMP) ## load DATA, run dbt (models + tests), publish DB atomically, render the report
	$(BIN)/python -m warehouse.build --data "$(DATA)" --db "$(DB)" --feature-sets "$(FEATURE_SETS)" --vars '$(DBT_VARS)' --report-dir "$(REPORT_DIR)"

test: $(STAMP) ## run the whole test suite (pytest, which also runs the dbt build and its tests)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

report: $(STAMP) ## re-render the HTML report from an existing DB
	$(BIN)/python -m reports.render --db "$(DB)" --out "$(REPORT_DIR)"

docs: $(STAMP) ## generate dbt docs (catalog of every table and column) into dbt_project/target
	DEI_DB_PATH="$(abspath $(DB))" $(BIN)/dbt docs generate --project-dir dbt_project

bench: $(STAMP) ## benchmark the build against the notebook's code on synthetic data
	$(BIN)/python -m warehouse.bench

lint: $(STAMP) ## ruff on the Python, sqlfluff on the dbt models
	$(BIN)/ruff check warehouse ml reports tests
	DEI_DB_PATH=$(CURDIR)/dbt_project/target/lint.duckdb $(BIN)/sqlfluff lint dbt_project/models

clean: ## remove the venv, the warehouse, the report and dbt's output
	rm -rf $(VENV) $(DB) $(dir $(DB)).dbt-$(notdir $(DB)) $(REPORT_DIR) dbt_project/target dbt_project/logs .pytest_cache
