#!/usr/bin/env bash
# `make test-browser`: /docs (Swagger UI) and /redoc (ReDoc) in a real browser.
#
# Starts a private PostgreSQL and Redis, the example server with its first superuser and the
# local docs assets, and headless Chromium, then runs scripts/browser-test.py, which drives
# Chromium over the DevTools protocol: every operation listed on both pages, the OAuth2 password
# flow through Swagger UI's Authorize dialog, Try it out on GET /api/v1/users/me, the
# authorization surviving a reload, and no request leaving the server (no CDN). Screenshots,
# the network log and the console log go to artifacts/browser/. Everything started here is
# stopped on exit, whatever happens.
#
# Environment (all optional):
#   SERVER_BIN          a built `server` executable; without it, `swift build --product server`
#   BROWSER_ARTIFACTS   where screenshots and logs go (artifacts/browser)
#   CHROMIUM            the browser to run (chromium)
#   BROWSER_TIMEOUT     seconds the whole Python driver may take (300)
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts=${BROWSER_ARTIFACTS:-artifacts/browser}
chromium=${CHROMIUM:-chromium}
superuser=admin@example.com
# A fresh password per run: nothing here may rely on the template's well-known default.
password="browser-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

say() { echo "browser-test: $*" >&2; }
die() { echo "browser-test: error: $*" >&2; exit 1; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- what the test needs from Debian: Chromium (the Makefile's deps brings the rest)
if ! command -v "$chromium" >/dev/null; then
    [ "$chromium" = chromium ] || die "CHROMIUM=$chromium is not on the PATH"
    say "installing Debian's chromium"
    sudo_ apt-get update -qq
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    command -v chromium >/dev/null || die "apt-get installed chromium but it is not on the PATH"
fi
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"

# --- the server binary: built first, before anything is started, since it takes longest
if [ -n "${SERVER_BIN:-}" ]; then
    [ -x "$SERVER_BIN" ] || die "SERVER_BIN=$SERVER_BIN is not an executable"
    server_bin=$SERVER_BIN
else
    swift build --product server >&2
    server_bin="$(swift build --show-bin-path)/server"
fi
bash scripts/docs-assets.sh
for asset in swagger-ui-bundle.js swagger-ui.css redoc.standalone.js; do
    # Without them the pages use the CDN, which this test exists to rule out.
    [ -s ".data/docs-assets/$asset" ] || die ".data/docs-assets/$asset is missing: scripts/docs-assets.sh could not fetch the pinned wheel"
done

# --- cleanup: registered before the first thing is started
work=$(mktemp -d /tmp/specgen-browser.XXXXXX)
# PostgreSQL runs as the postgres user when we are root; it must be able to enter the folder.
chmod 755 "$work"
server_pid="" chromium_pid="" driver_pid="" services_started=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    set +e  # a process already gone must not cut the cleanup short
    if [ -n "$driver_pid" ]; then kill "$driver_pid" 2>/dev/null && wait "$driver_pid" 2>/dev/null; fi
    if [ -n "$chromium_pid" ]; then kill "$chromium_pid" 2>/dev/null && wait "$chromium_pid" 2>/dev/null; fi
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
    if [ -n "$services_started" ]; then
        SERVICES_DATA_DIR="$work/services" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port \
            bash scripts/services.sh stop postgres redis >/dev/null 2>&1 || say "could not stop the services in $work/services"
    fi
    if [ $status -ne 0 ] && [ -f "$work/server.log" ]; then
        mkdir -p "$artifacts" && cp "$work/server.log" "$artifacts/server.log"
        say "server log: $artifacts/server.log"
    fi
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Free ports from the kernel, so a developer's `make run` or another test run is never in the way.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port) redis_port=$(free_port) port=$(free_port)

# --- private PostgreSQL and Redis in the temporary folder: a fresh database every run
services_started=yes
SERVICES_DATA_DIR="$work/services" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port \
    bash scripts/services.sh start postgres redis
eval "$(SERVICES_DATA_DIR="$work/services" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port \
    bash scripts/services.sh env | sed 's/^/export /')"

# --- the server; an empty env file so a developer's .env cannot change what is tested
: >"$work/empty.env"
ENVIRONMENT=local SECRET_KEY="browser-test-$password" \
    FIRST_SUPERUSER=$superuser FIRST_SUPERUSER_PASSWORD=$password \
    "$server_bin" serve --host 127.0.0.1 --port "$port" --env-file "$work/empty.env" \
    --docs-assets .data/docs-assets >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
    curl -fs "$base/api/v1/utils/health-check/" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited at start-up (log above)"; }
    sleep 0.1
done
curl -fs "$base/api/v1/utils/health-check/" >/dev/null || die "the server does not answer on $base"
say "server on $base"

# --- headless Chromium. Port 0: Chromium picks a free one and writes it to DevToolsActivePort.
# --no-sandbox because we run as root (Chromium refuses its sandbox then); the other flags keep
# it from talking to the network on its own (updates, sync, metrics) and from /dev/shm limits.
"$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 --user-data-dir="$work/chromium" \
    --no-first-run --no-default-browser-check --disable-extensions --disable-sync --disable-breakpad \
    --disable-background-networking --disable-component-update --disable-default-apps \
    --metrics-recording-only --password-store=basic --window-size=1280,900 \
    about:blank >"$work/chromium.log" 2>&1 &
chromium_pid=$!
for _ in $(seq 1 300); do
    [ -s "$work/chromium/DevToolsActivePort" ] && break
    kill -0 "$chromium_pid" 2>/dev/null || { cat "$work/chromium.log" >&2; die "chromium exited at start-up (log above)"; }
    sleep 0.1
done
devtools_port=$(head -n1 "$work/chromium/DevToolsActivePort" 2>/dev/null) || true
[ -n "$devtools_port" ] || die "chromium did not open its DevTools port (see $work/chromium.log)"
say "$("$chromium" --version 2>/dev/null || echo chromium), DevTools on port $devtools_port"

# --- the checks
# Only what an earlier run wrote: BROWSER_ARTIFACTS may name a folder that holds other files.
mkdir -p "$artifacts" && rm -f "$artifacts"/[0-9][0-9]-*.png "$artifacts"/{network,console}.txt "$artifacts"/server.log
started=$SECONDS
status=0
# In the background with `wait`, so a SIGTERM or SIGINT to this script runs the cleanup at once
# instead of after the driver finishes (bash defers traps while a foreground child runs).
timeout "${BROWSER_TIMEOUT:-300}" python3 scripts/browser-test.py --base-url "$base" --devtools-port "$devtools_port" \
    --artifacts "$artifacts" --username "$superuser" --password "$password" &
driver_pid=$!
wait "$driver_pid" || status=$?
driver_pid=""
[ $status -eq 124 ] && say "the browser test took longer than ${BROWSER_TIMEOUT:-300}s"
cp "$work/server.log" "$artifacts/server.log"
say "checks took $((SECONDS - started))s; screenshots and logs in $artifacts/"
[ $status -eq 0 ] || die "the browser test failed (see above and $artifacts/)"
