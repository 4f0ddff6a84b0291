# Haven: two commands. `make run` serves the whole app; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint migrate demo clean bench

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo
	@echo "Haven is starting on http://127.0.0.1:8000 (web, Celery worker and Celery beat)."
	@echo "Sign in with any demo login above, password: haven-demo-2026, then the code from the"
	@echo "demo authenticator secret above (or: .venv/bin/python manage.py demo_code). Ctrl-C stops all three."
	@echo
	$(VENV)/bin/honcho -f Procfile.dev start

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# The officers' pages and the dashboard at volume (issue 15): PostgreSQL only, DEBUG off.
# make bench BENCH_ARGS="--cases 100000 --runs 20 --seconds 20"   (or --skip-load, --only ...)
bench: install
	@case "$$DATABASE_URL" in postgres*) ;; *) \
	  echo "make bench measures PostgreSQL: set DATABASE_URL=postgres://user@host:5432/db" \
	  "(it refuses SQLite)." >&2; exit 2;; esac
	DJANGO_DEBUG=false $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=false $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf var/staticfiles var/test-private var/test-haven.sqlite3
