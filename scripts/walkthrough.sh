#!/usr/bin/env bash
# `make test-walkthrough` (and the end of `make test`): README's "Change the API" done for real, in
# a scratch copy of this checkout, as a new user would do it:
#
#   1. the spec gains a `priority` field on items and a `tags` resource (five operations, names
#      unique per owner), from the frozen fragments in Tests/Walkthrough/;
#   2. `specgen generate` (a new migration, repositories, mappings) and `specgen scaffold --tag tags`;
#   3. the only hand-written code: TagsService's method bodies (Tests/Walkthrough/TagsService.swift)
#      and the line that registers it, counted against the limit of 40 and printed;
#   4. the server builds; a database that the unchanged server already filled is migrated by the
#      new one; the field and the routes are checked over HTTP, then schemathesis runs over the
#      new operations.
#
# Nothing in this checkout changes. Environment (all optional):
#   WALKTHROUGH_DIR     the scratch copy, services and logs (<repo>/.data/walkthrough)
#   WALKTHROUGH_BUILD   the scratch copy's build folder, kept between runs (<repo>/.build-walkthrough)
#   SPECGEN_BIN, SERVER_BIN   this checkout's specgen and server (built when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${WALKTHROUGH_DIR:-$root/.data/walkthrough}
build=${WALKTHROUGH_BUILD:-$root/.build-walkthrough}
readonly LIMIT=40
die() { echo "walkthrough: error: $*" >&2; exit 1; }
note() { echo "walkthrough: $*" >&2; }
walk() { python3 "$root/scripts/walkthrough.py" "$@"; }

specgen=${SPECGEN_BIN:-}
if [[ -z "$specgen" ]]; then
    swift build --product specgen >&2
    specgen="$(swift build --show-bin-path)/specgen"
fi
old_server=${SERVER_BIN:-}
if [[ -z "$old_server" ]]; then
    swift build --product server >&2
    old_server="$(swift build --show-bin-path)/server"
fi

# The steps below run in the scratch copy: binaries named relative to this checkout must not break.
specgen=$(realpath "$specgen")
old_server=$(realpath "$old_server")

# ---------------------------------------------------------------- the scratch copy
repo="$dir/repo"
rm -rf "$repo"
mkdir -p "$repo"
# What git would check out, as the working tree has it (new files included, ignored ones not).
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
    [[ -e "$file" ]] && printf '%s\0' "$file"
done | xargs -0 cp -P --parents -t "$repo"
mkdir -p "$repo/.data"
# schemathesis's venv is this checkout's (fuzz-api.sh creates it when missing).
[[ -d "$root/.data/venv-schemathesis" ]] && ln -s "$root/.data/venv-schemathesis" "$repo/.data/venv-schemathesis"
cd "$repo"

note "1. the spec: priority on items, the tags resource"
walk edit-spec . "$root/Tests/Walkthrough"
migrations_before=$(ls Generated/SQL/migrations | wc -l)
note "2. specgen generate, specgen scaffold --tag tags"
"$specgen" generate --spec spec/openapi.yaml >&2
[[ $(ls Generated/SQL/migrations | wc -l) -eq $((migrations_before + 1)) ]] || die "generate wrote no new migration"
[[ -f Generated/Database/TagRepository.swift ]] || die "generate wrote no TagRepository"
"$specgen" scaffold --tag tags --dependencies AppDependencies --into Sources/App >&2
cp Sources/App/TagsService.swift "$dir/TagsService.scaffold.swift"
cp Sources/App/App.swift "$dir/App.before.swift"

note "3. the hand-written part"
cp "$root/Tests/Walkthrough/TagsService.swift" Sources/App/TagsService.swift
walk wire-app .
walk count "$dir/TagsService.scaffold.swift" Sources/App/TagsService.swift "$dir/App.before.swift" Sources/App/App.swift "$LIMIT"
"$specgen" generate --spec spec/openapi.yaml --check >&2

note "4. build (the scratch copy's own build folder, $build)"
swift build --product server --scratch-path "$build" >&2
new_server="$build/debug/server"

# ------------------------------------------------------- a database with rows, migrated
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export SERVICES_DATA_DIR="$dir/services" PGPORT_TEST=$(free_port) REDIS_PORT_TEST=$(free_port)
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_server
    (cd "$root" && bash scripts/services.sh stop postgres redis >&2) || true
}
trap cleanup EXIT
(cd "$root" && bash scripts/services.sh stop postgres redis >&2 && bash scripts/services.sh start postgres redis >&2)
eval "$(cd "$root" && bash scripts/services.sh env | sed 's/^/export /')"
PGPASSWORD=app psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT_TEST" -U app app \
    -c 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null \
    || die "cannot empty the database on port $PGPORT_TEST"
redis-cli -h 127.0.0.1 -p "$REDIS_PORT_TEST" flushall >/dev/null

export ENVIRONMENT=local SECRET_KEY=walkthrough-secret-key-0123456789abcdef
export FIRST_SUPERUSER=admin@example.com FIRST_SUPERUSER_PASSWORD=walkthrough-password
export RATE_LIMIT_LOGIN=100000 RATE_LIMIT_REQUESTS=100000000
unset SMTP_HOST
: >"$dir/empty.env"
port=$(free_port)
base="http://127.0.0.1:$port"
serve() { # binary, log; from the current folder's Generated/
    "$1" serve --port "$port" --env-file "$dir/empty.env" --log-level warning >"$2" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        python3 -c "import urllib.request; urllib.request.urlopen('$base/api/v1/utils/health-check/', timeout=2)" 2>/dev/null && return
        kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$2" >&2; die "the server exited (log above)"; }
        sleep 0.2
    done
    die "nothing answers on $base (log: $2)"
}

note "5. the unchanged server fills the database"
cd "$root"
serve "$old_server" "$dir/server-before.log"
item_id=$(walk seed "$base" "$FIRST_SUPERUSER" "$FIRST_SUPERUSER_PASSWORD")
stop_server
cd "$repo"
[[ -n "$item_id" ]] || die "no item was created before the change"
note "6. server migrate (the new migration on a table with rows)"
"$new_server" migrate --env-file "$dir/empty.env" >&2
note "7. the new server over HTTP"
serve "$new_server" "$dir/server.log"
walk check "$base" "$FIRST_SUPERUSER" "$FIRST_SUPERUSER_PASSWORD" "$item_id"
stop_server
grep -q 'unhandled error' "$dir/server.log" && die "the server logged an unhandled error ($dir/server.log)"

note "8. schemathesis over the tags operations"
FUZZ_API_EXAMPLES=${FUZZ_API_EXAMPLES:-10} FUZZ_API_SEED=${FUZZ_API_SEED:-1} FUZZ_API_ARGS="--include-tag tags" \
    FUZZ_API_DIR="$dir/fuzz-api" SERVER_BIN="$new_server" bash scripts/fuzz-api.sh
note "done: every step passed"
