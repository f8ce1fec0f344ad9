# The two set-up commands of the README: `make run` and `make test`. Everything they need is built
# on first use and reused while the lock file is unchanged.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

export AIRFLOW_HOME := $(CURDIR)/var/airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__EXECUTOR := LocalExecutor
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN := sqlite:///$(CURDIR)/var/airflow/airflow.db
export GX_ANALYTICS_ENABLED := False
export DO_NOT_TRACK := 1

DOCS_ASSETS := expectations/data_docs_assets
DOCS_ASSETS_STAMP := $(DOCS_ASSETS)/node_modules/.installed

.PHONY: run test test-cluster docs install airflow-db docs-assets system-test-deps bench clean lock
.DEFAULT_GOAL := run

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Data Docs load bootstrap, jQuery, vega… from CDNs; we vendor the pinned npm packages beside the
# site so auditors offline see styled, working pages.
docs-assets: $(DOCS_ASSETS_STAMP)

$(DOCS_ASSETS_STAMP): $(DOCS_ASSETS)/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	npm ci --prefix $(DOCS_ASSETS) --no-audit --no-fund --loglevel=error
	touch $@

# Test-only system packages: Debian's Chromium for the browser test, CJK fonts for the PDF
# fixtures (fpdf2 needs WenQuanYi for a readable text layer) and legible screenshots. Installed once, only when missing.
SYSTEM_TEST_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei
system-test-deps:
	@missing=$$(for p in $(SYSTEM_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing $$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi

airflow-db: var/airflow/.migrated

var/airflow/.migrated: $(STAMP)
	mkdir -p var/airflow
	$(BIN)/airflow db migrate > var/airflow/migrate.log 2>&1 || (tail -30 var/airflow/migrate.log; exit 1)
	touch $@

## make run: the DAG report_warehouse over the bundled sample inbox, run by Airflow itself.
run: install airflow-db docs-assets
	$(BIN)/airflow dags test report_warehouse > var/airflow/last-run.log 2>&1 \
		|| (grep -E "ERROR|Error|error|failed" var/airflow/last-run.log | tail -30; echo "full log: var/airflow/last-run.log"; exit 1)
	@echo "Airflow log of the run: var/airflow/last-run.log"
	@! grep -q "the published warehouse is current" var/airflow/last-run.log \
		|| echo "Nothing new, changed or removed in the inbox: the run skipped. The latest published run:"
	@$(BIN)/report-warehouse summary

## make test: the whole suite (pytest runs dbt build, the GX suites and the DAG through Airflow).
test: install airflow-db docs-assets system-test-deps
	$(BIN)/python -m pytest

## make test-cluster: the DAG on PostgreSQL + Redis + CeleryExecutor with two workers (docs/operations.md).
test-cluster: install airflow-db docs-assets
	cluster/run_cluster.sh

## make docs: dbt's documentation site (every model and column, lineage) into var/reports/dbt_docs/.
# Generated against a copy of the published warehouse, so BI readers and runs are never blocked.
docs: install
	test -f var/warehouse.duckdb || $(MAKE) run
	cp var/warehouse.duckdb var/.docs.duckdb
	REPORTS_BUILD_DB=$(CURDIR)/var/.docs.duckdb $(BIN)/dbt --quiet docs generate --static \
		--project-dir dbt_project --profiles-dir dbt_project \
		--target-path $(CURDIR)/var/reports/dbt_docs --log-path $(CURDIR)/var/dbt-logs
	rm -f var/.docs.duckdb
	@echo "dbt docs: var/reports/dbt_docs/static_index.html"

lock:
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf var dbt_project/target dbt_project/logs .pytest_cache

include bench/Makefile.fragment
