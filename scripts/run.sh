#!/usr/bin/env bash
# Serve Kenes: migrate, load the demo (in demo mode), start the two task workers and the scheduler,
# serve HTTP until Ctrl-C.
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

# Two task workers: short work (imports, e-mails, the daily control job) never waits behind the long
# forecasts. --no-reload keeps each task in the worker's main thread, where its time limit is enforced.
$py manage.py db_worker --queue-name default --interval 2 --no-reload &
worker=$!
$py manage.py db_worker --queue-name forecasts --interval 2 --no-reload &
forecaster=$!
$py manage.py run_schedule &
scheduler=$!
trap 'kill "$worker" "$forecaster" "$scheduler" 2>/dev/null; wait "$worker" "$forecaster" "$scheduler" 2>/dev/null' EXIT INT TERM

echo "Kenes is at http://$host:$port/ (Ctrl-C stops it)"
.venv/bin/gunicorn kenes.wsgi:application --bind "$host:$port" --workers "${KENES_WORKERS:-3}" \
  --access-logfile - --graceful-timeout 5 --timeout 120
