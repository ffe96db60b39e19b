#!/usr/bin/env bash
# `make test-conformance` (every corpus document) and its short form in `make test`
# (`scripts/conformance.sh --short --examples 5`): instances generated from each component schema
# against the generated Swift validator, its Codable round trip and the TypeScript type. See
# scripts/conformance.py for what is checked and how; arguments are passed on to it.
#
# hypothesis, hypothesis-jsonschema and jsonschema come from PyPI, every package pinned in
# scripts/conformance-requirements.txt, into .data/venv-conformance (installed again only when that
# file changes). specgen is built here (debug) unless SPECGEN_BIN names one.
#
# Environment (all optional):
#   SPECGEN_CORPUS  the corpus folder (<repo>/../shared/corpus)
#   SPECGEN_BIN     a specgen binary to use instead of building one
#   CONFORMANCE_VENV  the virtual environment (.data/venv-conformance)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly VENV=${CONFORMANCE_VENV:-.data/venv-conformance}
readonly REQUIREMENTS=scripts/conformance-requirements.txt

die() { echo "conformance: error: $*" >&2; exit 1; }

install_requirements() {
    local stamp="$VENV/.requirements.sha256" want
    want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
    if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        python3 -m venv "$VENV" \
            || die "python3 -m venv failed; on Debian: apt-get install python3-venv (make deps installs it)"
    fi
    echo "conformance: installing $REQUIREMENTS into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" >&2 \
        || die "pip could not install $REQUIREMENTS"
    echo "$want" >"$stamp"
}
install_requirements

if [[ -n "${SPECGEN_BIN:-}" ]]; then
    specgen=$SPECGEN_BIN
else
    swift build --product specgen >&2
    specgen="$(swift build --show-bin-path)/specgen"
fi
[[ -x "$specgen" ]] || die "no specgen binary at $specgen"

exec "$VENV/bin/python" scripts/conformance.py --specgen "$specgen" \
    --corpus "${SPECGEN_CORPUS:-$(cd .. && pwd)/shared/corpus}" "$@"
