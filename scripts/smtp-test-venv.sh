#!/usr/bin/env bash
# The Python environment of the SMTP TLS tests: aiosmtpd (pinned in
# scripts/smtp-test-requirements.txt) in .data/venv-smtp, installed again only when the
# requirements change. `make test` runs it before `swift test`; the tests skip, saying why,
# when the environment is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly VENV=${SMTP_TEST_VENV:-.data/venv-smtp}
readonly REQUIREMENTS=scripts/smtp-test-requirements.txt
die() { echo "smtp-test-venv: error: $*" >&2; exit 1; }
stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then exit 0; fi
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" || die "python3 -m venv failed; on Debian: apt-get install python3-venv (make deps installs it)"
fi
echo "smtp-test-venv: installing $REQUIREMENTS into $VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" >&2 \
    || die "pip could not install $REQUIREMENTS"
echo "$want" >"$stamp"
