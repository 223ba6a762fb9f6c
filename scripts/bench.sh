#!/usr/bin/env bash
# `make bench`: build the data sizes the issues name in a throwaway PostgreSQL (never the demo
# database) and print one line per figure: `bench: NAME VALUE UNIT`.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d /tmp/kenes-bench.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export KENES_DEMO=1 KENES_BENCH=1 KENES_VAR_DIR="$scratch"
mkdir -p "$scratch/static"
scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench "$@"' bench "$@"
