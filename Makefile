# Kenes: `make run` serves the demo, `make test` runs lint and every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
# Commands that only build files (messages, static) run in demo mode, which needs no secrets.
BUILD_ENV := KENES_DEMO=1

.PHONY: run test lint install messages static bench clean

$(VENV)/.installed: pyproject.toml uv.lock package.json package-lock.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv sync --frozen --inexact --quiet --python $(PY)
	npm ci --no-audit --no-fund --silent
	@touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@$(BUILD_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

static: install
	@$(PY) manage.py collectstatic --noinput -v0

run: install
	@scripts/run.sh "$(HOST)" "$(PORT)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(BUILD_ENV) $(VENV)/bin/mypy kenes/core/policy.py kenes/core/audit.py kenes/core/attachments.py kenes/accounts/services.py kenes/directory/services.py \
		kenes/council kenes/core/services.py kenes/reports kenes/control/services.py \
		kenes/control/workdays.py kenes/core/notifications.py kenes/core/schedule.py \
		kenes/core/periods.py kenes/core/tabular.py kenes/core/imports.py kenes/core/subjects.py kenes/core/crypto.py kenes/core/tasks.py kenes/core/queues.py \
		kenes/core/composition.py kenes/core/derivation.py kenes/core/references.py kenes/core/codes.py kenes/core/checks.py \
		kenes/strategy/services.py kenes/strategy/importing.py kenes/strategy/forecasting.py \
		kenes/threats/services.py kenes/threats/forecasting.py kenes/threats/early_warning.py

test: install
	@scripts/test.sh

bench: install
	@scripts/bench.sh

clean:
	rm -rf $(VENV) node_modules var
