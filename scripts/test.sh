#!/usr/bin/env bash
# `make test`: lint, the whole suite on SQLite and on a throwaway PostgreSQL, then the browser tests
# in Debian's headless Chromium. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=tests.settings

step() { printf '\n=== %s ===\n' "$*"; }

step "lint"
make --no-print-directory lint

if ! command -v chromium >/dev/null; then
  step "installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

step "tests on SQLite"
pytest -m "not browser" -q

step "tests on PostgreSQL"
scripts/with-postgres.sh pytest -m "not browser" -q

step "browser tests (Chromium, SQLite)"
DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -m browser -q
