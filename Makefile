# The only entry points a newcomer needs: run, test, lint, bench.
SHELL := /bin/bash
SCALE ?= district
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# Use the machine's Python 3.11; never download an interpreter.
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python
DV := .venv/bin/dangvien

.PHONY: run test lint bench venv browser clean

.tools/bin/uv:
	@bash scripts/bootstrap-uv

venv: $(if $(findstring .tools,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --quiet

run: venv
	@bash scripts/ensure-fonts || true
	$(DV) migrate --noinput -v0
	$(DV) collectstatic --noinput -v0
	$(DV) demo --scale $(SCALE) --if-empty
	$(DV) demo_accounts
	@echo "dangvien: http://$(HOST):$(PORT)/"
	@# Two job workers run beside gunicorn and stop when it exits: one for imports, one for the
	@# rest (exports, checks, figures), so an import never waits behind an export.
	@$(DV) worker --queue imports & imports=$$!; \
	$(DV) worker --queue '*' --exclude imports & other=$$!; \
	trap 'kill $$imports $$other 2>/dev/null; wait $$imports $$other 2>/dev/null' EXIT INT TERM; \
	.venv/bin/gunicorn dangvien.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

browser:
	@bash scripts/ensure-chromium
	@bash scripts/ensure-fonts

test: venv browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/mypy
	.venv/bin/lint-imports
	$(DV) makemigrations --check --dry-run

bench: venv
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf .venv .tools var
