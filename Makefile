# Ponder: `make run` serves the demo, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8100` serves on another port; links in e-mails follow it.
PORT ?= 8000
PONDER_SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DJANGO_DEBUG=true PONDER_SITE_URL=$(PONDER_SITE_URL)

.PHONY: install run demo test lint format lock clean bench soak faults fuzz messages

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("Ponder needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

demo: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core for the accessibility tests and oidc-provider for the single sign-on
# tests, at the versions in package-lock.json. Without npm `make test` still
# runs; those tests then skip and say why.
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm not found: the accessibility and single sign-on tests will be skipped"; \
	fi

test: install $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# The main pages under mixed traffic (1,000 signed-in sessions, a write every
# 20 requests) at 1,000 and 5,000 participants, each size its own PostgreSQL
# database (ponder_bench_<size>; PARTICIPANTS=5000 for one size; see
# docs/PERFORMANCE.md). Needs psql/createdb and wrk.
bench: install
	$(BIN)/python bench/run.py $(if $(PARTICIPANTS),--participants $(PARTICIPANTS))

# 50 signed-in participants read, write and comment for SOAK_SECONDS (300) with
# locust; fails on any error or lost write (PostgreSQL ponder_soak).
soak: install
	$(BIN)/python -m bench.soak

# PostgreSQL, then Redis, stopped and started under load (private servers:
# initdb and pg_ctl, redis-server).
faults: install
	PONDER_FAULT_TESTS=1 $(BIN)/pytest -q -s tests/deploy/test_db_restart.py tests/deploy/test_redis_outage.py

# The hostile-input suite with many more examples: hypothesis's "fuzz" profile
# (tests/hostile/conftest.py) and the URL and form crawlers' long runs.
fuzz: install
	HYPOTHESIS_PROFILE=fuzz PONDER_FUZZ=1 $(BIN)/pytest -q -p no:randomly tests/hostile \
	  tests/security/test_hostile_urls.py tests/security/test_hostile_forms.py

# After changing a translatable string: extract German and Dutch (needs
# gettext's xgettext), translate what is new in locale/*/LC_MESSAGES/*.po,
# then `make messages` again to compile (in Python) and commit both.
MESSAGE_OPTIONS := -l de -l nl --add-location file --no-obsolete \
  -i ".venv/*" -i "node_modules/*" -i "tests/*" -i "bench/*" -i "staticfiles/*"

messages: install
	$(BIN)/python manage.py makemessages $(MESSAGE_OPTIONS)
	$(BIN)/python manage.py makemessages -d djangojs $(MESSAGE_OPTIONS)
	$(BIN)/python scripts/compile_messages.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles node_modules
