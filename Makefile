# Fengchao: `make run` serves the demo on 127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails, feeds and the demo's printed logins point at the server `make run` starts.
export BASE_URL ?= http://$(HOST):$(PORT)
# `make run` is a development server: DEBUG lets it use the development key. Production sets
# DEBUG=false and its own SECRET_KEY, or the settings refuse to start (config/env.py).
export DEBUG ?= true
# The newest Python 3.12+ we can find (pyenv's versions included).
PYTHON_BOOT ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: run test test-deps install fonts migrate seed lint messages bench openapi clean

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON_BOOT)" ]; then echo "Fengchao needs Python 3.12 or newer (Django 6). Install it and retry." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# Certificates (PDF) need a font with Chinese glyphs. The system's is used when there is one;
# otherwise, as root, Debian's package is installed; otherwise the same package is fetched
# without root (`apt-get download` needs none) and unpacked into var/fonts, where core.fonts looks;
# otherwise we say what to do. The rest of the site works without it: certificates answer 503.
CJK_FONT_FOUND = DJANGO_SETTINGS_MODULE=config.settings $(PY) -c 'import django; django.setup(); \
	from core.fonts import find_cjk_font; raise SystemExit(find_cjk_font() is None)'
CJK_FONT_PACKAGE ?= fonts-wqy-microhei

fonts: install
	@$(CJK_FONT_FOUND) && exit 0; \
	echo "No Chinese font for PDF certificates: installing $(CJK_FONT_PACKAGE) ..."; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get install -y -qq $(CJK_FONT_PACKAGE) >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq $(CJK_FONT_PACKAGE) >/dev/null 2>&1; }; \
	elif command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then \
		rm -rf var/fonts/.deb && mkdir -p var/fonts/.deb \
		&& (cd var/fonts/.deb && apt-get download -qq $(CJK_FONT_PACKAGE) >/dev/null 2>&1) \
		&& dpkg-deb -x var/fonts/.deb/*.deb var/fonts/; rm -rf var/fonts/.deb; \
	fi; \
	$(CJK_FONT_FOUND) && echo "Chinese font installed." || { \
		echo "WARNING: no Chinese font found, so certificates (PDF) will answer 503." >&2; \
		echo "  Debian/Ubuntu: sudo apt-get install $(CJK_FONT_PACKAGE)   macOS/other: set FENGCHAO_CJK_FONT=/path/to/a/CJK.ttf" >&2; }

migrate: fonts
	@echo "Migrating the database (first run takes ~20 s) ..."
	$(PY) manage.py migrate --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "  Site:      http://$(HOST):$(PORT)/"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  API docs:  http://$(HOST):$(PORT)/api/v3/docs/"
	@echo "  Search:    http://$(HOST):$(PORT)/search/"
	@echo ""
	@$(PY) manage.py scheduled_jobs | tail -1 | sed 's/^/  Scheduler: /'
	@# The scheduler (django-crontask) beside the server: scheduled pages go live on time,
	@# reminders go out. Stopped with the server (Ctrl-C stops both; the trap covers the rest).
	@$(PY) manage.py crontask --no-heartbeat > var/scheduler.log 2>&1 & SCHEDULER=$$!; \
		trap 'kill $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver --noreload $(HOST):$(PORT)

# What the browser tests need beyond Python: axe-core from npm (when npm exists) and Debian's
# Chromium (`apt-get install -y chromium`). Without them those tests are skipped, saying why.
E2E_DIR ?= tests/e2e
AXE := $(E2E_DIR)/node_modules/axe-core/axe.min.js

$(AXE): $(E2E_DIR)/package.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing axe-core for the browser tests (npm install --prefix $(E2E_DIR)) ..."; \
		npm install --prefix $(E2E_DIR) --no-audit --no-fund --silent && touch $@ \
		|| echo "WARNING: npm could not install axe-core: the browser tests will be skipped"; \
	else echo "npm not found: the browser tests will be skipped (install Node.js/npm to run them)"; fi

test-deps: $(AXE)
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium \
		|| echo "Chromium not found: the browser tests will be skipped (apt-get install -y chromium)"

test: fonts test-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check_translations
	$(VENV)/bin/lint-imports --no-cache

# The zh-hans catalogues, generated from the code: django (Python and templates) and djangojs (the
# project's JavaScript and the Wagtail admin strings listed in core/wagtail_admin_strings.js;
# vendored libraries are not ours). Translate what is new, then `make lint` checks it.
MESSAGES_IGNORE := -i tests -i bench -i var -i media -i node_modules -i .venv -i vendor
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -l zh_Hans -d djangojs --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l zh_Hans

openapi: install
	$(PY) manage.py export_openapi > tests/core/openapi.snapshot.json

# `make bench` on SQLite with the per-process cache; `make bench BENCH_DB=postgres` on PostgreSQL
# with Redis (started when down, stopped after; the fc_bench database created when missing).
bench: install
	$(PY) bench/run.py $(if $(BENCH_DB),--db $(BENCH_DB)) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3*
