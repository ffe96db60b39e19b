#!/usr/bin/env bash
# The server section of BENCHMARKS.md: the example server's routes under wrk at 64 and 256
# connections, against a bare Hummingbird handler (Sources/BenchBaseline) in the same run.
#
# Private PostgreSQL and Redis (own folder and ports), so a developer's `make run` data is not
# touched. Release builds. Environment (optional):
#   BENCH_DURATION  seconds per wrk run (10)
#   BENCH_THREADS   wrk threads (2)
#   BENCH_CONNECTIONS  connection counts of the main table (\"64 256 1024\")
#   BENCH_OTHER_CONNECTIONS  connection counts of the other routes (\"64 256\")
#   BENCH_FEED_SCALE   multiplies the fixtures made for the routes whose requests use up their
#                      input (1); each row's notes say when its fixtures ran out
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connection_counts=${BENCH_CONNECTIONS:-"64 256 1024"}
other_connection_counts=${BENCH_OTHER_CONNECTIONS:-"64 256"}
limit_connections=64
data=${BENCH_SERVICES_DIR:-/tmp/specgen-bench-services}
feed_scale=${BENCH_FEED_SCALE:-1}
pg_port=54339 redis_port=63809 port=8089 baseline_port=8090 uncached_port=8091 fresh_port=8092 metrics_port=8093
# Built as the Dockerfile builds what production runs (scripts/release-build.sh: the Swift runtime
# linked in statically, the functions in a profile's order). Every binary here, the bare baseline
# included, is built the same way, in its own build folder so the debug builds are not relinked.
scratch=.build/static-stdlib
bin=$scratch/release

command -v wrk >/dev/null || { echo "bench-server: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v pgbench >/dev/null || [ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)/pgbench" ] \
    || { echo "bench-server: pgbench is missing (apt-get install postgresql-contrib or postgresql)" >&2; exit 1; }
pgbench_bin=$(command -v pgbench || echo "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pgbench")
# 1,024 connections need as many sockets in wrk and in the server (which inherits this limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for product in server bench-baseline bench-fixtures; do
    bash scripts/release-build.sh --scratch-path "$scratch" --product "$product" >&2
done

export SERVICES_DATA_DIR="$data" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port
bash scripts/services.sh start postgres redis >&2
# The limit rows turn statement logging on for a moment; a run interrupted there left it on.
bash scripts/services.sh admin-sql "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
bash scripts/services.sh admin-sql "SELECT pg_reload_conf()" >/dev/null
server_pid="" baseline_pid="" uncached_pid="" fresh_pid="" metrics_pid=""
cleanup() {
    [ -n "$fresh_pid" ] && kill -9 "$fresh_pid" 2>/dev/null && wait "$fresh_pid" 2>/dev/null
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$uncached_pid" ] && kill "$uncached_pid" 2>/dev/null && wait "$uncached_pid" 2>/dev/null
    [ -n "$metrics_pid" ] && kill "$metrics_pid" 2>/dev/null && wait "$metrics_pid" 2>/dev/null
    [ -n "$baseline_pid" ] && kill "$baseline_pid" 2>/dev/null && wait "$baseline_pid" 2>/dev/null
    bash scripts/services.sh stop postgres redis >&2 || true
    rm -rf "$work"
}
work=$(mktemp -d)
trap cleanup EXIT
eval "$(bash scripts/services.sh env | sed 's/^/export /')"

sql() { PGPASSWORD=app psql -qtA -h 127.0.0.1 -p $pg_port -U app app -c "$1"; }
# A clean database: the benchmark's own numbers should not depend on leftovers of an earlier run.
sql 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null 2>&1

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
# Its sessions carry their own application_name, so that the statements it runs can be told apart
# in PostgreSQL's log (the pgbench rows below run exactly those).
CACHE_TTL_SECONDS=0 DATABASE_URL="$DATABASE_URL?application_name=bench-uncached" "$bin/server" serve --port $uncached_port --skip-migrations --log-level error >"$work/uncached.log" 2>&1 &
uncached_pid=$!
wait_for $uncached_port
# The same server with /metrics on, for the cost of the request metrics.
METRICS_ENABLED=true "$bin/server" serve --port $metrics_port --skip-migrations --log-level error >"$work/metrics.log" 2>&1 &
metrics_pid=$!
wait_for $metrics_port
"$bin/bench-baseline" $baseline_port >"$work/baseline.log" 2>&1 &
baseline_pid=$!
wait_for $baseline_port

token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/login/access-token" \
    -d "username=$FIRST_SUPERUSER&password=$FIRST_SUPERUSER_PASSWORD" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# 1,000 items as in the peer figures, owned by the superuser.
superuser_id=$(sql "SELECT id FROM \"user\" WHERE email = '$FIRST_SUPERUSER'")
sql "INSERT INTO item (title, description, owner_id)
    SELECT 'item ' || n, 'seeded for the benchmark', '$superuser_id' FROM generate_series(1, 1000) AS n" >/dev/null
item_id=$(sql "SELECT id FROM item ORDER BY created_at LIMIT 1")

# Another user, for the routes that act on a user by id.
other_id=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/users/" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"email": "bench-other@example.com", "password": "bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# The hash the app made (argon2id, its default scheme) for that user's password, for the users made as fixtures below.
password_hash=$(sql "SELECT hashed_password FROM \"user\" WHERE id = '$other_id'")

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
create_body='{"title": "created by wrk", "description": "benchmark"}'
cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$create_body'
LUA
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "username=$FIRST_SUPERUSER&password=$FIRST_SUPERUSER_PASSWORD"
LUA

# Routes whose requests use up their input (a refresh token, a session, a reset token, a row)
# are fed from fixtures: one line per request, split into one file per wrk thread, which the
# thread reads into a queue in init(); request() takes the next line, and {1}, {2} in the path,
# body and Authorization header become its fields. A route that answers with its successor (a
# refresh token's next one) gets it put back at the end of the queue by response(). A request
# that finds the queue empty is still sent, with "none" for its fields, so it fails, and done()
# prints how many did, which the row's notes show; done() also writes the fixtures no request
# took to <fixtures>.left, for the route's next row.
feed_lua() { # file fixtures method path body authorization successor-field
    cat >"$1" <<LUA
local fixtures, method, path, body, auth, successor = "$2", "$3", "$4", [[$5]], "$6", "$7"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("file", fixtures .. "." .. #threads)
end
function init(args)
  queue, first, last, ran_out = {}, 1, 0, 0
  for line in io.lines(file) do last = last + 1; queue[last] = line end
end
local function fill(template, fields)
  return (string.gsub(template, "{(%d)}", function(i) return fields[tonumber(i)] or "none" end))
end
function request()
  local fields = {}
  if first > last then
    ran_out = ran_out + 1
  else
    for field in string.gmatch(queue[first], "%S+") do fields[#fields + 1] = field end
    queue[first] = nil
    first = first + 1
  end
  local headers = {}
  if auth ~= "" then headers["Authorization"] = fill(auth, fields) end
  local content = fill(body, fields)
  if content == "" then content = nil else headers["Content-Type"] = "application/json" end
  return wrk.format(method, fill(path, fields), headers, content)
end
if successor ~= "" then
  function response(status, headers, body)
    local following = status == 200 and string.match(body, '"' .. successor .. '"%s*:%s*"([^"]+)"')
    if following then last = last + 1; queue[last] = following end
  end
end
function done(summary, latency, requests)
  local out, left = 0, io.open(fixtures .. ".left", "w")
  for _, thread in ipairs(threads) do
    out = out + thread:get("ran_out")
    local queue = thread:get("queue")
    for i = thread:get("first"), thread:get("last") do left:write(queue[i], "\n") end
  end
  left:close()
  io.write(string.format("fixtures ran out: %d\n", out))
end
LUA
}
# Standard input, one fixture a line, into the files <prefix>.1 to <prefix>.<threads>, round robin.
split_fixtures() { awk -v prefix="$1" -v n="$threads" '{ print > (prefix "." ((NR - 1) % n + 1)) }'; }
# How many fixtures a row gets: one per connection, plus the run's duration at a rate about
# twice what this 2-core machine reaches on that route, times BENCH_FEED_SCALE.
feed_count() { awk -v c="$1" -v rate="$2" -v d="$duration" -v s="$feed_scale" 'BEGIN { printf "%d", c + rate * d * s + 0.5 }'; }
# n fixture users (feed-<name>-<batch>-<k>@example.com, password bench-password with the hash
# the app made), as "<id> <email>" lines.
fixture_users() { # n name
    sql "INSERT INTO \"user\" (email, hashed_password, full_name)
        SELECT 'feed-$2-$(date +%s%N)-' || k || '@example.com', '$password_hash', 'Fed' FROM generate_series(1, $1) AS k
        RETURNING id || ' ' || email"
}
# The app's own code mints sessions ("<access token> <refresh token>" per user id) and password
# reset tokens (per e-mail): see Sources/Server/BenchFixtures.swift.
mint() { "$bin/bench-fixtures" "$1" --log-level error; }

# One wrk run as a table row: requests/s, p50, p99, and the answers that were not 2xx.
run() { # label connections url [script]
    local label=$1 connections=$2 url=$3 script=${4:-}
    local args=(-t"$threads" -c"$connections" -d"${duration}s" --timeout 30s --latency)
    [ -n "$script" ] && args+=(-s "$script")
    local out pid peak=""
    pid=$(serving_pid "$url")
    [ -n "$pid" ] && reset_peak "$pid"
    out=$(wrk "${args[@]}" "$url" 2>&1)
    [ -n "$pid" ] && peak=$(peak_kib "$pid")
    python3 - "$label" "$connections" "$out" "$peak" <<'PY'
import re, sys
label, connections, out, peak = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def num(pattern, default="?"):
    m = re.search(pattern, out)
    return m.group(1) if m else default
rps = num(r"Requests/sec:\s+([\d.]+)")
rps = f"{float(rps):,.0f}" if rps != "?" else rps
p50 = num(r"\n\s+50%\s+(\S+)")
p99 = num(r"\n\s+99%\s+(\S+)")
bad = num(r"Non-2xx or 3xx responses:\s+(\d+)", "0")
errors = re.search(r"Socket errors: (.*)", out)
ran_out = num(r"fixtures ran out: (\d+)", "0")
notes = []
if num(r"(\d+) requests in") == "0":
    p50 = p99 = "-"
    notes.append("no request finished within the run")
if bad != "0": notes.append(f"{bad} non-2xx")
if errors: notes.append("socket errors: " + errors.group(1))
if ran_out != "0": notes.append(f"fixtures ran out: {ran_out} requests sent without one")
if peak: notes.append(f"server peak {int(peak) / 1024:.0f} MiB")
print(f"| {label} | {connections} | {rps} | {p50} | {p99} | {'; '.join(notes)} |")
PY
}

# Routes bound by password hashing leave a hash queued in the server for every connection when wrk stops,
# seconds of both cores that would slow the rows after them. They run against a fresh server
# process (same build, settings and data), killed rather than drained after the row.
run_fresh() { # label connections path [script]
    "$bin/server" serve --port $fresh_port --skip-migrations --log-level error >>"$work/fresh.log" 2>&1 &
    fresh_pid=$!
    wait_for $fresh_port
    run "$1" "$2" "http://127.0.0.1:$fresh_port$3" "${4:-}"
    memory_notes+="- $1 ($2 connections, a fresh server): peak $(rss $fresh_pid VmHWM)"$'\n'
    kill -9 "$fresh_pid"
    wait "$fresh_pid" 2>/dev/null || true
    fresh_pid=""
}
repeat() { awk -v line="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) print line }'; }

rss() { awk -v key="$2" '$1 == key":" { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status"; }
# Peaks per row and per group of rows. Writing 5 to /proc/PID/clear_refs resets VmHWM (Linux), so
# each row's note shows the serving process's own peak during that row, and each group's line the
# largest of its rows' (kept in $work/peak.PID, since rows also run in subshells), rather than the
# largest since the server started.
peak_kib() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"; }
reset_peak() { # pid: folds the peak so far into the group's, then starts a new one
    local now group=0
    now=$(peak_kib "$1")
    [ -f "$work/peak.$1" ] && group=$(cat "$work/peak.$1")
    [ "${now:-0}" -gt "$group" ] && echo "$now" >"$work/peak.$1"
    echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true
}
# Whose peak a row's URL measures: the process listening on its port.
serving_pid() {
    case "$1" in
    *":$port/"*) echo "$server_pid" ;;
    *":$uncached_port/"*) echo "$uncached_pid" ;;
    *":$metrics_port/"*) echo "$metrics_pid" ;;
    *":$baseline_port/"*) echo "$baseline_pid" ;;
    *":$fresh_port/"*) echo "$fresh_pid" ;;
    esac
}
peak_since_last() {
    reset_peak "$1"
    if [ -w "/proc/$1/clear_refs" ]; then
        awk '{ printf "%.0f MiB", $1 / 1024 }' "$work/peak.$1"
    else
        echo "$(rss "$1" VmHWM) (since start)"
    fi
    echo 0 >"$work/peak.$1"
}
memory_notes=""
# How many of the functions the text order names the server binary has, as "n of m".
text_order_coverage() {
    nm --defined-only "$bin/server" | awk 'NR == FNR { named[$1] = 1; m++; next } $3 in named && !seen[$3]++ { n++ }
        END { printf "%d of %d", n, m }' scripts/server.text-order -
}
base="http://127.0.0.1:$port"
cat <<HEADER

## Server

The example server (release build, PostgreSQL and Redis on loopback, 1,000 seeded items, a
superuser's bearer token) against a bare Hummingbird 2 handler (\`bench-baseline\`, the health
route with no middleware), both with the Swift runtime linked in statically, as the Dockerfile
builds the server. wrk with $threads threads, ${duration} s per row, 30 s timeout, on the same
$(nproc)-core machine as the server, so client and server share the cores; the peer figures
(FastAPI template, uvicorn) in \`../shared/reference/peer-figures.md\` were taken the same way.

Command: \`BENCH_DURATION=$duration bash scripts/bench-server.sh\` (part of \`make bench\`)

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
HEADER
memory_notes+="- start-up, the first superuser's hash and the benchmark's own login (argon2id): peak $(peak_since_last $server_pid)"$'\n'
for c in $connection_counts; do
    run "bare Hummingbird: GET health-check" "$c" "http://127.0.0.1:$baseline_port/api/v1/utils/health-check/"
    run "GET /api/v1/utils/health-check/" "$c" "$base/api/v1/utils/health-check/"
    run "GET /api/v1/users/me (bearer)" "$c" "$base/api/v1/users/me" "$work/headers.lua"
    run "GET /api/v1/items/ (bearer, 100 of 1,000)" "$c" "$base/api/v1/items/" "$work/headers.lua"
    run "GET /api/v1/items/{id} (bearer)" "$c" "$base/api/v1/items/$item_id" "$work/headers.lua"
    run "POST /api/v1/items/ (bearer)" "$c" "$base/api/v1/items/" "$work/create.lua"
    # What the row created goes, so that every list row pages through the same 1,000 items.
    sql "DELETE FROM item WHERE title = 'created by wrk'" >/dev/null
    memory_notes+="- the $c-connection rows: peak $(peak_since_last $server_pid), resident $(rss $server_pid VmRSS) after them"$'\n'
done
run_fresh "POST /api/v1/login/access-token (argon2id, pwdlib's parameters)" 64 /api/v1/login/access-token "$work/login.lua"

# The template's login spends its time in pwdlib's argon2id verify (argon2-cffi, the same libargon2);
# that alone, on as many threads as the machine has cores, is the most logins/s it can reach.
hash_venv=.data/venv-password-hashes
if [ ! -x "$hash_venv/bin/python" ]; then
    python3 -m venv "$hash_venv" >&2 && "$hash_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-deps -r scripts/password-hash-fixtures-requirements.txt >&2 || true
fi
if [ -x "$hash_venv/bin/python" ]; then
    "$hash_venv/bin/python" - "$duration" <<'PY'
import os, sys, threading, time
from pwdlib import PasswordHash
hasher = PasswordHash.recommended()
stored = hasher.hash("bench-password")
seconds, count, lock = float(sys.argv[1]), [0], threading.Lock()
def work(deadline):
    while time.monotonic() < deadline:
        hasher.verify("bench-password", stored)
        with lock: count[0] += 1
deadline = time.monotonic() + seconds
threads = [threading.Thread(target=work, args=(deadline,)) for _ in range(os.cpu_count() or 1)]
for t in threads: t.start()
for t in threads: t.join()
print(f"| the template's login floor: pwdlib argon2id verify alone (Python, {len(threads)} threads) | - | {count[0] / seconds:,.0f} | - | - | no HTTP, no database: the ceiling of its login route |")
PY
fi

cat <<MEMORY

The server's memory: the peak resident set (VmHWM) during each group of rows and the resident set
(VmRSS) right after it; the login row's server hashes with argon2id at pwdlib's parameters, 64 MiB
each, at most \`PASSWORD_HASH_MEMORY_MIB\` (64) at once. The server hands freed heap pages back every
\`MEMORY_TRIM_SECONDS\` (10), so the resident set after a group can be below the peak within it:

${memory_notes}
Part of the resident set is the binary's text: the kernel maps it 64 KiB around each page first
touched. \`scripts/release-build.sh\` links the functions a profile saw run first
(\`scripts/server.text-order\`, written by \`scripts/text-order.sh\`); $(text_order_coverage) of the
functions it names are in this build (the rest were renamed since the profile and lie elsewhere).
MEMORY

cat <<OTHERS

### Every other route

At the same connection counts. Routes that hash a password run argon2id at pwdlib's parameters (the
app's default scheme; 64 MiB each, one at a time within \`PASSWORD_HASH_MEMORY_MIB\`) and are bound by it; they run, as the login row above does, against a fresh server process killed after the row,
so the hashes still queued when wrk stops do not slow the next row. The routes whose requests use
up their input (the last rows) get one fixture per request from a queue per wrk thread, made
before the row: items and users inserted with SQL (with a hash the app made), sessions and reset
tokens minted by the app's own code (\`bench-fixtures\`, a separate executable); refresh feeds each new token back.

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
OTHERS
for c in $other_connection_counts; do
    run "GET /health/live" "$c" "$base/health/live"
    run "GET /health/ready (PostgreSQL and Redis)" "$c" "$base/health/ready"
    run "POST /api/v1/login/test-token (bearer)" "$c" "$base/api/v1/login/test-token" "$work/test-token.lua"
    run "GET /api/v1/users/ (superuser, first 100)" "$c" "$base/api/v1/users/" "$work/headers.lua"
    run "GET /api/v1/users/{user_id} (superuser)" "$c" "$base/api/v1/users/$other_id" "$work/headers.lua"
    run "PATCH /api/v1/users/me" "$c" "$base/api/v1/users/me" "$work/patch-me.lua"
    run "PATCH /api/v1/users/{user_id} (superuser)" "$c" "$base/api/v1/users/$other_id" "$work/patch-user.lua"
    run "PUT /api/v1/items/{id}" "$c" "$base/api/v1/items/$item_id" "$work/put-item.lua"
    run_fresh "POST /api/v1/users/signup (argon2id)" "$c" /api/v1/users/signup "$work/signup.lua"
    run_fresh "POST /api/v1/users/ (superuser, argon2id)" "$c" /api/v1/users/ "$work/create-user.lua"
    run_fresh "POST /api/v1/private/users/ (argon2id)" "$c" /api/v1/private/users/ "$work/private-user.lua"
    run "POST /api/v1/password-recovery/{email} (e-mail logged)" "$c" "$base/api/v1/password-recovery/bench-other@example.com" "$work/post-anonymous.lua"
    run "POST /api/v1/password-recovery-html-content/{email}" "$c" "$base/api/v1/password-recovery-html-content/bench-other@example.com" "$work/post-auth.lua"
    run "POST /api/v1/utils/test-email/ (e-mail logged)" "$c" "$base/api/v1/utils/test-email/?email_to=bench-other@example.com" "$work/post-auth.lua"
done
# The fed routes, after the others so that their fixture rows do not change what those find.
# Each row gets what the route's previous row left unused, topped up to one per connection plus
# the run's duration at about twice the rate this machine reaches on the route (feed_count).
refresh_tokens() { repeat "$other_id" "$1" | mint sessions | cut -d' ' -f2; }
access_tokens() { repeat "$other_id" "$1" | mint sessions | cut -d' ' -f1; }
user_ids() { fixture_users "$1" "$2" | cut -d' ' -f1; }
user_access_tokens() { user_ids "$1" "$2" | mint sessions | cut -d' ' -f1; }
user_reset_tokens() { fixture_users "$1" "$2" | cut -d' ' -f2 | mint reset-tokens; }
item_ids() { sql "INSERT INTO item (title, description, owner_id)
    SELECT 'fed ' || k, 'to delete', '$superuser_id' FROM generate_series(1, $1) AS k RETURNING id"; }
feed() { # name count maker [maker arguments]: $work/<name>.1 ... for wrk's threads
    local name=$1 count=$2 maker=$3 have=0
    shift 3
    [ -f "$work/$name.left" ] && have=$(wc -l <"$work/$name.left")
    {
        if [ "$have" -gt 0 ]; then cat "$work/$name.left"; fi
        if [ "$count" -gt "$have" ]; then "$maker" $((count - have)) "$@"; fi
    } | split_fixtures "$work/$name"
}
feed_lua "$work/refresh.lua" "$work/refresh" POST /api/v1/login/refresh '{"refresh_token": "{1}"}' "" refresh_token
feed_lua "$work/logout.lua" "$work/logout" POST /api/v1/logout "" "Bearer {1}" ""
feed_lua "$work/logout-all.lua" "$work/logout-all" POST /api/v1/logout/all "" "Bearer {1}" ""
feed_lua "$work/delete-item.lua" "$work/delete-item" DELETE '/api/v1/items/{1}' "" "Bearer $token" ""
feed_lua "$work/delete-user.lua" "$work/delete-user" DELETE '/api/v1/users/{1}' "" "Bearer $token" ""
feed_lua "$work/delete-me.lua" "$work/delete-me" DELETE /api/v1/users/me "" "Bearer {1}" ""
feed_lua "$work/reset.lua" "$work/reset" POST /api/v1/reset-password/ '{"token": "{1}", "new_password": "bench-password-2"}' "" ""
feed_lua "$work/password.lua" "$work/password" PATCH /api/v1/users/me/password \
    '{"current_password": "bench-password", "new_password": "bench-password-2"}' "Bearer {1}" ""
for c in $other_connection_counts; do
    feed refresh $((2 * c)) refresh_tokens
    run "POST /api/v1/login/refresh (rotating: each answer feeds the next)" "$c" "$base/api/v1/login/refresh" "$work/refresh.lua"
    feed logout "$(feed_count "$c" 30000)" access_tokens
    run "POST /api/v1/logout (a session each)" "$c" "$base/api/v1/logout" "$work/logout.lua"
    feed logout-all "$(feed_count "$c" 12000)" user_access_tokens all
    run "POST /api/v1/logout/all (a user with one session each)" "$c" "$base/api/v1/logout/all" "$work/logout-all.lua"
    feed delete-item "$(feed_count "$c" 8000)" item_ids
    run "DELETE /api/v1/items/{id} (superuser, own items)" "$c" "$base/api/v1/items/" "$work/delete-item.lua"
    feed delete-user "$(feed_count "$c" 8000)" user_ids delete
    run "DELETE /api/v1/users/{user_id} (superuser)" "$c" "$base/api/v1/users/" "$work/delete-user.lua"
    feed delete-me "$(feed_count "$c" 8000)" user_access_tokens me
    run "DELETE /api/v1/users/me (a user each)" "$c" "$base/api/v1/users/me" "$work/delete-me.lua"
    feed reset "$(feed_count "$c" 30)" user_reset_tokens reset
    run_fresh "POST /api/v1/reset-password/ (argon2id, a user each)" "$c" /api/v1/reset-password/ "$work/reset.lua"
    feed password "$(feed_count "$c" 20)" user_access_tokens password
    run_fresh "PATCH /api/v1/users/me/password (argon2id verify and hash, a user each)" "$c" /api/v1/users/me/password "$work/password.lua"
done
# At 64 and 256 connections a password change waits behind the others' queued hashes (two each,
# one at a time within the hashing memory budget) for longer than a row lasts; at 8 the route's own cost shows.
feed password "$(feed_count 8 20)" user_access_tokens password
run_fresh "PATCH /api/v1/users/me/password (argon2id verify and hash, a user each)" 8 /api/v1/users/me/password "$work/password.lua"

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

# ---------------------------------------------------------------- the database's own limit
# Each database route against pgbench running exactly the statements the route issues (the
# cache-off server, so every request reaches PostgreSQL), -M prepared, the same connections.
# The statements come from PostgreSQL's own log, written while the cache-off server answers one
# request of the route (`log_min_duration_statement = 0` for that moment), turned into a pgbench
# script with the parameters the server bound (`scripts/pgbench-from-log.py`). So a change to the
# generated SQL or to what a route runs changes its limit row too; nothing here is a copy of it.
admin_sql() { bash scripts/services.sh admin-sql "$1" >/dev/null; }
pg_log=$(bash scripts/services.sh pg-log)
capture_sql() { # name path curl-arguments...
    local name=$1 url="$uncached/$2" offset pids
    shift 2
    admin_sql "ALTER SYSTEM SET log_min_duration_statement = 0"
    admin_sql "SELECT pg_reload_conf()"
    # A session takes the new setting between two messages: requests first, so that whichever
    # pooled session the measured one uses has it.
    # A failed request leaves nothing to capture, which the row then shows as `?`.
    for _ in $(seq 1 12); do curl -fs -o /dev/null "$@" "$url" || true; done
    sleep 0.5
    offset=$(stat -c %s "$pg_log")
    curl -fs -o /dev/null "$@" "$url" || true
    sleep 0.5
    pids=$(sql "SELECT string_agg(pid::text, '|') FROM pg_stat_activity WHERE application_name = 'bench-uncached'")
    admin_sql "ALTER SYSTEM RESET log_min_duration_statement"
    admin_sql "SELECT pg_reload_conf()"
    # Only that server's sessions, and not its pool's keep-alive `SELECT 1`.
    tail -c +"$((offset + 1))" "$pg_log" | grep -E "^\S+ \S+ \S+ \[($pids)\] " \
        | grep -v -E "execute [^:]*: SELECT 1$" \
        | python3 scripts/pgbench-from-log.py "$work/pg-$name.sql" "$work/pg-$name.vars" \
        || { echo "bench-server: could not capture the statements of $name" >&2; : >"$work/pg-$name.sql"; }
}
uncached="http://127.0.0.1:$uncached_port"
bearer=(-H "Authorization: Bearer $token")
capture_sql me api/v1/users/me "${bearer[@]}"
capture_sql item "api/v1/items/$item_id" "${bearer[@]}"
capture_sql list api/v1/items/ "${bearer[@]}"
capture_sql create api/v1/items/ "${bearer[@]}" -X POST -H "Content-Type: application/json" --data "$create_body"
# Requests per second of one wrk run, as a bare number.
rate() { # connections url script
    wrk -t"$threads" -c"$1" -d"${duration}s" --timeout 30s -s "$3" "$2" 2>&1 | awk '/Requests\/sec:/ { print $2 }'
}
# Transactions per second of pgbench running `file`.
pg_rate() { # file (and its .vars beside it)
    [ -s "$1" ] || return 0
    local variables=()
    while IFS= read -r line; do variables+=(-D "$line"); done <"${1%.sql}.vars"
    PGPASSWORD=app "$pgbench_bin" -h 127.0.0.1 -p "$pg_port" -U app -n -M prepared -c "$limit_connections" -j "$threads" \
        -T "$duration" "${variables[@]}" -f "$1" app 2>&1 | awk '/^tps = / { print $3; exit }'
}
# The route and pgbench alternated $limit_rounds times: pgbench alone moves by a quarter between
# runs here, so a single pair can put the ratio anywhere in that range. The ratio is of the
# medians; every run is listed.
limit_rounds=${BENCH_LIMIT_ROUNDS:-3}
limit_row() { # label url script sql
    local routes=() limits=()
    for _ in $(seq 1 "$limit_rounds"); do
        routes+=("$(rate "$limit_connections" "$2" "$3")")
        limits+=("$(pg_rate "$4")")
    done
    python3 -c 'import statistics, sys
label, routes, limits = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
r = statistics.median(float(x) for x in routes) if routes else 0.0
l = statistics.median(float(x) for x in limits) if limits else 0.0
ratio = f"{100 * r / l:.0f}%" if l else "?"
runs = lambda xs: " ".join(f"{float(x):,.0f}" for x in xs) or "?"
print(f"| {label} | {r:,.0f} ({runs(routes)}) | {l:,.0f} ({runs(limits)}) | {ratio} |")' "$1" "${routes[*]}" "${limits[*]}"
}
cat <<LIMIT

### Against the database's own limit

Each route that reads or writes PostgreSQL, served with the cache off (\`CACHE_TTL_SECONDS=0\`: the
current user and the item come from PostgreSQL on every request), against \`pgbench -M prepared\`
running exactly the statements the route issues, on the same cluster, $limit_connections connections
(\`-c $limit_connections -j $threads -T $duration\`), the two alternated $limit_rounds times. The ratio is the
median of the route's requests per second over the median of pgbench's transactions per second
(each run in brackets): how close the server comes to what PostgreSQL itself allows.

| route (cache off) | requests/s | pgbench tps (same SQL) | ratio |
| --- | --- | --- | --- |
LIMIT
limit_row "GET /api/v1/users/me: the user" "$uncached/api/v1/users/me" "$work/headers.lua" "$work/pg-me.sql"
limit_row "GET /api/v1/items/{id}: user, item" "$uncached/api/v1/items/$item_id" "$work/headers.lua" "$work/pg-item.sql"
limit_row "GET /api/v1/items/: user, page of 100, count" "$uncached/api/v1/items/" "$work/headers.lua" "$work/pg-list.sql"
limit_row "POST /api/v1/items/: insert guarded by the user, user" "$uncached/api/v1/items/" "$work/create.lua" "$work/pg-create.sql"
sql "DELETE FROM item WHERE title IN ('created by wrk', 'created by pgbench')" >/dev/null
echo
echo 'The statements pgbench ran, as PostgreSQL logged them for one request of each route (`:sNpM` is'
echo "the value the server bound to statement N's parameter M, passed with \`-D\`):"
for name in me item list create; do
    echo
    echo "$name:"
    echo
    echo '```sql'
    if [ -s "$work/pg-$name.sql" ]; then cat "$work/pg-$name.sql"; else echo "-- not captured"; fi
    echo '```'
done

cat <<METRICS

### Metrics

The health route served by the same build with \`METRICS_ENABLED=false\` (the main server) and
\`METRICS_ENABLED=true\` (request counter, duration histogram and error counters per operation
id on every request), alternated to spread the machine's drift over both; the goal is a ratio
within 5%.

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
METRICS
metrics_row() { # file label connections url [script]
    local file=$1 row
    shift
    row=$(run "$@")
    echo "$row"
    echo "$row" | awk -F'|' '{ gsub(/[ ,]/, "", $4); print $4 }' >>"$work/$file"
}
for _ in 1 2; do
    metrics_row rps.off "GET /api/v1/utils/health-check/: metrics off" 64 "$base/api/v1/utils/health-check/"
    metrics_row rps.on "GET /api/v1/utils/health-check/: metrics on" 64 "http://127.0.0.1:$metrics_port/api/v1/utils/health-check/"
done
run "GET /api/v1/items/{id} (bearer): metrics on" 64 "http://127.0.0.1:$metrics_port/api/v1/items/$item_id" "$work/headers.lua"
ratio=$(python3 - "$work/rps.off" "$work/rps.on" <<'PY'
import sys
def mean(path):
    values = [float(line) for line in open(path) if line.strip() and line.strip() != "?"]
    return sum(values) / len(values) if values else float("nan")
off, on = mean(sys.argv[1]), mean(sys.argv[2])
print(f"{on / off:.3f} ({on:,.0f} against {off:,.0f} requests/s)")
PY
)
families=$(curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk '!/^#/ { sub(/[{ ].*/, ""); sub(/_(bucket|sum|count)$/, ""); print }' | sort -u | paste -sd' ' -)
cat <<METRICS_SUMMARY

Health route with metrics on against off: $ratio. Families \`/metrics\` showed after these
rows: $(echo "$families" | sed 's/\([a-z_]*\)/`\1`/g').
METRICS_SUMMARY

cat <<BARE

### Against the bare handler

The health route (the server's whole middleware stack, the generated route and its JSON) and the
bare Hummingbird handler, alternated three times at 64 connections so that the machine's drift
falls on both; a single row of each (the table above) moves by a third between runs here. The
goal is a ratio of at least 90%.

| route | connections | requests/s | p50 | p99 | notes |
| --- | --- | --- | --- | --- | --- |
BARE
for _ in 1 2 3; do
    metrics_row rps.bare "bare Hummingbird: GET health-check" 64 "http://127.0.0.1:$baseline_port/api/v1/utils/health-check/"
    metrics_row rps.health "GET /api/v1/utils/health-check/" 64 "$base/api/v1/utils/health-check/"
done
bare_ratio=$(python3 - "$work/rps.bare" "$work/rps.health" <<'PY'
import statistics, sys
def median(path):
    values = [float(line) for line in open(path) if line.strip() and line.strip() != "?"]
    return statistics.median(values) if values else float("nan")
bare, health = median(sys.argv[1]), median(sys.argv[2])
print(f"{health / bare:.0%} (medians: {health:,.0f} against {bare:,.0f} requests/s)")
PY
)
cat <<BARE_SUMMARY

Health route against the bare handler: $bare_ratio.
BARE_SUMMARY

cat <<MEMORY

Memory after the runs above: the server's resident set $(rss $server_pid VmRSS) (peak during these rows $(peak_since_last $server_pid));
the bare handler's $(rss $baseline_pid VmRSS) (peak $(rss $baseline_pid VmHWM)).
MEMORY
