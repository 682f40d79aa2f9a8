# PolicyHub: `make run` to try it, `make test` to check it. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CONSTRAINTS := requirements/constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test mutation bench prod-smoke tools install install-test migrate demo worker lint format lock vendor messages clean help

help:
	@echo "make run    install, migrate, load the demo process, serve http://$(HOST):$(PORT)"
	@echo "make test   install test tools and run the whole suite"
	@echo "make lint   ruff lint and format check"
	@echo "make mutation  break the access and business rules one change at a time: do the tests notice?"
	@echo "make bench  hold pages, search, submissions and Redis faults to their targets (docs/performance.md)"
	@echo "make prod-smoke  deploy/Procfile under production settings: a journey, emails, /readyz, backup and restore"
	@echo "make lock   refresh $(CONSTRAINTS) from pyproject.toml"
	@echo "make vendor refresh static/vendor/govuk-frontend (needs npm)"
	@echo "make messages  refresh locale/cy from the code and compile it (needs GNU gettext)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Background work without Redis: Celery's filesystem transport (see README, "Background work").
# The worker runs beat too, so periodic work (reminders) happens in development as in production.
# It writes to this terminal, beside runserver: the emails it sends (printed by the console
# email backend) and its warnings appear where the README says they do.
run: demo
	@echo ""
	@echo "  PolicyHub is starting at http://$(HOST):$(PORT)/"
	@echo "  Sign in as the demo secretariat: secretariat@demo.policyhub.test / demo-secretariat-2014"
	@echo "  (demo convenor and participant: see README, 'Demo accounts'). Stop with Ctrl+C."
	@echo ""
	@mkdir -p var
	@$(BIN)/celery -A policyhub worker --beat --pool=solo --loglevel=warning \
	    --schedule=var/celerybeat-schedule & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(BIN)/celery -A policyhub worker --beat --pool=solo --loglevel=info --schedule=var/celerybeat-schedule

# Checkers that are not Python packages: the Nu Html Checker from npm (runs on Java).
# Best effort: without npm the validity test skips and says why (CI requires it).
VNU_JAR := var/tools/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p var/tools && npm install --prefix var/tools --no-audit --no-fund --silent vnu-jar@26.9.27; \
	else echo "npm not found: HTML validity tests will be skipped"; fi

tools: $(VNU_JAR)

test: install-test
	@$(MAKE) --no-print-directory tools || true
	$(BIN)/pytest

# Not part of `make test` (it is slow): mutmut changes the modules that decide access and
# business rules one thing at a time and runs the tests that call each change; prints the
# survivors and the score. CONTRIBUTING.md, "Mutation testing"; latest result: docs/mutation.md.
mutation: install-test
	$(PY) scripts/mutation.py

# Not part of `make test`: builds a dataset on PostgreSQL and measures it under gunicorn with a
# Redis of its own. BENCH_SCALE=0.1 for a quick run; results in bench/results/latest.json.
bench: install
	$(PY) -m bench.run

# Not part of `make test`: deploy/Procfile (release, web, worker, beat) under production settings
# against the local PostgreSQL (databases policyhub_smoke*, dropped after) and Redis db 13; needs
# the test extras for its data. Prints what it measured (README, "Deploying for real").
prod-smoke: install-test
	$(PY) scripts/prod_smoke.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(PY)
	$(PY) -m venv --clear /tmp/policyhub-lock
	/tmp/policyhub-lock/bin/pip install --quiet --upgrade pip
	/tmp/policyhub-lock/bin/pip install --quiet -e ".[test]"
	/tmp/policyhub-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > $(CONSTRAINTS)
	rm -rf /tmp/policyhub-lock

vendor:
	bash scripts/vendor-govuk-frontend.sh

# The Welsh catalogue: new and changed texts into locale/cy/LC_MESSAGES/django.po, then the
# compiled django.mo that Django reads (committed, so a checkout runs without gettext).
messages: install
	$(PY) manage.py makemessages -l cy -e html,txt,py --no-location \
	  --ignore=tests --ignore=static --ignore=staticfiles --ignore=var --ignore=bench \
	  --ignore=deploy --ignore=scripts --ignore=screenshots
	$(PY) manage.py compilemessages -l cy --ignore=.venv --ignore=var
	$(PY) manage.py translation_coverage

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles .pytest_cache
