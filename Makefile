# The two commands: `make run` and `make test`. Each sets itself up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint typecheck fmt venv migrate seed bench worker beat backup restore clean

$(STAMP): requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	@mkdir -p var/mail
	DJANGO_SETTINGS_MODULE=nmo_portal.settings.dev $(PY) manage.py migrate --noinput

## make run: the portal at http://127.0.0.1:8000 with reference and demo data
run: migrate
	DJANGO_SETTINGS_MODULE=nmo_portal.settings.dev $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=nmo_portal.settings.dev bash bin/run-dev

## make test: lint, types, then the whole suite
test: lint
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: $(STAMP)
	$(VENV)/bin/celery -A nmo_portal worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A nmo_portal beat -l info

## make bench: national-scale sample on PostgreSQL and Redis, then the figures
## (DATABASE_URL and REDIS_URL required; works in the database nmo_bench only;
##  BENCH_ARGS="--quick" for a smoke run, "--reset" to reseed from nothing, "--scale N")
bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

## make backup: pg_dump of DATABASE_URL into var/backups/; make restore FILE=var/backups/nmo-....dump [YES=1]
backup:
	bash bin/backup

restore:
	bash bin/restore "$(FILE)" $(if $(YES),--yes)

clean:
	rm -rf $(VENV) var
