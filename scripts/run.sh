#!/usr/bin/env bash
# Serve Kenes: migrate, load the demo (in demo mode), start the task worker, serve HTTP until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
host="${1:-127.0.0.1}"
port="${2:-8000}"
export KENES_DEMO="${KENES_DEMO:-1}"
py=.venv/bin/python

$py manage.py migrate --noinput
if [ "$KENES_DEMO" = "1" ]; then
  $py manage.py load_demo
fi
$py manage.py collectstatic --noinput -v0

$py manage.py db_worker --interval 2 &
worker=$!
$py manage.py run_schedule &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null; wait "$worker" "$scheduler" 2>/dev/null' EXIT INT TERM

echo "Kenes is at http://$host:$port/ (Ctrl-C stops it)"
.venv/bin/gunicorn kenes.wsgi:application --bind "$host:$port" --workers "${KENES_WORKERS:-3}" \
  --access-logfile - --graceful-timeout 5 --timeout 120
