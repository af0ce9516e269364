# victoires — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DJANGO_DEBUG=1
STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help run test fuzz lint format install messages compilemessages migrate demo node bench bench-money clean fonts bench-pages bench-counter world-map audit

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser accessibility audits will be skipped (apt-get install nodejs npm)"; fi

node: node_modules/.installed ## Install axe-core for the browser tests (needs npm)

compilemessages: $(STAMP) ## Compile the .po files (needs gettext's msgfmt)
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

messages: $(STAMP) ## Update locale/*/django.po from the code and templates
	$(DEV_ENV) $(MANAGE) makemessages -l fr -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests -v 0
	$(DEV_ENV) $(MANAGE) typeset_french

migrate: $(STAMP) ## Apply the migrations (DATABASE_URL honoured; SQLite by default)
	$(DEV_ENV) $(MANAGE) migrate --noinput -v 0

demo: migrate compilemessages ## Load the demo content and demo accounts (twice changes nothing)
	$(DEV_ENV) $(MANAGE) load_demo

run: demo ## Serve the site with demo content on http://127.0.0.1:8000/ (SQLite)
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) node compilemessages ## Run the whole test suite (DATABASE_URL / CACHE_URL honoured)
	$(VENV)/bin/pytest

fuzz: $(STAMP) compilemessages ## Send the 10 000 generated hostile inputs (Hypothesis) to forms, queries, admin
	FUZZ_FULL=1 $(VENV)/bin/pytest -q tests/core/test_fuzzing.py

lint: $(STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

fonts: $(STAMP) ## Rebuild static/fonts and the wordmark from npm @fontsource (files are committed)
	npm pack --silent --pack-destination /tmp @fontsource/barlow-condensed@5.3.0 >/dev/null
	rm -rf /tmp/fontsource-barlow && mkdir -p /tmp/fontsource-barlow
	tar xzf /tmp/fontsource-barlow-condensed-5.3.0.tgz -C /tmp/fontsource-barlow --strip-components=1
	$(PY) scripts/build_fonts.py /tmp/fontsource-barlow
	$(PY) scripts/build_wordmark.py

world-map: $(STAMP) ## Rebuild cases/data/world_map.json from npm world-atlas (Natural Earth; the file is committed)
	npm pack --silent --pack-destination /tmp world-atlas@2.0.2 >/dev/null
	rm -rf /tmp/world-atlas && mkdir -p /tmp/world-atlas
	tar xzf /tmp/world-atlas-2.0.2.tgz -C /tmp/world-atlas --strip-components=1
	$(PY) scripts/build_world_map.py /tmp/world-atlas

AUDIT_DATABASE ?= /tmp/victoires-audit.sqlite3
AUDIT_MEDIA ?= /tmp/victoires-audit-media
audit: $(STAMP) node compilemessages ## vnu and axe on every public page, Lighthouse and weight on /victoires/ (gunicorn, DEBUG off)
	@command -v java >/dev/null || { echo "java is missing: apt-get install default-jre-headless"; exit 1; }
	rm -rf $(AUDIT_DATABASE) $(AUDIT_MEDIA)
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///$(AUDIT_DATABASE) MEDIA_ROOT=$(AUDIT_MEDIA) $(MANAGE) audit

bench: migrate compilemessages ## Measure the victories pages with 500 cases (queries, time; rolled back)
	$(DEV_ENV) $(MANAGE) cases_bench

bench-money: migrate ## Measure debits_schedule, bank_file and tax_receipts on 50 000 mandates (time, peak memory; rolled back)
	$(DEV_ENV) $(MANAGE) money_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/victoires_bench
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/15
bench-pages: $(STAMP) compilemessages ## Pages, writes and faults against the machine's ceiling (gunicorn, PostgreSQL, Redis, wrk)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (Debian)"; exit 1; }
	DJANGO_DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) CACHE_URL=$(BENCH_CACHE_URL) $(MANAGE) bench_pages
bench-counter: $(STAMP) ## Concurrent confirmations of one petition: one counter row against the shards (PostgreSQL, at most 21 connections)
	DJANGO_DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) CACHE_URL=$(BENCH_CACHE_URL) $(MANAGE) counter_bench

clean: ## Remove the virtualenv, node_modules and the SQLite database
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache
