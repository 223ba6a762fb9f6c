#!/usr/bin/env bash
# `make test`: lint, the whole suite on SQLite and on a throwaway PostgreSQL (the two at once, each in
# pytest-xdist workers, one a core; a test file stays on one worker, so its module fixtures are built once),
# then the browser tests in Debian's headless Chromium. Each run prints its ten slowest tests. Exits non-zero
# if anything fails. KENES_TEST_WORKERS sets the workers of each run (default: one a core).
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

logs="$(mktemp -d /tmp/kenes-test.XXXXXX)"
trap 'rm -rf "$logs"' EXIT

suite=(pytest -m "not browser" -q --durations=10 -n "${KENES_TEST_WORKERS:-auto}" --dist loadfile)
step "tests on SQLite and on PostgreSQL, side by side"
"${suite[@]}" >"$logs/sqlite.log" 2>&1 &
sqlite=$!
postgres_status=0
scripts/with-postgres.sh "${suite[@]}" >"$logs/postgres.log" 2>&1 || postgres_status=$?
sqlite_status=0
wait "$sqlite" || sqlite_status=$?

step "tests on SQLite"
cat "$logs/sqlite.log"
step "tests on PostgreSQL"
cat "$logs/postgres.log"
if [ "$sqlite_status" != 0 ] || [ "$postgres_status" != 0 ]; then
  echo "failed: SQLite exit $sqlite_status, PostgreSQL exit $postgres_status" >&2
  exit 1
fi

step "browser tests (Chromium, SQLite)"
DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -m browser -q
