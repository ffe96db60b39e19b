#!/usr/bin/env bash
# specgen's generator against swift-openapi-generator 1.14, side by side in one run:
#   1. generation time and peak memory: `specgen generate` (Swift, TypeScript, SQL, bundled JSON)
#      against `swift-openapi-generator generate --mode types --mode server`, same document;
#   2. compile time and peak memory of the Swift each one generates, in two scratch packages
#      (specgen's against this repository's ServerRuntime, swift-openapi-generator's against
#      OpenAPIRuntime and HTTPTypes), debug configuration, only the generated target timed.
# Prints a Markdown section to standard output; logs go to standard error.
# Everything is built outside the repository, in $BENCH_DIR (default /tmp/specgen-bench), except
# .build/release/specgen (set SPECGEN_BIN to use a binary that is already built).
#
# Knobs: BENCH_RUNS (generation runs per document, median; default 3), BENCH_COMPILE_RUNS
# (compile runs for documents under 1 MB, median; default 3), BENCH_COMPILE_RUNS_LARGE (for
# box and stripe; default 1), BENCH_COMPILE_TIMEOUT (seconds per compile; default 900),
# BENCH_COMPILE_LARGE=0 skips compiling stripe's output, CORPUS (default ../shared/corpus).
set -euo pipefail

script_start=$(date +%s)
repo=$(cd "$(dirname "$0")/.." && pwd -P)
corpus=${CORPUS:-$(cd "$repo/.." && pwd -P)/shared/corpus}
bench_dir=${BENCH_DIR:-/tmp/specgen-bench}
runs=${BENCH_RUNS:-3}
compile_runs=${BENCH_COMPILE_RUNS:-3}
compile_runs_large=${BENCH_COMPILE_RUNS_LARGE:-1}
compile_timeout=${BENCH_COMPILE_TIMEOUT:-900}
compile_large=${BENCH_COMPILE_LARGE:-1}
sog_range_low=1.14.0
sog_range_high=1.15.0
runtime_version=1.13.4
large_doc=stripe-spec3.yaml
docs=(cloud-hypervisor.yaml box.json "$large_doc")

log() { printf '[bench-generator %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd -P)
case "$bench_dir/" in
    "$repo"/*) die "BENCH_DIR ($bench_dir) must be outside the repository ($repo)" ;;
esac
for d in "${docs[@]}"; do [ -f "$corpus/$d" ] || die "missing corpus document $corpus/$d"; done

# Logs and time files, never inside a scratch package: a file appearing in a package's folder makes
# SwiftPM plan the build again.
logs=$bench_dir/logs
rm -rf "$logs"
mkdir -p "$logs"

# --- helpers -------------------------------------------------------------------------------

# measure TIMEFILE LOGFILE CMD...: runs CMD under GNU time; TIMEFILE gets "wall user sys maxrss_kib".
# Returns CMD's exit status.
measure() {
    local timefile=$1 logfile=$2
    shift 2
    local rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$timefile.raw" "$@" >"$logfile" 2>&1 || rc=$?
    tail -n 1 "$timefile.raw" >"$timefile"
    rm -f "$timefile.raw"
    return "$rc"
}

# median of the numbers on standard input (mean of the two middle ones for an even count)
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
max() { sort -g | tail -n 1; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
# first line that says what went wrong: an error line if there is one, else the last line
first_error() {
    local line
    line=$(grep -m 1 -o -i -E '(fatal )?error: .*' "$1" | head -n 1 || true)
    [ -n "$line" ] || line=$(grep -m 1 -i -E '(^|[^a-z])(error|fatal)' "$1" || true)
    [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$1" | tail -n 1 || true)
    printf '%s' "${line:0:200}" | tr '|' '/' | tr -d '`'
}
# writes FILE only when its content changes, so a warm scratch package is not re-planned for nothing
write_if_changed() {
    local file=$1 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; else mv "$tmp" "$file"; fi
}

# --- 1. the tools --------------------------------------------------------------------------

sog_pkg=$bench_dir/sog-tool
mkdir -p "$sog_pkg/Sources/Placeholder"
write_if_changed "$sog_pkg/Package.swift" <<EOF
// swift-tools-version:6.0
// Only here to build swift-openapi-generator's command-line tool.
import PackageDescription

let package = Package(
    name: "sog-tool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", "$sog_range_low"..<"$sog_range_high")
    ],
    targets: [.target(name: "Placeholder")]
)
EOF
write_if_changed "$sog_pkg/Sources/Placeholder/Placeholder.swift" <<<'// Nothing: the package exists for its dependency.'
log "building swift-openapi-generator (release) in $sog_pkg"
swift build -c release --package-path "$sog_pkg" --product swift-openapi-generator >"$bench_dir/sog-tool-build.log" 2>&1 ||
    { tail -n 20 "$bench_dir/sog-tool-build.log" >&2; die "building swift-openapi-generator failed"; }
sog_bin=$(swift build -c release --package-path "$sog_pkg" --show-bin-path)/swift-openapi-generator
sog_version=$(awk '/"identity" : "swift-openapi-generator"/ { f = 1 } f && /"version"/ { gsub(/[",]/, "", $3); print $3; exit }' "$sog_pkg/Package.resolved")

if [ -n "${SPECGEN_BIN:-}" ]; then
    specgen_bin=$SPECGEN_BIN
else
    log "building specgen (release) in $repo"
    (cd "$repo" && swift build -c release --product specgen) >"$bench_dir/specgen-build.log" 2>&1 ||
        { tail -n 20 "$bench_dir/specgen-build.log" >&2; die "building specgen failed"; }
    specgen_bin=$repo/.build/release/specgen
fi
[ -x "$specgen_bin" ] || die "no specgen binary at $specgen_bin"
specgen_version=$("$specgen_bin" --version 2>/dev/null || echo unknown)

# --- 2. generation -------------------------------------------------------------------------

gen_dir=$bench_dir/generate
rm -rf "$gen_dir"
mkdir -p "$gen_dir"
declare -A sg_gen_time sg_gen_mem sog_gen_time sog_gen_mem sog_gen_error sg_gen_error sg_out sog_out
for doc in "${docs[@]}"; do
    sg_times=() sog_times=() sg_mems=() sog_mems=()
    for ((i = 1; i <= runs; i++)); do
        # Alternating, each run into a fresh, empty folder: every file is written every time.
        out=$gen_dir/specgen-$doc-$i
        log "generate $doc run $i/$runs: specgen"
        if measure "$out.time" "$out.log" "$specgen_bin" generate --spec "$corpus/$doc" --out "$out"; then
            read -r w _ _ m <"$out.time"
            sg_times+=("$w") sg_mems+=("$m")
            sg_out[$doc]=$out
        else
            sg_gen_error[$doc]=$(first_error "$out.log")
            log "specgen failed on $doc: ${sg_gen_error[$doc]}"
        fi
        out=$gen_dir/sog-$doc-$i
        mkdir -p "$out"
        log "generate $doc run $i/$runs: swift-openapi-generator"
        if measure "$out.time" "$out.log" "$sog_bin" generate --mode types --mode server \
            --output-directory "$out" "$corpus/$doc"; then
            read -r w _ _ m <"$out.time"
            sog_times+=("$w") sog_mems+=("$m")
            sog_out[$doc]=$out
        else
            sog_gen_error[$doc]=$(first_error "$out.log")
            log "swift-openapi-generator failed on $doc: ${sog_gen_error[$doc]}"
            break # it fails the same way every time: do not spend the other runs
        fi
    done
    if [ -z "${sg_gen_error[$doc]:-}" ]; then
        sg_gen_time[$doc]=$(printf '%s\n' "${sg_times[@]}" | median)
        sg_gen_mem[$doc]=$(printf '%s\n' "${sg_mems[@]}" | max)
    fi
    if [ -z "${sog_gen_error[$doc]:-}" ]; then
        sog_gen_time[$doc]=$(printf '%s\n' "${sog_times[@]}" | median)
        sog_gen_mem[$doc]=$(printf '%s\n' "${sog_mems[@]}" | max)
    fi
done

# --- 2b. specgen diff against lint ---------------------------------------------------------
# `specgen diff` of the large document against a copy with a few edits (three maxLength bounds
# lowered, one summary reworded) must take at most 2.5 times one `specgen lint` of it: two loads
# (run side by side) and the comparison.

diff_dir=$bench_dir/diff
mkdir -p "$diff_dir"
edited=$diff_dir/edited-$large_doc
sed -e '0,/maxLength: 5000/s//maxLength: 4000/' "$corpus/$large_doc" |
    sed -e '0,/maxLength: 5000/s//maxLength: 4000/' | sed -e '0,/maxLength: 5000/s//maxLength: 4000/' |
    sed -e '0,/summary: /s//summary: Edited: /' >"$edited"
# Wall time in milliseconds from the clock (`/usr/bin/time` rounds to 10 ms, a sixth of a lint).
wall_ms() {
    local logfile=$1
    shift
    local start end
    start=$(date +%s%N)
    "$@" >"$logfile" 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}
diff_runs=$((runs > 5 ? runs : 5))
lint_times=() diff_times=()
for ((i = 1; i <= diff_runs; i++)); do
    log "lint and diff $large_doc run $i/$diff_runs"
    lint_times+=("$(wall_ms "$diff_dir/lint-$i.log" "$specgen_bin" lint --spec "$corpus/$large_doc")")
    # Exit status 1: the edits break the server (lowered bounds in responses), as they should.
    diff_times+=("$(wall_ms "$diff_dir/diff-$i.log" "$specgen_bin" diff "$corpus/$large_doc" "$edited")")
done
# Microseconds to seconds.
lint_time=$(printf '%s\n' "${lint_times[@]}" | median | awk '{ printf "%.4f", $1 / 1000000 }')
diff_time=$(printf '%s\n' "${diff_times[@]}" | median | awk '{ printf "%.4f", $1 / 1000000 }')
diff_changes=$(tail -n 1 "$diff_dir/diff-1.log")

# --- 3. compiling the generated Swift ------------------------------------------------------

sg_cpkg=$bench_dir/compile-specgen
sog_cpkg=$bench_dir/compile-sog
mkdir -p "$sg_cpkg/Sources/BenchAPI" "$sog_cpkg/Sources/BenchAPI"
repo_identity=$(basename "$repo" | tr '[:upper:]' '[:lower:]')
write_if_changed "$sg_cpkg/Package.swift" <<EOF
// swift-tools-version:6.0
// specgen's generated Swift (the Swift/ folder) against this repository's ServerRuntime.
import PackageDescription

let package = Package(
    name: "compile-specgen",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "$repo")],
    targets: [
        .target(name: "BenchAPI", dependencies: [.product(name: "ServerRuntime", package: "$repo_identity")])
    ]
)
EOF
write_if_changed "$sog_cpkg/Package.swift" <<EOF
// swift-tools-version:6.0
// swift-openapi-generator's generated Swift (types and server) against its runtime.
import PackageDescription

let package = Package(
    name: "compile-sog",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "$runtime_version"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "BenchAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        )
    ]
)
EOF
# The same dependency versions as the repository's own build.
[ -f "$sg_cpkg/Package.resolved" ] || [ ! -f "$repo/Package.resolved" ] || cp "$repo/Package.resolved" "$sg_cpkg/Package.resolved"

# spm_build PKG TIMEFILE LOGFILE TIMEOUT ARGS...: `swift build ARGS` (debug) in PKG's folder, timed.
# Every build of a scratch package goes through here, timed or not, so that SwiftPM sees the same
# working directory and environment each time: it plans the build again when either changes (even
# SHLVL, or `_`, which the shell sets to the program it starts). SIGINT is what makes SwiftPM stop
# its compiler processes when the time is up.
spm_build() {
    local pkg=$1 timefile=$2 logfile=$3 limit=$4
    shift 4
    (cd "$pkg" && measure "$timefile" "$logfile" timeout -s INT --kill-after=60 "$limit" \
        env _=swift SHLVL=1 swift build "$@")
}

# warm_deps PKG TARGET...: builds the dependencies (debug), so that the timed build compiles only BenchAPI
warm_deps() {
    local pkg=$1 t base
    shift
    base=$logs/$(basename "$pkg")-deps
    for t in "$@"; do
        spm_build "$pkg" "$base.time" "$base.last.log" 3600 --target "$t" ||
            { tail -n 20 "$base.last.log" >&2; die "building $t in $pkg failed"; }
        cat "$base.last.log" >>"$base.log"
    done
}

# compile_once PKG TIMEFILE LOGFILE: BenchAPI from clean (its objects, dependency records and module
# removed: every file is compiled again, while the build plan stays valid); returns 0, 1 (failed),
# 2 (timed out), 3 (it also compiled another module: not comparable) or 4 (it also planned the build
# again, as SwiftPM does when a package's files change meanwhile: a few seconds more)
compile_once() {
    local pkg=$1 timefile=$2 logfile=$3 bin rc=0
    bin=$pkg/.build/debug
    if [ -d "$bin/BenchAPI.build" ]; then
        find "$bin/BenchAPI.build" -type f \( -name '*.o' -o -name '*.swiftdeps' -o -name '*.d' -o -name '*.dia' \
            -o -name '*.priors' -o -name '*.swiftmodule' -o -name '*.swiftdoc' -o -name '*.swiftsourceinfo' \
            -o -name '*.h' \) -delete
    fi
    rm -f "$bin"/Modules/BenchAPI.*
    spm_build "$pkg" "$timefile" "$logfile" "$compile_timeout" --target BenchAPI || rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then return 2; fi # timeout's codes for "timed out"
    [ "$rc" = 0 ] || return 1
    if grep -E '\] Compiling ' "$logfile" | grep -v -q -E '\] Compiling BenchAPI '; then return 3; fi
    if grep -q -E '\] Planning build' "$logfile"; then return 4; fi
    return 0
}

declare -A c_lines c_wall c_cpu c_mem c_note c_planned
# compile_doc KEY PKG SRCDIR RUNS DEPS...
compile_doc() {
    local key=$1 pkg=$2 src=$3 n=$4 i rc attempt w u s m tfile lfile
    shift 4
    rm -f "$pkg"/Sources/BenchAPI/*.swift
    cp "$src"/*.swift "$pkg/Sources/BenchAPI/"
    c_lines[$key]=$(cat "$pkg"/Sources/BenchAPI/*.swift | wc -l)
    local walls=() cpus=() mems=()
    for ((i = 1; i <= n; i++)); do
        tfile=$logs/compile-${key//[:\/]/-}-$i.time lfile=$logs/compile-${key//[:\/]/-}-$i.log
        for attempt in 1 2 3; do
            warm_deps "$pkg" "$@"
            log "compile $key run $i/$n (${c_lines[$key]} lines)"
            rc=0
            compile_once "$pkg" "$tfile" "$lfile" || rc=$?
            if [ "$rc" = 4 ]; then
                # Taking a long compile again for a few seconds of planning is not worth it: keep it, marked.
                read -r w _ _ _ <"$tfile"
                if [ "$attempt" = 3 ] || awk -v w="$w" 'BEGIN { exit !(w >= 120) }'; then
                    c_planned[$key]=1
                    rc=0
                fi
            fi
            [ "$rc" = 3 ] || [ "$rc" = 4 ] || break
            log "the timed build of $key also planned the build or compiled a dependency: warming and timing again"
        done
        case $rc in
            0) ;;
            2) c_note[$key]="did not finish within ${compile_timeout} s"; log "$key: ${c_note[$key]}"; return ;;
            3) c_note[$key]="the build kept re-planning or rebuilding dependencies"; log "$key: ${c_note[$key]}"; return ;;
            *) c_note[$key]="failed: $(first_error "$lfile")"; log "$key: ${c_note[$key]}"; return ;;
        esac
        read -r w u s m <"$tfile"
        walls+=("$w") cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')") mems+=("$m")
    done
    c_wall[$key]=$(printf '%s\n' "${walls[@]}" | median)
    c_cpu[$key]=$(printf '%s\n' "${cpus[@]}" | median)
    c_mem[$key]=$(printf '%s\n' "${mems[@]}" | max)
}

# The overhead of `swift build` itself when there is nothing to compile, for reading small figures.
noop_build() {
    local pkg=$1 w u s m base
    base=$logs/$(basename "$pkg")-noop
    spm_build "$pkg" "$base.time" "$base.log" 3600 --target BenchAPI || { echo "n/a"; return; }
    spm_build "$pkg" "$base.time" "$base.log" 3600 --target BenchAPI || { echo "n/a"; return; }
    read -r w u s m <"$base.time"
    awk -v w="$w" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f s wall, %.2f s CPU", w, u + s }'
}

sg_noop="n/a" sog_noop="n/a"
for doc in "${docs[@]}"; do
    n=$compile_runs
    [ "$(stat -c %s "$corpus/$doc")" -lt 1000000 ] || n=$compile_runs_large
    if [ "$doc" = "$large_doc" ]; then
        if [ "$compile_large" != 1 ]; then
            c_note["specgen:$doc"]="skipped (BENCH_COMPILE_LARGE=0)"
            c_note["sog:$doc"]="skipped (BENCH_COMPILE_LARGE=0)"
            continue
        fi
    fi
    if [ -n "${sg_out[$doc]:-}" ]; then
        compile_doc "specgen:$doc" "$sg_cpkg" "${sg_out[$doc]}/Swift" "$n" ServerRuntime
        [ "$sg_noop" != "n/a" ] || [ -n "${c_note["specgen:$doc"]:-}" ] || sg_noop=$(noop_build "$sg_cpkg")
    else
        c_note["specgen:$doc"]="no generated code"
    fi
    if [ -n "${sog_out[$doc]:-}" ]; then
        compile_doc "sog:$doc" "$sog_cpkg" "${sog_out[$doc]}" "$n" OpenAPIRuntime HTTPTypes
        [ "$sog_noop" != "n/a" ] || [ -n "${c_note["sog:$doc"]:-}" ] || sog_noop=$(noop_build "$sog_cpkg")
    else
        c_note["sog:$doc"]="no generated code"
    fi
done
runtime_resolved=$(awk '/"identity" : "swift-openapi-runtime"/ { f = 1 } f && /"version"/ { gsub(/[",]/, "", $3); print $3; exit }' "$sog_cpkg/Package.resolved" 2>/dev/null || echo "?")

# --- 4. the report -------------------------------------------------------------------------

doc_size() { awk -v b="$(stat -c %s "$corpus/$1")" 'BEGIN { if (b >= 1e6) printf "%.1f MB", b / 1e6; else printf "%.0f kB", b / 1e3 }'; }
secs() { awk -v t="$1" 'BEGIN { printf "%.2f s", t }'; }
# Milliseconds, for times under a second compared as ratios.
msecs() { awk -v t="$1" 'BEGIN { printf "%.0f ms", t * 1000 }'; }

cat <<EOF

## Generator against swift-openapi-generator 1.14

Written by \`scripts/bench-generator.sh\` on $(date -u +%Y-%m-%d) on a machine with $(nproc) cores
($(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(free -g | awk '/Mem:/ {print $2}') GiB), shared with other work:
compare figures within this run. specgen $specgen_version (release build); swift-openapi-generator
$sog_version (release build of its \`swift-openapi-generator\` product, in \`$sog_pkg\`), its output
compiled against swift-openapi-runtime $runtime_resolved. Times are wall-clock seconds; peak memory is
the largest resident set of any single process (GNU time's \`%M\`).

### Generation

Each figure is the median of $runs runs (peak memory: the largest of them), the two tools
alternating, each run writing into a new, empty folder. specgen writes everything it generates:
Swift models and Hummingbird routes, TypeScript, SQL and the bundled \`openapi.json\`;
swift-openapi-generator writes Swift types and server stubs. *Ratio* is swift-openapi-generator's
time over specgen's (the goal is at least 10 for the largest document, $large_doc).

Commands, timed with \`/usr/bin/time -f '%e %U %S %M'\`:

\`\`\`
$specgen_bin generate --spec $corpus/DOC --out $gen_dir/specgen-DOC-RUN
$sog_bin generate --mode types --mode server --output-directory $gen_dir/sog-DOC-RUN $corpus/DOC
\`\`\`

| document | size | specgen | swift-openapi-generator | ratio | specgen peak memory | swift-openapi-generator peak memory |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
for doc in "${docs[@]}"; do
    if [ -n "${sg_gen_error[$doc]:-}" ]; then sgt="failed: ${sg_gen_error[$doc]}" sgm="–"
    else sgt=$(secs "${sg_gen_time[$doc]}") sgm=$(mib "${sg_gen_mem[$doc]}"); fi
    if [ -n "${sog_gen_error[$doc]:-}" ]; then sogt="failed: ${sog_gen_error[$doc]}" sogm="–"
    else sogt=$(secs "${sog_gen_time[$doc]}") sogm=$(mib "${sog_gen_mem[$doc]}"); fi
    r="n/a"
    [ -n "${sg_gen_error[$doc]:-}${sog_gen_error[$doc]:-}" ] || r="$(ratio "${sog_gen_time[$doc]}" "${sg_gen_time[$doc]}")×"
    echo "| $doc | $(doc_size "$doc") | $sgt | $sogt | $r | $sgm | $sogm |"
done

cat <<EOF

### specgen diff

\`specgen diff\` of $large_doc against a copy with three \`maxLength\` bounds lowered and one summary
reworded ($diff_changes), against one \`specgen lint\` of it; medians of $diff_runs runs, alternating, timed by the clock.

| document | lint | diff | ratio |
| --- | ---: | ---: | ---: |
| $large_doc | $(msecs "$lint_time") | $(msecs "$diff_time") | $(ratio "$diff_time" "$lint_time")× |
EOF

cat <<EOF

### Compiling the generated Swift

Two scratch packages outside the repository, tools version 6.0 (Swift 6 language mode), debug
configuration: \`$sg_cpkg\`, a target \`BenchAPI\` made of specgen's \`Swift/\` folder, depending on
this repository's \`ServerRuntime\` product (path dependency, the repository's pinned versions);
\`$sog_cpkg\`, a target \`BenchAPI\` made of swift-openapi-generator's files, depending on
\`OpenAPIRuntime\` and \`HTTPTypes\`. The dependencies are built first
(\`swift build --target ServerRuntime\`; \`swift build --target OpenAPIRuntime\`, \`--target HTTPTypes\`);
then, with \`BenchAPI\`'s objects, dependency records and module deleted (so every file is compiled
again, while SwiftPM's build plan stays valid), the timed command, run in the package's folder, is

\`\`\`
timeout -s INT $compile_timeout env _=swift SHLVL=1 swift build --target BenchAPI
\`\`\`

(every build of these packages, timed or not, is started the same way: SwiftPM plans the build again
when its environment changes, and the shell sets \`_\` and \`SHLVL\` as it goes). Its log is checked to have compiled no
other module and not to have planned the build again (as SwiftPM does when a file of the graph,
here the repository that other people edit, changed meanwhile); a run that did is warmed and taken again,
except that a run of 2 minutes or more that only planned again is kept and marked *(p)*.
*CPU* is user + system time of the build and every compiler process. Each figure is the median of
$compile_runs runs for documents under 1 MB and of $compile_runs_large for larger ones, each run limited to
$compile_timeout s; peak memory is the largest.
*Ratio* is swift-openapi-generator's wall time over specgen's (the goal is at least 2). For scale,
a \`swift build --target BenchAPI\` with nothing to do takes $sg_noop in the specgen package and
$sog_noop in the other one; the figures below include that.

| document | lines of Swift: specgen | lines: swift-openapi-generator | specgen wall | CPU | swift-openapi-generator wall | CPU | ratio (wall) | ratio (CPU) | specgen peak memory | swift-openapi-generator peak memory |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
cell_lines() { [ -n "${c_lines[$1]:-}" ] && echo "${c_lines[$1]}" || echo "–"; }
for doc in "${docs[@]}"; do
    a="specgen:$doc" b="sog:$doc"
    if [ -n "${c_wall[$a]:-}" ]; then aw=$(secs "${c_wall[$a]}")${c_planned[$a]:+ (p)} ac=$(secs "${c_cpu[$a]}") am=$(mib "${c_mem[$a]}")
    else aw="${c_note[$a]:-not measured}" ac="–" am="–"; fi
    if [ -n "${c_wall[$b]:-}" ]; then bw=$(secs "${c_wall[$b]}")${c_planned[$b]:+ (p)} bc=$(secs "${c_cpu[$b]}") bm=$(mib "${c_mem[$b]}")
    else bw="${c_note[$b]:-not measured}" bc="–" bm="–"; fi
    rw="n/a" rc="n/a"
    if [ -n "${c_wall[$a]:-}" ] && [ -n "${c_wall[$b]:-}" ]; then
        rw="$(ratio "${c_wall[$b]}" "${c_wall[$a]}")×" rc="$(ratio "${c_cpu[$b]}" "${c_cpu[$a]}")×"
    fi
    echo "| $doc | $(cell_lines "$a") | $(cell_lines "$b") | $aw | $ac | $bw | $bc | $rw | $rc | $am | $bm |"
done

# --- the goals -----------------------------------------------------------------------------

echo
echo "### Goals"
echo
if [ -n "${sg_gen_time[$large_doc]:-}" ] && [ -n "${sog_gen_time[$large_doc]:-}" ]; then
    r=$(ratio "${sog_gen_time[$large_doc]}" "${sg_gen_time[$large_doc]}")
    if awk -v a="${sg_gen_time[$large_doc]}" -v b="${sog_gen_time[$large_doc]}" 'BEGIN { exit !(a * 10 <= b) }'; then
        verdict="**met**"
    else
        verdict="**not met**"
    fi
    echo "- Generation at most a tenth of swift-openapi-generator's time for $large_doc: $verdict —" \
        "specgen $(secs "${sg_gen_time[$large_doc]}") against $(secs "${sog_gen_time[$large_doc]}"), ${r}× faster."
elif [ -n "${sog_gen_error[$large_doc]:-}" ]; then
    echo "- Generation at most a tenth of swift-openapi-generator's time for $large_doc: **not measurable** —" \
        "swift-openapi-generator failed on it (${sog_gen_error[$large_doc]})."
else
    echo "- Generation at most a tenth of swift-openapi-generator's time for $large_doc: **not met** —" \
        "specgen failed on it (${sg_gen_error[$large_doc]:-unknown})."
fi
if awk -v d="$diff_time" -v l="$lint_time" 'BEGIN { exit !(d <= 2.5 * l) }'; then v="**met**"; else v="**not met**"; fi
echo "- specgen diff of $large_doc at most 2.5 times one lint: $v — $(msecs "$diff_time") against $(msecs "$lint_time") ($(ratio "$diff_time" "$lint_time")×)."
compile_goal() {
    local doc=$1 a="specgen:$1" b="sog:$1" r
    if [ -n "${c_wall[$a]:-}" ] && [ -n "${c_wall[$b]:-}" ]; then
        r=$(ratio "${c_wall[$b]}" "${c_wall[$a]}")
        if awk -v a="${c_wall[$a]}" -v b="${c_wall[$b]}" 'BEGIN { exit !(a * 2 <= b) }'; then v="**met**"; else v="**not met**"; fi
        echo "- Generated Swift compiles at least 2× faster, $doc: $v — $(secs "${c_wall[$a]}") against" \
            "$(secs "${c_wall[$b]}") wall (${r}×), $(secs "${c_cpu[$a]}") against $(secs "${c_cpu[$b]}") CPU" \
            "($(ratio "${c_cpu[$b]}" "${c_cpu[$a]}")×)."
    else
        echo "- Generated Swift compiles at least 2× faster, $doc: **not measured** — specgen's:" \
            "${c_note[$a]:-measured}; swift-openapi-generator's: ${c_note[$b]:-measured}."
    fi
}
for doc in "$large_doc" box.json cloud-hypervisor.yaml; do compile_goal "$doc"; done

elapsed=$(($(date +%s) - script_start))
echo
echo "This section took $((elapsed / 60)) min $((elapsed % 60)) s to produce (building both tools included when not already built)."
log "done in ${elapsed} s"
