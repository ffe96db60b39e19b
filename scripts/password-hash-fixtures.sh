#!/usr/bin/env bash
# Writes the password hashes Python makes (argon2-cffi, pwdlib as the FastAPI template uses it,
# passlib) as Swift test constants, so the tests prove we verify what those libraries wrote
# without needing Python themselves. Run once; the output is committed:
#   Tests/PasswordHashFixtures/PythonPasswordHashes.swift (shared by SecurityTests and AppTests)
# (the same file in both: test targets cannot share sources). Salts are random, so every run
# writes new hashes; rerun only to add cases.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly VENV=.data/venv-password-hashes
readonly REQUIREMENTS=scripts/password-hash-fixtures-requirements.txt

die() { echo "password-hash-fixtures: error: $*" >&2; exit 1; }

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" || die "python3 -m venv failed; on Debian: apt-get install python3-venv"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" >&2 \
    || die "pip could not install $REQUIREMENTS"

output=$("$VENV/bin/python" - <<'PY'
import warnings
warnings.filterwarnings("ignore")
import logging
logging.disable(logging.CRITICAL)  # passlib's "(trapped) error reading bcrypt version"

import argon2
import argon2.low_level
import bcrypt
import passlib
import pwdlib
from passlib.hash import argon2 as passlib_argon2, bcrypt as passlib_bcrypt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

# The FastAPI template's own hasher (backend/app/core/security.py).
template = PasswordHash((Argon2Hasher(), BcryptHasher()))

cases = []
swift_passwords = {}  # Swift spellings of passwords too long to write out
def case(name, doc, password, hash_):
    cases.append((name, doc, password, hash_))

case("templateArgon2id", "The template's `PasswordHash((Argon2Hasher(), BcryptHasher())).hash(...)`, pwdlib's defaults.",
     "changethis", template.hash("changethis"))
case("pwdlibArgon2idUnicode", "pwdlib `Argon2Hasher()`, a non-ASCII password.", "s3cret-été",
     Argon2Hasher().hash("s3cret-été"))
long_password = "a" * 100 + "é"
swift_passwords["pwdlibArgon2idLong"] = 'String(repeating: "a", count: 100) + "é"'
case("pwdlibArgon2idLong", "pwdlib `Argon2Hasher()`, 102 bytes: argon2 reads them all.", long_password,
     Argon2Hasher().hash(long_password))
case("pwdlibBcrypt", "pwdlib `BcryptHasher()` (the template's second hasher), cost 12.", "changethis",
     BcryptHasher().hash("changethis"))
case("argon2CFFITiny", "argon2-cffi `PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)`: the smallest memory argon2 allows.",
     "tiny", argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("tiny"))
case("argon2CFFIShort", "argon2-cffi `PasswordHasher(time_cost=2, memory_cost=256, parallelism=2, hash_len=16, salt_len=8)`.",
     "short-salt", argon2.PasswordHasher(time_cost=2, memory_cost=256, parallelism=2, hash_len=16, salt_len=8).hash("short-salt"))
case("argon2CFFIArgon2i", "argon2-cffi `PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1, type=Type.I)`.",
     "argon2i-password", argon2.PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1, type=argon2.Type.I).hash("argon2i-password"))
case("argon2CFFIArgon2d", "argon2-cffi `PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1, type=Type.D)`.",
     "argon2d-password", argon2.PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1, type=argon2.Type.D).hash("argon2d-password"))
case("argon2CFFIVersion16", "argon2-cffi `low_level.hash_secret(..., version=16)`: argon2 1.0.",
     "old-version", argon2.low_level.hash_secret(b"old-version", b"saltsaltsaltsalt", time_cost=2, memory_cost=1024,
                                                  parallelism=1, hash_len=32, type=argon2.Type.ID, version=16).decode())
case("argon2CFFINUL", "argon2-cffi `PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)`, a password holding NUL.",
     "abc\0def", argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("abc\0def"))
case("passlibArgon2", "passlib `argon2.hash(...)` (argon2-cffi's defaults).", "passlib-argon2",
     passlib_argon2.hash("passlib-argon2"))
case("passlibBcrypt", "passlib `bcrypt.hash(...)`, cost 12.", "changethis", passlib_bcrypt.hash("changethis"))
case("passlibBcrypt2a", "passlib `bcrypt.using(rounds=4, ident=\"2a\").hash(...)`.", "s3cret-été",
     passlib_bcrypt.using(rounds=4, ident="2a").hash("s3cret-été"))

# Every hash checks in Python before it is written down.
for name, _, password, hash_ in cases:
    ok = (passlib_bcrypt.verify(password, hash_) if hash_.startswith("$2")
          else argon2.PasswordHasher().verify(hash_, password))
    assert ok, name

def swift_string(text):
    out = '"'
    for ch in text:
        if ch == "\\": out += "\\\\"
        elif ch == '"': out += '\\"'
        elif ch == "\0": out += "\\u{0}"
        elif ch == "$": out += "$"
        else: out += ch
    return out + '"'

versions = f"argon2-cffi {argon2.__version__ if hasattr(argon2, '__version__') else '25.1.0'}, pwdlib {pwdlib.__version__}, passlib {passlib.__version__}, bcrypt {bcrypt.__version__}"
print("// Generated by scripts/password-hash-fixtures.sh: hashes written by Python")
print(f"// ({versions}), each checked there before being written down.")
print("")
print("import Testing")
print("")
print("/// A password and the hash a Python library wrote for it.")
print("public struct PythonPasswordHash: Sendable, CustomTestStringConvertible {")
print("    public let name: String")
print("    public let password: String")
print("    public let hash: String")
print("")
print("    public var testDescription: String { name }")
print("}")
print("")
print("public enum PythonPasswordHashes {")
for name, doc, password, hash_ in cases:
    print(f"    /// {doc}")
    print(f"    public static let {name} = PythonPasswordHash(")
    print(f"        name: {swift_string(name)}, password: {swift_passwords.get(name) or swift_string(password)},")
    print(f"        hash: {swift_string(hash_)})")
print("")
print("    public static let all = [")
for name, *_ in cases:
    print(f"        {name},")
print("    ]")
print("}")
PY
)
printf '%s\n' "$output" >Tests/PasswordHashFixtures/PythonPasswordHashes.swift
swift format format -i Tests/PasswordHashFixtures/PythonPasswordHashes.swift
echo "password-hash-fixtures: wrote Tests/PasswordHashFixtures/PythonPasswordHashes.swift" >&2
