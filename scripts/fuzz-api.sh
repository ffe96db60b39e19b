#!/usr/bin/env bash
# `make fuzz-api`: schemathesis (pinned, from PyPI) against the example server's own
# /openapi.json, every check on, so the server is held to the contract it serves: no 5xx on odd
# input, every status, content type, header and body as documented.
#
# Private PostgreSQL and Redis (own folder and ports, as scripts/bench-server.sh), a clean
# database, a debug build of the server with rate limits out of the fuzzer's way, a superuser's
# bearer token; everything started here is stopped on exit. Three runs: every operation but the
# two logouts, then logout, then logoutAll, each with a session of its own (a logout would turn
# every later request into a 401). scripts/fuzz-api.toml and scripts/fuzz-api-hooks.py hold the
# rest of the settings, each with its reason. Exit status 0 only when no run found anything and
# the server logged no unhandled error.
#
# Environment (all optional):
#   FUZZ_API_EXAMPLES   test cases per operation and phase (100; `make test` uses 10)
#   FUZZ_API_SEED       schemathesis seed (random unless set; the run prints the one it used)
#   FUZZ_API_WORKERS    concurrent schemathesis workers (1)
#   FUZZ_API_ARGS       more `st run` arguments, e.g. `--report ndjson` or `--include-operation-id readItems`
#   FUZZ_API_PORT, FUZZ_API_PG_PORT, FUZZ_API_REDIS_PORT
#                       the server's, PostgreSQL's and Redis's ports (free ones unless set)
#   FUZZ_API_DIR        services, logs and reports (<repo>/.data/fuzz-api)
#   SWIFT_BUILD_FLAGS   extra `swift build` flags, e.g. `--scratch-path .build-mine`
#   SERVER_BIN          a server binary to use instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."

readonly VENV=.data/venv-schemathesis
# Every package pinned, schemathesis itself to 4.32.5: a new upload can change what is generated.
readonly REQUIREMENTS=scripts/fuzz-api-requirements.txt

examples=${FUZZ_API_EXAMPLES:-100}
# One worker: with several, Hypothesis's lambda descriptions (ast.parse on many threads) fail
# with "AST constructor recursion depth mismatch" on Python 3.11, an error of the tool's own.
workers=${FUZZ_API_WORKERS:-1}
# Free ports, so the run never meets a developer's `make run` or another run in progress.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=${FUZZ_API_PORT:-$(free_port)}
pg_port=${FUZZ_API_PG_PORT:-$(free_port)}
redis_port=${FUZZ_API_REDIS_PORT:-$(free_port)}
dir=${FUZZ_API_DIR:-$PWD/.data/fuzz-api}
read -r -a swift_flags <<<"${SWIFT_BUILD_FLAGS:-}"

die() { echo "fuzz-api: error: $*" >&2; exit 1; }
note() { echo "fuzz-api: $*" >&2; }
[[ "$examples" =~ ^[1-9][0-9]*$ ]] || die "FUZZ_API_EXAMPLES must be a positive number, got '$examples'"

# ------------------------------------------------------------------ schemathesis

install_schemathesis() {
    local stamp="$VENV/.requirements.sha256" want
    want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
    if [[ -x "$VENV/bin/st" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        python3 -m venv "$VENV" \
            || die "python3 -m venv failed; on Debian: apt-get install python3-venv (make deps installs it)"
    fi
    note "installing $(grep -i '^schemathesis==' "$REQUIREMENTS") into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" >&2 \
        || die "pip could not install $REQUIREMENTS"
    echo "$want" >"$stamp"
}
install_schemathesis
st="$PWD/$VENV/bin/st"
config="$PWD/scripts/fuzz-api.toml"

# ------------------------------------------------------------------------ server

if [[ -n "${SERVER_BIN:-}" ]]; then
    server_bin=$SERVER_BIN
else
    swift build "${swift_flags[@]}" --product server >&2
    server_bin="$(swift build "${swift_flags[@]}" --show-bin-path)/server"
fi
[[ -x "$server_bin" ]] || die "no server binary at $server_bin"

mkdir -p "$dir"
export SERVICES_DATA_DIR="$dir/services" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    bash scripts/services.sh stop postgres redis >&2 || true
}
trap cleanup EXIT
# A run that was killed may have left them running on other ports, which services.sh would reuse.
bash scripts/services.sh stop postgres redis >&2
bash scripts/services.sh start postgres redis >&2
eval "$(bash scripts/services.sh env | sed 's/^/export /')"

# A clean slate: findings must not depend on what an earlier run left behind.
PGPASSWORD=app psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U app app \
    -c 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null \
    || die "cannot empty the database on port $pg_port"
redis-cli -h 127.0.0.1 -p "$redis_port" flushall >/dev/null || die "cannot empty Redis on port $redis_port"

# The few HTTP calls of this script, through the venv's Python (no curl needed): `ready URL`
# succeeds when the server answers, `login BASE EMAIL PASSWORD` prints an access token, `user-id
# BASE TOKEN` the id of the token's user.
http() {
    "$VENV/bin/python" - "$@" <<'PY'
import json, sys, urllib.parse, urllib.request

def call(url, form=None, token=None):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode() if form else None)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())

try:
    command, base = sys.argv[1], sys.argv[2]
    if command == "ready":
        call(base + "/api/v1/utils/health-check/")
    elif command == "login":
        form = {"username": sys.argv[3], "password": sys.argv[4]}
        print(call(base + "/api/v1/login/access-token", form=form)["access_token"])
    elif command == "user-id":
        print(call(base + "/api/v1/users/me", token=sys.argv[3])["id"])
except (OSError, ValueError, KeyError) as error:
    sys.exit(f"{command}: {error}")
PY
}

export ENVIRONMENT=local SECRET_KEY=fuzz-api-secret-key-0123456789abcdef
export FIRST_SUPERUSER=admin@example.com FIRST_SUPERUSER_PASSWORD=fuzz-api-password
# Limits high enough that no fuzzer request is throttled (429 is tested in Tests/AppTests).
export RATE_LIMIT_LOGIN=100000 RATE_LIMIT_REQUESTS=100000000
# No mail leaves the machine, whatever the caller's environment or .env says.
unset SMTP_HOST
: >"$dir/empty.env"
"$server_bin" serve --port "$port" --env-file "$dir/empty.env" --log-level warning >"$dir/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
    http ready "$base" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$dir/server.log" >&2; die "the server exited (log above)"; }
    sleep 0.2
done
http ready "$base" || die "nothing answers on $base (log: $dir/server.log)"
login() { http login "$base" "$FIRST_SUPERUSER" "$FIRST_SUPERUSER_PASSWORD"; }

# ------------------------------------------------------------------- the runs

# No NUL characters in generated strings: PostgreSQL text cannot store them, so the server refuses
# them in stored fields with a 422 (Tests/AppTests cover it), which the fuzzer would count as a
# valid request rejected on every text field.
common=(--checks all --max-examples "$examples" --workers "$workers" --generation-database none
    --generation-allow-x00 false)
[[ -n "${FUZZ_API_SEED:-}" ]] && common+=(--seed "$FUZZ_API_SEED")
read -r -a extra_args <<<"${FUZZ_API_ARGS:-}"
# Run from $dir so nothing schemathesis or Hypothesis writes lands in the work tree.
fuzz() { # name, then st run arguments
    local name=$1
    shift
    (cd "$dir" && "$st" --no-color --config-file "$config" run "$base/openapi.json" "${common[@]}" \
        --report junit --report-junit-path "$dir/$name.junit.xml" "$@" "${extra_args[@]}")
}

# Every token now: the first run may change the superuser's e-mail address. Each is a session of
# its own, so ending one (logout) leaves the others working.
main_token=$(login) || die "cannot log in as $FIRST_SUPERUSER"
logout_token=$(login) || die "cannot log in as $FIRST_SUPERUSER"
logout_all_token=$(login) || die "cannot log in as $FIRST_SUPERUSER"
FUZZ_API_SUPERUSER_ID=$(http user-id "$base" "$main_token") || die "cannot read the superuser's id"
export FUZZ_API_SUPERUSER_ID SCHEMATHESIS_HOOKS="$PWD/scripts/fuzz-api-hooks.py"

status=0
# Everything but the logouts: ending the session would turn every later request into a 401.
note "run 1: every operation but logout and logoutAll, as the superuser, $examples examples each"
fuzz main -H "Authorization: Bearer $main_token" \
    --exclude-operation-id logout --exclude-operation-id logoutAll || status=$?
# Then each logout with a session of its own, logoutAll (which ends every session) last. The first
# request that succeeds ends the session; the rest check the 401s that follow.
note "run 2: logout, $examples examples"
fuzz logout -H "Authorization: Bearer $logout_token" --include-operation-id logout || status=$?
note "run 3: logoutAll, $examples examples"
fuzz logout-all -H "Authorization: Bearer $logout_all_token" --include-operation-id logoutAll || status=$?

# A 500 is a finding even where schemathesis did not flag it (say, in a request it sent as setup).
if grep -q 'unhandled error' "$dir/server.log"; then
    note "the server logged unhandled errors ($dir/server.log):"
    grep 'unhandled error' "$dir/server.log" | head -n 20 >&2
    status=1
fi
exit "$status"
