#!/usr/bin/env bash
# Local PostgreSQL and Redis for `make test`, `make run` and CI.
#
#   scripts/services.sh start  [postgres] [redis]   start (idempotent) and wait until they answer
#   scripts/services.sh stop   [postgres] [redis]   stop what this script started
#   scripts/services.sh status [postgres] [redis]   report; exit 0 only when all asked for are up
#   scripts/services.sh env                         print DATABASE_URL=... and REDIS_URL=... lines
#   scripts/services.sh admin-sql SQL               run SQL as PostgreSQL's superuser in the app's database
#   scripts/services.sh pg-log                      print the path of PostgreSQL's log
#   scripts/services.sh preflight [postgres] [redis] fail at once when a port is taken by a server
#                                                   this script did not start (before a long build)
#
# No service name means both. State lives in <repo>/.data (git-ignored): the
# cluster in .data/postgres/cluster, its Unix socket in .data/postgres/socket,
# Redis in .data/redis. Both listen on 127.0.0.1 only, on non-default ports so
# they never collide with a system-wide server.
#
# Environment (all optional):
#   PGPORT_TEST        PostgreSQL port (54329)
#   REDIS_PORT_TEST    Redis port (63799)
#   SERVICES_DATA_DIR  where state lives (<repo>/.data)
#   SERVICES_TIMEOUT   seconds to wait for a service to answer (30)
#   PG_BIN             PostgreSQL bin folder (highest /usr/lib/postgresql/*/bin)
#
# Running as root (CI, containers): PostgreSQL refuses to run as root, so
# initdb, pg_ctl and psql run as the `postgres` system user through runuser,
# and the cluster folder is chowned to it. That user must be able to traverse
# every parent of the data folder; when it cannot (a clone under /root, which
# is mode 700) or when the socket path would exceed the kernel's limit, the
# cluster lives in /tmp/specgen-postgres-<hash of the repo path> instead and
# .data/postgres is a symlink to it. The script never installs packages: the
# Makefile does (apt-get install postgresql redis-server).
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd -P)"
readonly DATA_DIR="${SERVICES_DATA_DIR:-$REPO_DIR/.data}"
readonly PG_PORT="${PGPORT_TEST:-54329}"
readonly REDIS_PORT="${REDIS_PORT_TEST:-63799}"
readonly TIMEOUT="${SERVICES_TIMEOUT:-30}"

# .data/postgres, or a symlink to the /tmp fallback. Everything handed to
# PostgreSQL uses the physical folder (PG_HOME, set by resolve_pg_home) so the
# postgres user never has to follow a path through an untraversable parent.
readonly PG_ROOT="$DATA_DIR/postgres"
PG_HOME="" PG_CLUSTER="" PG_SOCKET_DIR="" PG_LOG=""
readonly REDIS_DIR="$DATA_DIR/redis"
readonly REDIS_PIDFILE="$REDIS_DIR/redis.pid"
readonly REDIS_LOG="$REDIS_DIR/redis.log"

# The application's role, database and password (local development only).
readonly APP_USER="app" APP_PASSWORD="app" APP_DATABASE="app"

die() { echo "services.sh: error: $*" >&2; exit 1; }
note() { echo "services.sh: $*" >&2; }

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "PGPORT_TEST must be a port number, got '$PG_PORT'"
[[ "$REDIS_PORT" =~ ^[0-9]+$ ]] || die "REDIS_PORT_TEST must be a port number, got '$REDIS_PORT'"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "SERVICES_TIMEOUT must be a number of seconds, got '$TIMEOUT'"

# ---------------------------------------------------------------- PostgreSQL

as_root() { [[ "$(id -u)" -eq 0 ]]; }

# Runs a PostgreSQL binary as the user that owns the cluster: `postgres` when we
# are root, ourselves otherwise. `cd /` first because the caller's folder may be
# unreadable to that user, and initdb and psql complain about it.
run_pg() {
    if as_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

pg_bin_dir() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/pg_ctl" ]] || die "PG_BIN=$PG_BIN has no pg_ctl"
        echo "$PG_BIN"
        return
    fi
    local best="" version
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/pg_ctl" ]] || continue
        version="$(basename "$(dirname "$dir")")"
        if [[ -z "$best" ]] || [[ "$version" =~ ^[0-9]+$ && "$version" -gt "$(basename "$(dirname "$best")")" ]]; then
            best="$dir"
        fi
    done
    [[ -n "$best" ]] || die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    echo "$best"
}

# True when the cluster owner can reach (search) $1 and every folder above it.
owner_can_traverse() {
    local path="$1"
    as_root || return 0
    while [[ "$path" != "/" && -n "$path" ]]; do
        if [[ -e "$path" ]] && ! runuser -u postgres -- test -x "$path" 2>/dev/null; then
            return 1
        fi
        path="$(dirname "$path")"
    done
}

give_to_owner() { if as_root; then chown "$@"; fi; }

resolve_pg_home() {
    PG_HOME="$(readlink -f "$PG_ROOT" 2>/dev/null || echo "$PG_ROOT")"
    PG_CLUSTER="$PG_HOME/cluster"
    PG_SOCKET_DIR="$PG_HOME/socket"
    PG_LOG="$PG_HOME/postgres.log"
}

# Decides where the cluster physically lives (once, on the first start) and
# makes sure its owner can reach it.
prepare_pg_root() {
    if as_root && ! id postgres >/dev/null 2>&1; then
        die "running as root but there is no 'postgres' system user to run PostgreSQL as (apt-get install postgresql creates it)"
    fi
    mkdir -p "$DATA_DIR"
    if [[ -L "$PG_ROOT" ]]; then
        # The fallback chosen on an earlier run; a reboot may have emptied /tmp.
        local target
        target="$(readlink "$PG_ROOT")"
        mkdir -p "$target"
        chmod 700 "$target"
        give_to_owner postgres: "$target"
        resolve_pg_home
        return
    fi
    if [[ -d "$PG_ROOT" ]]; then
        owner_can_traverse "$PG_ROOT" \
            || die "the postgres user cannot traverse $PG_ROOT or a folder above it; make them traversable (chmod o+x) or remove $PG_ROOT so the next start keeps the cluster under /tmp"
        give_to_owner -R postgres: "$PG_ROOT"
        resolve_pg_home
        return
    fi
    # The socket path must fit sockaddr_un.sun_path (108 bytes with the NUL).
    local socket_path="$PG_ROOT/socket/.s.PGSQL.$PG_PORT"
    local reason=""
    if ! owner_can_traverse "$DATA_DIR"; then
        reason="the postgres user cannot traverse $DATA_DIR or a folder above it"
    elif (( ${#socket_path} > 100 )); then
        reason="the socket path $socket_path is too long for a Unix socket"
    fi
    if [[ -z "$reason" ]]; then
        mkdir -p "$PG_ROOT"
        chmod 700 "$PG_ROOT"
        give_to_owner postgres: "$PG_ROOT"
        resolve_pg_home
        return
    fi
    local hash target
    hash="$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
    target="/tmp/specgen-postgres-$hash"
    note "$reason; keeping the cluster in $target (symlinked from $PG_ROOT)"
    if [[ -e "$target" ]]; then
        local owner
        owner="$(stat -c %U "$target")"
        if ! [[ -O "$target" ]] && ! { as_root && [[ "$owner" == postgres ]]; }; then
            die "$target exists and belongs to $owner; remove it or set SERVICES_DATA_DIR"
        fi
    fi
    mkdir -p "$target"
    chmod 700 "$target"
    give_to_owner postgres: "$target"
    ln -s "$target" "$PG_ROOT"
    resolve_pg_home
}

pg_running() {
    [[ -f "$PG_CLUSTER/PG_VERSION" ]] || return 1
    run_pg "$(pg_bin_dir)/pg_ctl" status -D "$PG_CLUSTER" >/dev/null 2>&1
}

# Doubles single quotes for a postgresql.conf string value.
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

start_postgres() {
    local bin
    bin="$(pg_bin_dir)"
    prepare_pg_root
    if pg_running; then
        note "postgres already running on 127.0.0.1:$PG_PORT"
        ensure_app_database "$bin"
        return
    fi
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; then
        die "port $PG_PORT already has a PostgreSQL server that this script did not start (its cluster is not $PG_CLUSTER); stop it or set PGPORT_TEST"
    fi
    if [[ ! -f "$PG_CLUSTER/PG_VERSION" ]]; then
        note "initialising a PostgreSQL cluster in $PG_CLUSTER"
        # Local socket: trust (only this machine's users reach a 0700 folder).
        # TCP on loopback: password (scram), as the application connects.
        run_pg "$bin/initdb" -D "$PG_CLUSTER" -U postgres -E UTF8 --no-locale \
            --auth-local=trust --auth-host=scram-sha-256 >"$PG_HOME/initdb.log" 2>&1 \
            || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed (log above, also in $PG_HOME/initdb.log)"; }
        echo "include_if_exists = 'services.conf'" | run_pg tee -a "$PG_CLUSTER/postgresql.conf" >/dev/null
    fi
    run_pg mkdir -p "$PG_SOCKET_DIR"
    # Rewritten on every start so a changed port or moved folder takes effect.
    {
        echo "# Written by scripts/services.sh on every start; edits are lost."
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $PG_PORT"
        echo "unix_socket_directories = $(conf_quote "$PG_SOCKET_DIR")"
        # Test processes run in parallel, each with pools of its own: a full `swift test` has
        # about a hundred test apps at once, four connections each (200 ran out).
        echo "max_connections = 500"
        # A throwaway development cluster: losing the last few commits in a
        # crash is fine, waiting for the disk on every test commit is not.
        echo "synchronous_commit = off"
        echo "logging_collector = off"
    } | run_pg tee "$PG_CLUSTER/services.conf" >/dev/null
    note "starting postgres on 127.0.0.1:$PG_PORT"
    if ! run_pg "$bin/pg_ctl" -D "$PG_CLUSTER" -l "$PG_LOG" -w -t "$TIMEOUT" start >/dev/null 9>&-; then
        tail -n 30 "$PG_LOG" >&2 || true
        die "postgres did not start within ${TIMEOUT}s (log above, also in $PG_LOG)"
    fi
    wait_for "postgres" "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 1
    ensure_app_database "$bin"
}

# Creates the application's role and database when missing; safe to repeat.
ensure_app_database() {
    local bin="$1"
    run_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
SET password_encryption = 'scram-sha-256';
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
        CREATE ROLE "$APP_USER" LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE "$APP_DATABASE" OWNER "$APP_USER"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$APP_DATABASE')
\gexec
SQL
}

stop_postgres() {
    resolve_pg_home
    if ! pg_running; then
        note "postgres not running"
        return
    fi
    note "stopping postgres"
    run_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_CLUSTER" -m fast -w -t "$TIMEOUT" stop >/dev/null \
        || die "postgres did not stop within ${TIMEOUT}s (see $PG_LOG)"
}

status_postgres() {
    resolve_pg_home
    if pg_running; then
        echo "postgres: running on 127.0.0.1:$PG_PORT (cluster $PG_CLUSTER)"
    else
        echo "postgres: stopped"
        return 1
    fi
}

# --------------------------------------------------------------------- Redis

redis_pid() {
    [[ -f "$REDIS_PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$REDIS_PIDFILE" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    # A stale pid file may name an unrelated process that reused the number.
    grep -q redis "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; }

start_redis() {
    command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
    mkdir -p "$REDIS_DIR"
    if redis_pid >/dev/null; then
        note "redis already running on 127.0.0.1:$REDIS_PORT"
        wait_for "redis" redis_answers
        return
    fi
    if redis_answers; then
        die "port $REDIS_PORT already has a Redis server that this script did not start; stop it or set REDIS_PORT_TEST"
    fi
    rm -f "$REDIS_PIDFILE"
    # The port it listens on, for `stop`: whatever REDIS_PORT_TEST says then.
    echo "$REDIS_PORT" >"$REDIS_DIR/redis.port"
    note "starting redis on 127.0.0.1:$REDIS_PORT"
    # A cache, not a store: no snapshots, no append-only file.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" \
        --save '' --appendonly no 9>&- \
        || { tail -n 30 "$REDIS_LOG" >&2 || true; die "redis-server failed to start (see $REDIS_LOG)"; }
    wait_for "redis" redis_answers
}

# A port something else listens on (not our own server) makes `start` fail; say so before a build.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

preflight_postgres() {
    resolve_pg_home
    if ! pg_running && port_taken "$PG_PORT"; then
        die "port $PG_PORT is taken by a server this checkout did not start; stop it or set PGPORT_TEST"
    fi
}

preflight_redis() {
    if ! redis_pid >/dev/null && port_taken "$REDIS_PORT"; then
        die "port $REDIS_PORT is taken by a server this checkout did not start; stop it or set REDIS_PORT_TEST"
    fi
}

stop_redis() {
    local pid
    if ! pid="$(redis_pid)"; then
        note "redis not running"
        rm -f "$REDIS_PIDFILE"
        return
    fi
    note "stopping redis"
    # Only our own server, never whatever answers on REDIS_PORT_TEST now: the port it was started
    # on (redis.port) is asked for its process id, and SHUTDOWN goes there only when that is
    # the pid file's. SHUTDOWN rather than a signal: a Redis started by a process that blocks
    # SIGTERM (a test runner, say) inherits the mask and never sees the signal.
    local port answered
    port="$(cat "$REDIS_DIR/redis.port" 2>/dev/null || echo "$REDIS_PORT")"
    answered="$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')"
    if [[ "$answered" == "$pid" ]]; then
        redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    else
        kill -TERM "$pid" 2>/dev/null || true
    fi
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited++ >= TIMEOUT * 10 )); then
            note "redis (pid $pid) did not stop within ${TIMEOUT}s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            # Gone, not just signalled: a start right after must find the port free.
            local gone=0
            while kill -0 "$pid" 2>/dev/null && (( gone++ < 50 )); do sleep 0.1; done
            break
        fi
        sleep 0.1
    done
    rm -f "$REDIS_PIDFILE"
}

status_redis() {
    if redis_pid >/dev/null && redis_answers; then
        echo "redis: running on 127.0.0.1:$REDIS_PORT (dir $REDIS_DIR)"
    else
        echo "redis: stopped"
        return 1
    fi
}

# -------------------------------------------------------------------- common

# Retries a check command every 0.2 s until it succeeds or TIMEOUT passes.
wait_for() {
    local name="$1"
    shift
    local deadline=$((SECONDS + TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if (( SECONDS >= deadline )); then
            die "$name did not answer within ${TIMEOUT}s"
        fi
        sleep 0.2
    done
}

# Serialises concurrent invocations (parallel test processes each starting the
# services) so two never initdb or start the same server at once. The servers
# are started with fd 9 closed (`9>&-`): a daemon inheriting it would hold the
# lock for its whole life.
take_lock() {
    mkdir -p "$DATA_DIR"
    exec 9>"$DATA_DIR/.services.lock"
    flock -w $((TIMEOUT * 2)) 9 || die "another services.sh has held $DATA_DIR/.services.lock for too long"
}

services_from_args() {
    local -a chosen=()
    local name
    for name in "$@"; do
        case "$name" in
            postgres | postgresql | pg) chosen+=(postgres) ;;
            redis) chosen+=(redis) ;;
            *) die "unknown service '$name' (expected postgres or redis)" ;;
        esac
    done
    (( ${#chosen[@]} > 0 )) || chosen=(postgres redis)
    echo "${chosen[@]}"
}

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

main() {
    local command="${1:-}"
    [[ -n "$command" ]] || usage
    shift
    local services service
    case "$command" in
        start | stop)
            services="$(services_from_args "$@")"
            take_lock
            for service in $services; do "${command}_${service}"; done
            ;;
        status)
            services="$(services_from_args "$@")"
            local failed=0
            for service in $services; do "status_${service}" || failed=1; done
            return "$failed"
            ;;
        preflight)
            services="$(services_from_args "$@")"
            for service in $services; do "preflight_${service}"; done
            ;;
        env)
            echo "DATABASE_URL=postgresql://$APP_USER:$APP_PASSWORD@127.0.0.1:$PG_PORT/$APP_DATABASE"
            echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
            ;;
        admin-sql)
            # The app's role is no superuser; the benchmark turns statement logging on with this.
            [[ $# -eq 1 ]] || usage
            resolve_pg_home
            run_pg "$(pg_bin_dir)/psql" -X -qtA -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres \
                -d "$APP_DATABASE" -c "$1"
            ;;
        pg-log)
            resolve_pg_home
            echo "$PG_LOG"
            ;;
        -h | --help | help) usage ;;
        *) note "unknown command '$command'"; usage ;;
    esac
}

main "$@"
