# Langfang Policy Warehouse — the two set-up commands are `make demo` and `make test`.
# Everything goes through uv and the committed uv.lock; uv itself is installed with pip when missing.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help env browser demo test ui dashboard screenshot extract build manifest bench clean

help:
	@echo "make demo   create the environment, extract the seeds, build the warehouse and run the main job"
	@echo "make test   run the whole test suite"
	@echo "make ui     start the Dagster UI on http://127.0.0.1:3000"
	@echo "make dashboard  start the office's dashboard on http://127.0.0.1:8501 (the published warehouse)"

# The environment: uv (installed with pip if missing), then `uv sync --frozen` from uv.lock.
env: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		$(PYTHON) -m pip install --quiet uv || \
		$(PYTHON) -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

demo: env
	$(BIN)/policy-wh demo

# The browser tests need Debian's chromium and CJK fonts: installed here when missing (as root, with apt-get)
browser:
	@scripts/ensure_browser.sh

test: env browser
	$(BIN)/pytest

# The Dagster definitions are built from the parsed dbt project (dbt/target/manifest.json); importing them never
# runs dbt, so it is prepared here first (parsed only when the project changed), also for `dagster dev` by hand.
manifest: env
	$(BIN)/python -m dagster_project.dbt_runner

ui: env manifest
	$(BIN)/policy-wh ui

dashboard: env
	$(BIN)/policy-wh dashboard

# The README's picture of the dashboard: the browser test's own screenshot of 总览, copied into docs/
screenshot: env browser
	POLICY_WH_TEST_ARTIFACTS=test-artifacts $(BIN)/pytest -q tests/e2e/test_dashboard_browser.py -k overview_numbers
	cp test-artifacts/dashboard/overview.png docs/dashboard-overview.png

extract: env
	$(BIN)/policy-wh extract --report

build: env
	$(BIN)/policy-wh build

# Benchmarks (minutes; not part of CI): write bench/results.md and bench/limits.md
bench: env
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.limits

clean:
	rm -rf data dbt/target dbt/logs
