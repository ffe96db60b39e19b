#!/usr/bin/env bash
# Writes BENCHMARKS.md to standard output: every figure with the command that produced it.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-$(cd .. && pwd)/shared/corpus}
bin=.build/release/specgen
runs=${BENCH_RUNS:-9}

cat <<HEADER
# Benchmarks

Written by \`make bench\` on $(date -u +%Y-%m-%d), on a machine with $(nproc) cores and $(free -g | awk '/Mem:/ {print $2}') GiB of memory
($(uname -m), $(swift --version 2>&1 | head -n 1)). Release builds. Machines here are noisy:
compare figures as ratios within one run, not across runs.

## Spec loader

Loading and resolving a document against the floor it cannot beat: libyaml producing the
events of the same bytes with nothing built from them. Each time is the median of $runs runs
in one process, the three measured in turn within each run so that a noisy stretch of the
machine falls on all of them; *ratio* is load + resolve over the scan (the goal is at most 2).
*Parse to tree* is the YAML or JSON reader alone. A YAML document of 256 KB or more is
parsed on two threads (cut at a key of the root mapping or one level down, the pieces
joined into the tree a single pass builds), so its wall time is below its CPU time: *load
CPU time* counts both threads, and *CPU ratio* is that over the scan. Peak memory is the
growth of the peak resident set (VmHWM) of a fresh process loading the document once (the goal is under
10 times the document's size).

Command: \`$bin bench --runs $runs <documents>\`

HEADER
"$bin" bench --runs "$runs" \
  "$corpus/stripe-spec3.yaml" "$corpus/box.json" "$corpus/discourse.yml" \
  "$corpus/cloud-hypervisor.yaml" "$corpus/fastapi-template-openapi.json"

# The example server under load, against a bare Hummingbird handler (BENCH_SKIP_SERVER=1 skips it).
if [ "${BENCH_SKIP_SERVER:-0}" = 1 ]; then
  printf '\n## Server\n\nSkipped: BENCH_SKIP_SERVER=1.\n'
else
  bash scripts/bench-server.sh
fi

# specgen against swift-openapi-generator 1.14: generation and compile times, peak memory (slow:
# builds that generator and compiles both outputs, in ${BENCH_DIR:-/tmp/specgen-bench}).
if [ "${BENCH_SKIP_GENERATOR:-0}" = 1 ]; then
  # The generator section takes 20 to 30 minutes; a quick run keeps the last full run's figures
  # (they say when and how they were taken) instead of dropping them.
  previous=${BENCH_PREVIOUS:-}
  if [ -n "$previous" ] && grep -q '^## Generator against' "$previous"; then
    printf '\n'
    # Without the note an earlier quick run added: each quick run adds exactly one.
    sed -n '/^## Generator against/,$p' "$previous" | sed '/^(Kept from the last full run: /d' | cat -s
    printf '\n(Kept from the last full run: this run had BENCH_SKIP_GENERATOR=1.)\n'
  else
    printf '\n## Generator against swift-openapi-generator 1.14\n\nSkipped: BENCH_SKIP_GENERATOR=1.\n'
  fi
else
  bash scripts/bench-generator.sh
fi
