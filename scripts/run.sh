#!/usr/bin/env bash
# `make run`: PostgreSQL (and Redis) under .data/ unless DATABASE_URL/REDIS_URL point elsewhere,
# then the example server on 127.0.0.1:8000. Ctrl-C stops the server and what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

started=()
stop_started() {
  if [ ${#started[@]} -gt 0 ]; then bash scripts/services.sh stop "${started[@]}" || true; fi
}
trap stop_started EXIT

# Settings: the environment first, then .env, then local defaults.
if [ -f .env ]; then set -a; . ./.env; set +a; fi
if [ -z "${DATABASE_URL:-}" ] && [ -z "${POSTGRES_SERVER:-}" ]; then
  bash scripts/services.sh status postgres >/dev/null 2>&1 || started+=(postgres)
  bash scripts/services.sh start postgres
  export "$(bash scripts/services.sh env | grep '^DATABASE_URL=')"
fi
if [ -z "${REDIS_URL:-}" ]; then
  bash scripts/services.sh status redis >/dev/null 2>&1 || started+=(redis)
  bash scripts/services.sh start redis
  export "$(bash scripts/services.sh env | grep '^REDIS_URL=')"
fi
export ENVIRONMENT="${ENVIRONMENT:-local}"
export FIRST_SUPERUSER="${FIRST_SUPERUSER:-admin@example.com}"
export FIRST_SUPERUSER_PASSWORD="${FIRST_SUPERUSER_PASSWORD:-changethis}"

echo "Serving on http://127.0.0.1:${PORT:-8000}/docs — log in as $FIRST_SUPERUSER (password from FIRST_SUPERUSER_PASSWORD)."
.build/debug/server serve --host 127.0.0.1 --port "${PORT:-8000}"
