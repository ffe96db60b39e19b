#!/usr/bin/env bash
# `make fuzz-spec`: libFuzzer over the spec loader and the whole generation (Sources/SpecFuzzing).
#
#   FUZZ_SECONDS   how long to fuzz (600)
#   FUZZ_JOBS      parallel fuzzing processes (1; the machine has 2 cores)
#
# Inputs are YAML or JSON bytes; any result is fine except a crash, a hang (over 20 s for one
# input) or memory over 4 GiB. The working corpus lives in .data/fuzz-spec/corpus and grows
# between runs; it is seeded with the small documents of ../shared/corpus, the example spec and
# the bad-document fixtures. A crashing input is written to artifacts/fuzz-spec/ and must become
# a file in Tests/CodeGenTests/FuzzRegressions/ (replayed by `make test`) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-1}
corpus=${CORPUS:-$(cd .. && pwd)/shared/corpus}
work=.data/fuzz-spec
artifacts=artifacts/fuzz-spec

swift build -c release --scratch-path .build-fuzz --product spec-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >&2
mkdir -p "$work/corpus" "$work/seeds" "$artifacts"
# Seeds: documents small enough that one execution stays in the milliseconds.
find "$corpus" spec Tests/OpenAPITests/BadDocuments Tests/CodeGenTests/FuzzRegressions \
    -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -200k 2>/dev/null |
    while read -r file; do cp "$file" "$work/seeds/$(echo "$file" | tr '/' '_')"; done

# libFuzzer, not Swift's backtracer, must take a crash's signal, or the input is not saved.
export SWIFT_BACKTRACE=enable=no
.build-fuzz/release/spec-fuzz "$work/corpus" "$work/seeds" \
    -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
    -timeout=20 -rss_limit_mb=4096 -max_len=262144 \
    -artifact_prefix="$artifacts/" -print_final_stats=1
