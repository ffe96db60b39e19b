#!/usr/bin/env bash
# Writes scripts/server.text-order, the order scripts/release-build.sh links the server's functions
# in: the functions a profile of the server saw run while it answered requests, then those it ran
# only to start, each group sorted by name (so a new profile changes the file only where the code
# did; names sort by module, which keeps a module's functions together). Run it after changes
# that rename many functions; a stale order only leaves the renamed ones where the linker puts
# them. Takes a few minutes: the server runs under callgrind (valgrind).
#
# The profile: a release build (scripts/release-build.sh) on PostgreSQL and Redis of its own
# (ports 54349 and 63819, state in a temporary folder), started, then every route of the example
# API asked once or more, the main ones by wrk for 3 seconds each on 8 and on 256 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "text-order: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "text-order: wrk is missing (apt-get install wrk)" >&2; exit 1; }
scratch=.build/static-stdlib
pg_port=54349 redis_port=63819 port=8094
bash scripts/release-build.sh --scratch-path "$scratch" --product server >&2

work=$(mktemp -d)
# PostgreSQL's user must traverse it (services.sh otherwise keeps the cluster elsewhere in /tmp).
chmod 755 "$work"
export SERVICES_DATA_DIR="$work/services" PGPORT_TEST=$pg_port REDIS_PORT_TEST=$redis_port
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    bash scripts/services.sh stop postgres redis >&2 || true
    rm -rf "$work"
}
trap cleanup EXIT
bash scripts/services.sh start postgres redis >&2
eval "$(bash scripts/services.sh env | sed 's/^/export /')"
export ENVIRONMENT=local SECRET_KEY=text-order-secret-key-0123456789ab RATE_LIMIT_ENABLED=false
export FIRST_SUPERUSER=admin@example.com FIRST_SUPERUSER_PASSWORD=order-password

# valgrind cannot read the DWARF 5 the build writes; symbols are all the profile needs.
strip --strip-debug -o "$work/server" "$scratch/release/server"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.out" \
    "$work/server" serve --port $port --log-level error >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 1200); do curl -fs "$base/api/v1/utils/health-check/" >/dev/null && break; sleep 0.25; done
curl -fs "$base/api/v1/utils/health-check/" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
callgrind_control --dump=startup "$server_pid" >/dev/null

python3 - "$base" "$work" <<'PY'
import json, sys, urllib.request, urllib.error, subprocess
base, work = sys.argv[1], sys.argv[2]
def call(method, path, body=None, token=None, form=None):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode(); headers["Content-Type"] = "application/json"
    if form is not None:
        data = form.encode(); headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token: headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response: text = response.read()
    except urllib.error.HTTPError as error: text = error.read()
    try: return json.loads(text)
    except ValueError: return None
login = call("POST", "/api/v1/login/access-token", form="username=admin@example.com&password=order-password")
token = login["access_token"]
call("POST", "/api/v1/login/test-token", token=token)
call("GET", "/api/v1/users/me", token=token)
item = call("POST", "/api/v1/items/", {"title": "profiled", "description": "text order"}, token=token)
call("GET", "/api/v1/items/" + item["id"], token=token)
call("PUT", "/api/v1/items/" + item["id"], {"title": "profiled again"}, token=token)
call("GET", "/api/v1/items/?skip=0&limit=10", token=token)
user = call("POST", "/api/v1/users/", {"email": "profiled@example.com", "password": "order-password"}, token=token)
call("GET", "/api/v1/users/?limit=5", token=token)
call("GET", "/api/v1/users/" + user["id"], token=token)
call("PATCH", "/api/v1/users/" + user["id"], {"full_name": "Profiled"}, token=token)
call("POST", "/api/v1/users/signup", {"email": "signup@example.com", "password": "order-password"})
call("PATCH", "/api/v1/users/me", {"full_name": "Admin"}, token=token)
call("POST", "/api/v1/password-recovery/nobody@example.com")
call("POST", "/api/v1/login/refresh", {"refresh_token": login.get("refresh_token", "none")})
call("GET", "/api/v1/items/00000000-0000-0000-0000-000000000000", token=token)
call("GET", "/api/v1/items/not-a-uuid", token=token)
call("POST", "/api/v1/items/", {"description": 1}, token=token)
call("GET", "/api/v1/users/me")
call("GET", "/nowhere")
for path in ["/health/live", "/health/ready", "/openapi.json", "/docs", "/redoc"]: call("GET", path)
call("DELETE", "/api/v1/items/" + item["id"], token=token)
call("DELETE", "/api/v1/users/" + user["id"], token=token)
with open(work + "/headers.lua", "w") as f: f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
with open(work + "/create.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Authorization"] = "Bearer %s"\n' % token)
    f.write('wrk.headers["Content-Type"] = "application/json"\nwrk.body = \'{"title": "profiled by wrk"}\'\n')
with open(work + "/item", "w") as f:
    f.write(call("POST", "/api/v1/items/", {"title": "read by wrk"}, token=token)["id"])
PY
item=$(cat "$work/item")
# At 8 connections, then at 256: many connections take paths few do not (requests waiting at the
# gate and for a pooled connection, more sockets than one read serves), and the order should hold
# those too.
for connections in 8 256; do
    for target in "/api/v1/utils/health-check/" "/api/v1/users/me -s $work/headers.lua" \
        "/api/v1/items/$item -s $work/headers.lua" "/api/v1/items/ -s $work/headers.lua" "/api/v1/items/ -s $work/create.lua"; do
        read -r path script <<<"$target"
        # shellcheck disable=SC2086
        wrk -t1 -c$connections -d3s --timeout 60s $script "$base$path" >/dev/null
    done
done
callgrind_control --dump=requests "$server_pid" >/dev/null
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

# The dumps name functions by symbol; only the server binary's own go into the order.
python3 - "$work" >scripts/server.text-order <<'PY'
import glob, re, sys
work = sys.argv[1]
def executed(path):
    """Symbols of the server binary that ran (cost above zero) in one callgrind dump."""
    names, objects, ran = {}, {}, set()
    current_object = current = None
    skip_next = False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if skip_next:
            skip_next = False
            continue
        m = re.match(r"^(c?ob|c?fn|c?fi|c?fe|fl)=\((\d+)\)(?: (.*))?$", line)
        if m:
            kind, key, name = m.groups()
            table = objects if kind.endswith("ob") else names
            if name is not None and (kind.endswith("ob") or kind.endswith("fn")):
                table[key] = name
            if kind == "ob": current_object = objects.get(key)
            if kind == "fn": current = names.get(key)
            continue
        if line.startswith("calls="):
            skip_next = True  # the cost line after a call is the callee's, inclusive
            continue
        if current and current_object and current_object.endswith("/server") and re.match(r"^[0-9+*-]", line):
            fields = line.split()
            if len(fields) > 1 and int(fields[1]) > 0:
                ran.add(current)
    return ran
dumps = sorted(glob.glob(work + "/callgrind.out*"))
startup = set().union(*(executed(p) for p in dumps if "startup" in open(p).read(4096)))
requests = set().union(*(executed(p) for p in dumps if "requests" in open(p).read(4096)))
print("\n".join(sorted(requests) + sorted(startup - requests)))
PY
# The build does not track the order file: the next one links anew only when its binaries are gone.
rm -f "$scratch/release/server" "$scratch/release/bench-baseline" "$scratch/release/bench-fixtures"
echo "text-order: $(wc -l <scripts/server.text-order) functions in scripts/server.text-order" >&2
