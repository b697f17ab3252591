# Porch: run `make help` to see every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Find a Python 3.12+ interpreter: python3.13, python3.12, or python3 if new enough.
PYTHON_FOR_VENV := $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then command -v $$p; break; fi; done)
PORT ?= 8000
# Links in emails and letters point at the port the portal is served on.
PORTAL_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DEBUG=1 PORTAL_URL=$(PORTAL_URL)
SQLITE_DB := sqlite:///$(CURDIR)/db.sqlite3

.PHONY: help run demo demo-reset isolation-check test test-fast e2e lint typecheck migrations-check deploy-check check install assets bench-seed bench-who-saw bench-upload lock clean

help: ## List every target
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "Porch needs Python 3.12 or newer. Install it (for example with pyenv: pyenv install 3.13.0) and try again."; exit 1; fi
	@test -d $(VENV) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/porch.css: node_modules/.installed frontend/porch.scss frontend/porch.js frontend/build.mjs
	npm run --silent build

assets: static/build/porch.css ## Build the front-end assets (GOV.UK Frontend, rebranded)

demo: install assets ## Migrate the SQLite database and load demo data (once)
	$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py migrate --verbosity 0
	$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py createcachetable
	$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py seed_demo --homes 1000 --if-empty

run: demo ## Serve the portal with demo data at http://127.0.0.1:8000 (another port: make run PORT=8001), with the task worker
	@echo "Demo logins (password: porch-demo-password) are listed in README.md."
	@echo "Staff need a two-step code: make demo-code WHO=dpo"
	@$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo-reset: ## Start the demo again from scratch: delete the SQLite database and uploaded files, then load demo data
	rm -f db.sqlite3
	rm -rf var/media
	$(MAKE) demo

isolation-check: install ## Run the isolation self-test against the demo database (the launch checklist asks for it)
	$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py isolation_check

demo-code: install ## Print the current two-step code of a demo staff user: make demo-code WHO=dpo
	@$(DEV_ENV) DATABASE_URL=$(SQLITE_DB) $(PY) manage.py demo_code $(WHO)

# The suite runs in this many processes (pytest-xdist), each with a test database of its own.
TEST_WORKERS ?= 2

test: install assets ## Run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(DEV_ENV) $(PY) -m pytest --create-db -q -n $(TEST_WORKERS) --dist load

test-fast: install ## Run the suite without the browser tests
	$(DEV_ENV) $(PY) -m pytest -q -n $(TEST_WORKERS) --dist load -m "not e2e"

e2e: install assets ## Run only the browser journeys (needs Debian's chromium)
	$(DEV_ENV) $(PY) -m pytest -q -m e2e

lint: install ## ruff (lint and format), the unscoped-lookup check and import-linter (imports point down)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) tools/check_unscoped.py
	$(DEV_ENV) $(VENV)/bin/lint-imports

typecheck: install ## mypy with django-stubs
	$(DEV_ENV) $(VENV)/bin/mypy porch config tools

migrations-check: install ## Fail if models and migrations disagree
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

# Texts through GOV.UK Notify, as production sends them (a key of the right shape; nothing is sent).
DEPLOY_CHECK_TEXTS = SMS_BACKEND=porch.notifications.govuk_notify.NotifySmsBackend \
	NOTIFY_API_KEY=deploy_check-$(NOTIFY_ID)-$(NOTIFY_ID) NOTIFY_SMS_TEMPLATE_ID=$(NOTIFY_ID)
NOTIFY_ID = 00000000-0000-4000-8000-000000000000

deploy-check: install ## Django's deployment checks under production-like settings
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) AUDIT_KEY=$$(head -c 48 /dev/urandom | base64) \
		FEED_API_KEY=$$(head -c 48 /dev/urandom | base64) $(DEPLOY_CHECK_TEXTS) \
		DATABASE_URL=$(SQLITE_DB) ALLOWED_HOSTS=porch.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

check: lint typecheck migrations-check deploy-check test ## Everything CI runs on one database

bench-seed: install ## Time seed_demo at 150,000 homes on PostgreSQL (see bench/README.md)
	bench/seed_demo.sh

bench-who-saw: install ## "Who saw X" with 50 million audit events on PostgreSQL (about 40 min, 35 GB; see bench/README.md)
	bench/who_saw.sh

bench-upload: install ## Peak memory and time of checking hostile and normal uploads (about 1 min; see bench/README.md)
	bench/upload_memory.sh

lock: ## Re-pin dependencies after editing requirements*.in
	$(VENV)/bin/pip install --quiet uv==0.13.8
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes requirements-dev.in -o requirements-dev.txt

clean: ## Remove the virtualenv, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/build db.sqlite3 var
