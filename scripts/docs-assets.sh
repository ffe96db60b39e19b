#!/usr/bin/env bash
# Swagger UI and ReDoc for /docs and /redoc, served from local files instead of a CDN.
#
#   scripts/docs-assets.sh [DEST]     (default: <repo>/.data/docs-assets)
#
# The files come from one pinned PyPI wheel that ships both distributions
# (fastapi-offline: swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js,
# favicon.png); the wheel's SHA-256 is checked before anything is unpacked, so
# a changed upload is refused rather than served. Idempotent: an existing,
# complete folder for the same pin is left alone. When neither pip nor curl
# can reach PyPI, the script says so and exits 0: the server then falls back
# to the CDN, which is the documented behaviour, not a failure.
set -euo pipefail

readonly PACKAGE="fastapi-offline" VERSION="1.7.7"
readonly WHEEL="fastapi_offline-1.7.7-py3-none-any.whl"
readonly SHA256="60c8399fd7d3e3b01510e14468709e3dea1a0e773ef920372d057392d736a1f9"
readonly FILES=(swagger-ui-bundle.js swagger-ui.css redoc.standalone.js favicon.png)

readonly REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly DEST="${1:-$REPO_DIR/.data/docs-assets}"
readonly STAMP="$DEST/.pin"

complete() {
    [[ -f "$STAMP" && "$(cat "$STAMP")" == "$PACKAGE==$VERSION $SHA256" ]] || return 1
    for f in "${FILES[@]}"; do [[ -s "$DEST/$f" ]] || return 1; done
}
if complete; then exit 0; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetched=""
if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: "$PACKAGE==$VERSION" -d "$work" >/dev/null 2>&1 \
        && [[ -f "$work/$WHEEL" ]] && fetched=yes
fi
if [[ -z "$fetched" ]] && command -v curl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    # The JSON API names the file's URL; PyPI's file URLs are content-addressed.
    url="$(curl -fsSL --max-time 30 "https://pypi.org/pypi/$PACKAGE/$VERSION/json" 2>/dev/null \
        | python3 -c 'import json,sys; print(next(u["url"] for u in json.load(sys.stdin)["urls"] if u["filename"]==sys.argv[1]))' "$WHEEL" 2>/dev/null || true)"
    [[ -n "$url" ]] && curl -fsSL --max-time 120 -o "$work/$WHEEL" "$url" && fetched=yes
fi
if [[ -z "$fetched" ]]; then
    echo "docs-assets: could not download $PACKAGE==$VERSION from PyPI; /docs and /redoc will load from the CDN" >&2
    exit 0
fi

actual="$(sha256sum "$work/$WHEEL" | cut -d' ' -f1)"
if [[ "$actual" != "$SHA256" ]]; then
    echo "docs-assets: error: $WHEEL has SHA-256 $actual, expected $SHA256; refusing it" >&2
    exit 1
fi

python3 - "$work/$WHEEL" "$work/out" "${FILES[@]}" <<'PY'
import sys, zipfile, os
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out)
with zipfile.ZipFile(wheel) as z:
    for name in names:
        with z.open("fastapi_offline/static/" + name) as src, open(os.path.join(out, name), "wb") as dst:
            dst.write(src.read())
PY
echo "$PACKAGE==$VERSION $SHA256" > "$work/out/.pin"
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.tmp" && mv "$work/out" "$DEST.tmp" && rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
echo "docs-assets: Swagger UI and ReDoc from $PACKAGE==$VERSION in $DEST" >&2
