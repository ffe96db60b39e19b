#!/usr/bin/env bash
# The server section of BENCHMARKS.md: the example server's routes under wrk at 64 and 256
# connections, against a bare Hummingbird handler (Sources/BenchBaseline) in the same run.
#
# Private PostgreSQL and Redis (own folder and ports), so a developer's `make run` data is not
# touched. Release builds. Environment (optional):
#   BENCH_DURATION  seconds per wrk run (10)
#   BENCH_THREADS   wrk threads (2)
#   BENCH_CONNECTIONS  connection counts (\"64 256\")
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connection_counts=${BENCH_CONNECTIONS:-"64 256"}
data=${BENCH_SERVICES_DIR:-/tmp/specgen-bench-services}
pg_port=54339 redis_port=63809 port=8089 baseline_port=8090 uncached_port=8091 fresh_port=8092
bin=.build/release

command -v wrk >/dev/null || { echo "bench-server: wrk is missing (apt-get install wrk)" >&2; exit 1; }
swift build -c release --product server >&2
swift build -c release --product bench-baseline >&2

export SERVICES_DATA_DIR="$data" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port
bash scripts/services.sh start postgres redis >&2
server_pid="" baseline_pid="" uncached_pid="" fresh_pid=""
cleanup() {
    [ -n "$fresh_pid" ] && kill -9 "$fresh_pid" 2>/dev/null && wait "$fresh_pid" 2>/dev/null
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$uncached_pid" ] && kill "$uncached_pid" 2>/dev/null && wait "$uncached_pid" 2>/dev/null
    [ -n "$baseline_pid" ] && kill "$baseline_pid" 2>/dev/null && wait "$baseline_pid" 2>/dev/null
    bash scripts/services.sh stop postgres redis >&2 || true
    rm -rf "$work"
}
work=$(mktemp -d)
trap cleanup EXIT
eval "$(bash scripts/services.sh env | sed 's/^/export /')"

# A clean database: the benchmark's own numbers should not depend on leftovers of an earlier run.
PGPASSWORD=app psql -q -h 127.0.0.1 -p $pg_port -U app app \
    -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null 2>&1

export ENVIRONMENT=local SECRET_KEY=bench-secret-key-0123456789abcdef
export FIRST_SUPERUSER=admin@example.com FIRST_SUPERUSER_PASSWORD=bench-password
# Rate limits would turn most of a load test into 429s; they are measured separately.
export RATE_LIMIT_ENABLED=false
wait_for() {
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$1/api/v1/utils/health-check/" >/dev/null && return 0; sleep 0.1; done
    echo "bench-server: nothing answers on port $1" >&2; return 1
}
"$bin/server" serve --port $port --log-level error >"$work/server.log" 2>&1 &
server_pid=$!
wait_for $port
# The same server with the Redis cache off, for the cache comparison.
CACHE_TTL_SECONDS=0 "$bin/server" serve --port $uncached_port --skip-migrations --log-level error >"$work/uncached.log" 2>&1 &
uncached_pid=$!
wait_for $uncached_port
"$bin/bench-baseline" $baseline_port >"$work/baseline.log" 2>&1 &
baseline_pid=$!
wait_for $baseline_port

token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/login/access-token" \
    -d "username=$FIRST_SUPERUSER&password=$FIRST_SUPERUSER_PASSWORD" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# 1,000 items as in the peer figures, owned by the superuser.
PGPASSWORD=app psql -q -h 127.0.0.1 -p $pg_port -U app app -c "
    INSERT INTO item (title, description, owner_id)
    SELECT 'item ' || n, 'seeded for the benchmark', (SELECT id FROM \"user\" WHERE email = '$FIRST_SUPERUSER')
    FROM generate_series(1, 1000) AS n" >/dev/null
item_id=$(PGPASSWORD=app psql -qtA -h 127.0.0.1 -p $pg_port -U app app -c "SELECT id FROM item ORDER BY created_at LIMIT 1")

# Another user, for the routes that act on a user by id.
other_id=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/users/" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"email": "bench-other@example.com", "password": "bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# A wrk script for one request: method, body, content type, and whether it carries the token.
# A body containing UNIQUE gets a fresh number per request, for routes that create users.
request_lua() { # file method body content-type auth(yes|no)
    cat >"$1" <<LUA
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local started = os.time()
local headers = {}
if "$5" == "yes" then headers["Authorization"] = "Bearer $token" end
if "$4" ~= "" then headers["Content-Type"] = "$4" end
request = function()
  counter = counter + 1
  local body = string.gsub([[$3]], "UNIQUE", string.format("%d-%d-%d", tid or 0, started, counter))
  if body == "" then body = nil end
  return wrk.format("$2", nil, headers, body)
end
LUA
}
request_lua "$work/test-token.lua" POST "" "" yes
request_lua "$work/patch-me.lua" PATCH '{"full_name": "Bench Mark"}' application/json yes
request_lua "$work/patch-user.lua" PATCH '{"full_name": "Other Bench"}' application/json yes
request_lua "$work/put-item.lua" PUT '{"title": "updated by wrk"}' application/json yes
request_lua "$work/signup.lua" POST '{"email": "signup-UNIQUE@example.com", "password": "bench-password"}' application/json no
request_lua "$work/create-user.lua" POST '{"email": "created-UNIQUE@example.com", "password": "bench-password"}' application/json yes
request_lua "$work/private-user.lua" POST '{"email": "private-UNIQUE@example.com", "password": "bench-password", "full_name": "P"}' application/json no
request_lua "$work/post-auth.lua" POST "" "" yes
request_lua "$work/post-anonymous.lua" POST "" "" no

cat >"$work/headers.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title": "created by wrk", "description": "benchmark"}'
LUA
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "username=$FIRST_SUPERUSER&password=$FIRST_SUPERUSER_PASSWORD"
LUA

# One wrk run as a table row: requests/s, p50, p99, and the answers that were not 2xx.
run() { # label connections url [script]
    local label=$1 connections=$2 url=$3 script=${4:-}
    local args=(-t"$threads" -c"$connections" -d"${duration}s" --timeout 30s --latency)
    [ -n "$script" ] && args+=(-s "$script")
    local out
    out=$(wrk "${args[@]}" "$url" 2>&1)
    python3 - "$label" "$connections" "$out" <<'PY'
import re, sys
label, connections, out = sys.argv[1], sys.argv[2], sys.argv[3]
def num(pattern, default="?"):
    m = re.search(pattern, out)
    return m.group(1) if m else default
rps = num(r"Requests/sec:\s+([\d.]+)")
rps = f"{float(rps):,.0f}" if rps != "?" else rps
p50 = num(r"\n\s+50%\s+(\S+)")
p99 = num(r"\n\s+99%\s+(\S+)")
bad = num(r"Non-2xx or 3xx responses:\s+(\d+)", "0")
errors = re.search(r"Socket errors: (.*)", out)
notes = []
if bad != "0": notes.append(f"{bad} non-2xx")
if errors: notes.append("socket errors: " + errors.group(1))
print(f"| {label} | {connections} | {rps} | {p50} | {p99} | {'; '.join(notes)} |")
PY
}

# Routes bound by bcrypt leave a hash queued in the server for every connection when wrk stops,
# seconds of both cores that would slow the rows after them. They run against a fresh server
# process (same build, settings and data), killed rather than drained after the row.
run_fresh() { # label connections path [script]
    "$bin/server" serve --port $fresh_port --skip-migrations --log-level error >>"$work/fresh.log" 2>&1 &
    fresh_pid=$!
    wait_for $fresh_port
    run "$1" "$2" "http://127.0.0.1:$fresh_port$3" "${4:-}"
    kill -9 "$fresh_pid"
    wait "$fresh_pid" 2>/dev/null || true
    fresh_pid=""
}

base="http://127.0.0.1:$port"
cat <<HEADER

## Server

The example server (release build, PostgreSQL and Redis on loopback, 1,000 seeded items, a
superuser's bearer token) against a bare Hummingbird 2 handler (\`bench-baseline\`, the health
route with no middleware). wrk with $threads threads, ${duration} s per row, 30 s timeout, on the same
$(nproc)-core machine as the server, so client and server share the cores; the peer figures
(FastAPI template, uvicorn) in \`../shared/reference/peer-figures.md\` were taken the same way.

Command: \`BENCH_DURATION=$duration bash scripts/bench-server.sh\` (part of \`make bench\`)

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
HEADER
for c in $connection_counts; do
    run "bare Hummingbird: GET health-check" "$c" "http://127.0.0.1:$baseline_port/api/v1/utils/health-check/"
    run "GET /api/v1/utils/health-check/" "$c" "$base/api/v1/utils/health-check/"
    run "GET /api/v1/users/me (bearer)" "$c" "$base/api/v1/users/me" "$work/headers.lua"
    run "GET /api/v1/items/ (bearer, 100 of 1,000)" "$c" "$base/api/v1/items/" "$work/headers.lua"
    run "GET /api/v1/items/{id} (bearer)" "$c" "$base/api/v1/items/$item_id" "$work/headers.lua"
    run "POST /api/v1/items/ (bearer)" "$c" "$base/api/v1/items/" "$work/create.lua"
done
run_fresh "POST /api/v1/login/access-token (bcrypt cost 12)" 64 /api/v1/login/access-token "$work/login.lua"

cat <<OTHERS

### Every other route

At the same connection counts. Routes that hash a password run bcrypt at cost 12 and are bound by
it; they run, as the login row above does, against a fresh server process killed after the row,
so the hashes still queued when wrk stops do not slow the next row. Not measured, since each
request would change what the next one finds: \`POST /api/v1/login/refresh\` (single-use
tokens), \`POST /api/v1/logout\` and \`/logout/all\` (end the session wrk uses),
\`POST /api/v1/reset-password/\` (one-time links), \`PATCH /api/v1/users/me/password\`, and the
three \`DELETE\` routes; the test suites cover them.

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
OTHERS
for c in $connection_counts; do
    run "GET /health/live" "$c" "$base/health/live"
    run "GET /health/ready (PostgreSQL and Redis)" "$c" "$base/health/ready"
    run "POST /api/v1/login/test-token (bearer)" "$c" "$base/api/v1/login/test-token" "$work/test-token.lua"
    run "GET /api/v1/users/ (superuser, first 100)" "$c" "$base/api/v1/users/" "$work/headers.lua"
    run "GET /api/v1/users/{user_id} (superuser)" "$c" "$base/api/v1/users/$other_id" "$work/headers.lua"
    run "PATCH /api/v1/users/me" "$c" "$base/api/v1/users/me" "$work/patch-me.lua"
    run "PATCH /api/v1/users/{user_id} (superuser)" "$c" "$base/api/v1/users/$other_id" "$work/patch-user.lua"
    run "PUT /api/v1/items/{id}" "$c" "$base/api/v1/items/$item_id" "$work/put-item.lua"
    run_fresh "POST /api/v1/users/signup (bcrypt cost 12)" "$c" /api/v1/users/signup "$work/signup.lua"
    run_fresh "POST /api/v1/users/ (superuser, bcrypt cost 12)" "$c" /api/v1/users/ "$work/create-user.lua"
    run_fresh "POST /api/v1/private/users/ (bcrypt cost 12)" "$c" /api/v1/private/users/ "$work/private-user.lua"
    run "POST /api/v1/password-recovery/{email} (e-mail logged)" "$c" "$base/api/v1/password-recovery/bench-other@example.com" "$work/post-anonymous.lua"
    run "POST /api/v1/password-recovery-html-content/{email}" "$c" "$base/api/v1/password-recovery-html-content/bench-other@example.com" "$work/post-auth.lua"
    run "POST /api/v1/utils/test-email/ (e-mail logged)" "$c" "$base/api/v1/utils/test-email/?email_to=bench-other@example.com" "$work/post-auth.lua"
done

cat <<CACHE

### Cache

\`GET /api/v1/items/{id}\` with a bearer token, served with the Redis cache (item and current
user from Redis, one revocation check) and by the same server with \`CACHE_TTL_SECONDS=0\`
(both from PostgreSQL). The goal: p99 under 2 ms at 64 connections for a cache hit (the FastAPI
stack aims for under 5 ms).

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
CACHE
run "GET /api/v1/items/{id}: Redis cache" 64 "$base/api/v1/items/$item_id" "$work/headers.lua"
run "GET /api/v1/items/{id}: PostgreSQL (cache off)" 64 "http://127.0.0.1:$uncached_port/api/v1/items/$item_id" "$work/headers.lua"
run "GET /api/v1/items/{id}: Redis cache" 256 "$base/api/v1/items/$item_id" "$work/headers.lua"
run "GET /api/v1/items/{id}: PostgreSQL (cache off)" 256 "http://127.0.0.1:$uncached_port/api/v1/items/$item_id" "$work/headers.lua"

rss() { awk -v key="$2" '$1 == key":" { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status"; }
cat <<MEMORY

Memory after the runs above: the server's resident set $(rss $server_pid VmRSS) (peak $(rss $server_pid VmHWM));
the bare handler's $(rss $baseline_pid VmRSS) (peak $(rss $baseline_pid VmHWM)).
MEMORY
