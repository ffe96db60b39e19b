#!/usr/bin/env bash
# `swift build -c release` as production (the Dockerfile) and `make bench` build the server:
# arguments are passed on (--product, --scratch-path, --show-bin-path).
#
# - The Swift runtime linked in statically: in one run (64 connections, cache off) that measured
#   3 MiB less resident memory and 5% less server CPU per request than the shared runtime.
# - Every function in a section of its own, linked by lld in the order scripts/server.text-order
#   gives (the functions a profile of the server saw run, written by scripts/text-order.sh)
#   before all others. The kernel maps a binary's text 64 KiB around each page a process first
#   touches, and without the order the 2.2 MB of functions the server runs were spread over
#   17 MiB of its 24 MiB of text; with it 10 MiB of text is resident after 1,024 connections
#   read items (16.6 MiB before), and the whole server 6 to 7 MiB smaller. Most of what is left
#   is the runtime's and Foundation's archives, whose objects are one section each and move
#   whole. A function the order names but the binary lacks (renamed since the profile) is
#   skipped, so a stale order costs memory, never correctness.
# - Exclusivity checked at compile time only (`-enforce-exclusivity=unchecked`): the run-time
#   check costs a `swift_beginAccess` and a thread-local access set per dynamic access, most of
#   them inside SwiftNIO (about 9,500 instructions per uncached item read, 3,100 per health check;
#   callgrind). Alternated fresh servers, 64 connections, three rounds each: health 44,481 to
#   44,673 requests/s against 39,105 to 43,263, 29.5 against 31.2 to 34.2 µs of server CPU per
#   request. Debug builds, and so every test, keep the run-time check.
set -euo pipefail
order="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/server.text-order"
ordering=()
[ -s "$order" ] && ordering=(-Xlinker "--symbol-ordering-file=$order" -Xlinker --no-warn-symbol-ordering)
exec swift build -c release --static-swift-stdlib -Xswiftc -enforce-exclusivity=unchecked \
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xswiftc -use-ld=lld \
    "${ordering[@]}" "$@"
