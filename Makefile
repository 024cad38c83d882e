# One entry point. `make help` lists the targets; variables: DATA, DB, REPORT_DIR, FEATURE_SETS, DBT_VARS,
# REPLACE_ANY_FILE, FRESH_HISTORY, HISTORY_DIR, DOCS_DIR.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DATA ?= warehouse/data/music_industry_dei_data.csv
DB ?= warehouse/dei.duckdb
REPORT_DIR ?= reports/out
FEATURE_SETS ?=
DBT_VARS ?=
REPLACE_ANY_FILE ?=
FRESH_HISTORY ?=
HISTORY_DIR ?= warehouse/history
DOCS_DIR ?= dbt_project/target/docs
PYTEST_ARGS ?=
# pytest-xdist workers of `make test`, one per core (a file's tests stay on one worker and share its builds)
TEST_WORKERS ?= 2
BENCH_ARGS ?=

# Paths and vars reach the commands through the environment, never through the shell's parser:
# $(value X) keeps make from expanding a `$` in them, and "$$DEI_X" in a recipe is one word
# whatever it holds (quotes, backticks, `$(...)`, spaces, newlines).
export DEI_DATA = $(value DATA)
export DEI_DB = $(value DB)
export DEI_REPORT_DIR = $(value REPORT_DIR)
export DEI_FEATURE_SETS = $(value FEATURE_SETS)
export DEI_DBT_VARS = $(value DBT_VARS)
export DEI_REPLACE_ANY_FILE = $(value REPLACE_ANY_FILE)
export DEI_FRESH_HISTORY = $(value FRESH_HISTORY)
export DEI_HISTORY_DIR = $(value HISTORY_DIR)
export DEI_DOCS_DIR = $(value DOCS_DIR)

export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DBT_VERSION_CHECK := False
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project
# idle OpenMP threads in one worker must not spin on the core another worker needs
export OMP_WAIT_POLICY := PASSIVE

.DEFAULT_GOAL := help
.PHONY: help venv build test test-fast report history-export docs docs-serve sql bench lint clean
# make shows what a target prints, not its commands
.SILENT:

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: DATA=file.csv|.csv.gz|.csv.zst|.parquet|folder|'glob' DB=file.duckdb REPORT_DIR=dir FEATURE_SETS=notebook,no_leakage DBT_VARS='{json}'"
	@echo "             REPLACE_ANY_FILE=yes (publish over a DB file this project did not build)"
	@echo "             FRESH_HISTORY=yes (start a new build history)  HISTORY_DIR=dir (where history-export writes)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the project (done by the other targets when missing)

build: $(STAMP) ## load DATA, run dbt (models + tests), publish DB atomically, render the report
	$(BIN)/python -m warehouse.build --data "$$DEI_DATA" --db "$$DEI_DB" --feature-sets "$$DEI_FEATURE_SETS" \
		--vars "$$DEI_DBT_VARS" --report-dir "$$DEI_REPORT_DIR" --replace-any-file="$$DEI_REPLACE_ANY_FILE" \
		--fresh-history="$$DEI_FRESH_HISTORY"

test: $(STAMP) ## run the whole test suite (pytest, which also runs the dbt build and its tests)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: $(STAMP) ## the fast loop: tests that build no warehouse (under a minute)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

report: $(STAMP) ## re-render the HTML report from an existing DB
	$(BIN)/python -m warehouse.report --db "$$DEI_DB" --out "$$DEI_REPORT_DIR"

history-export: $(STAMP) ## write DB's build history (audit.build_runs, history.*_history) as Parquet into HISTORY_DIR
	$(BIN)/python -m warehouse.build_history.export --db "$$DEI_DB" --out "$$DEI_HISTORY_DIR"

docs: $(STAMP) ## dbt docs of DB (every table and column), read-only, into DOCS_DIR/static_index.html: opens from disk
	$(BIN)/python -m warehouse.docs --db "$$DEI_DB" --out "$$DEI_DOCS_DIR" --vars "$$DEI_DBT_VARS"

docs-serve: $(STAMP) ## serve DOCS_DIR (after make docs) at http://localhost:8080
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory "$$DEI_DOCS_DIR" 8080

sql: $(STAMP) ## the DuckDB CLI on DB, read-only (never blocks a build; .quit or Ctrl-D to leave)
	test -f "$$DEI_DB" || { echo "error: no warehouse at $$DEI_DB: run \`make build\` first" >&2; exit 2; }
	$(BIN)/duckdb -readonly "$$DEI_DB"

bench: $(STAMP) ## measure speed and memory: the notebook comparison, the SQL layers at 10M, the whole build at 1M, a 1M catalogue export, the input formats at 10M (BENCH_ARGS="--help")
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(STAMP) ## ruff on the Python, sqlfluff on the dbt models
	$(BIN)/ruff check warehouse ml reports bench tests
	DEI_DB_PATH=$(CURDIR)/dbt_project/target/lint.duckdb $(BIN)/python -m tests.sql_lint dbt_project/models

clean: ## remove the venv, the warehouse, its report page and dbt's output (nothing else in REPORT_DIR)
	$(PYTHON) -m warehouse.clean --db="$$DEI_DB" --report-dir="$$DEI_REPORT_DIR"
	rm -rf -- $(VENV) dbt_project/target dbt_project/logs .pytest_cache
