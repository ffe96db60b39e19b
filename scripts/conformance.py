#!/usr/bin/env python3
"""The conformance harness (`make test-conformance`; `make test` runs a short form).

For every component schema of every corpus document, JSON instances generated from the schema
(hypothesis-jsonschema) must be
  (a) accepted by the validator of the generated Swift (the server's 422 path),
  (b) decoded by the generated `Codable` type and re-encoded to an equal JSON value, and
      written byte for byte alike by the type's direct writer (`writeJSON`) where it has one,
  (c) accepted by `tsc --strict` as a literal of the generated TypeScript type;
and instances mutated to be invalid (wrong type, missing required, out of bounds, unknown enum or
discriminator value; each checked invalid by `jsonschema` first) must be refused by (a) with an
error whose `loc` names the mutated place.

The Swift side: `specgen generate --conformance-entry-points` writes, beside the models, a table of
each component schema's checks and a driver reading `{"schema", "instance"}` lines on standard
input. One scratch package (`.data/conformance/package`) has an executable per document built from
those files and the validation half of `Sources/ServerRuntime` (linked in, not copied, so the
checks run the runtime's own code; the routing half and Hummingbird are not needed by models, and
leaving them out spares a build of NIO and Hummingbird). One process answers every instance of a
document.

Whatever the harness cannot judge is counted as skipped with its reason, never dropped silently.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from hypothesis_jsonschema import from_schema

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".data" / "conformance"

# Every document of the corpus with component schemas in its entry file; the short form's subset.
ALL_DOCUMENTS = [
    "oai-petstore.yaml",
    "oai-petstore-expanded.yaml",
    "oai-link-example.yaml",
    "oai-uspto.yaml",
    "oai-webhook-example.yaml",
    "oai-tictactoe.yaml",
    "fastapi-template-openapi.json",
    "cloud-hypervisor.yaml",
    "box.json",
    "stripe-spec3.yaml",
    # No component schemas in the entry document: listed so the report says so.
    "oai-api-with-examples.yaml",
    "oai-callback-example.yaml",
    "oai-non-oauth-scopes.yaml",
    "oai-3.2-tags-example.yaml",
    "discourse.yml",
    "digitalocean/DigitalOcean-public.v2.yaml",
]
SHORT_DOCUMENTS = [
    "oai-petstore.yaml",
    "oai-petstore-expanded.yaml",
    "oai-link-example.yaml",
    "oai-uspto.yaml",
    "oai-webhook-example.yaml",
    "oai-tictactoe.yaml",
    "fastapi-template-openapi.json",
    "cloud-hypervisor.yaml",
]

# The validation half of ServerRuntime: what generated models use.
# Folders under Sources/ compiled into the package's one runtime module: ServerRuntime's parts the
# models use, and the JSON target they build on (its files import nothing).
RUNTIME_FOLDERS = ["ServerRuntime/JSON", "ServerRuntime/Validation", "ServerRuntime/Error", "ServerRuntime/Patch", "JSON"]
# Needs swift-http-types (status codes), which models never name.
RUNTIME_EXCLUDED = {"HTTPError.swift"}

# Components nested deeper than this are cut (see `Converter.component`), per document: Stripe's
# schemas inlined 4 deep are megabytes each. Elsewhere only a recursion is cut.
MAX_DEPTH = {"stripe-spec3.yaml": 2}

# Formats hypothesis-jsonschema generates and JSON Schema defines; others are dropped from the
# generation schema (OpenAPI's `byte` becomes a base64 pattern, see `to_json_schema`).
KNOWN_FORMATS = {"date-time", "date", "email", "uri", "uuid", "ipv4", "ipv6", "hostname", "time"}
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DROPPED_KEYWORDS = {
    "discriminator", "xml", "example", "examples", "externalDocs", "deprecated", "readOnly", "writeOnly",
    "nullable", "title", "description", "$schema", "$id", "contentMediaType", "contentEncoding",
}


def log(message: str) -> None:
    print(f"conformance: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- documents and schemas


class Unjudgeable(Exception):
    """A schema the harness cannot judge; the message is the reason the report names."""


def load_document(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)


def component_schemas(document: dict) -> dict:
    return ((document.get("components") or {}).get("schemas")) or {}


def ref_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise Unjudgeable(f"$ref outside the entry's components ({ref})")
    name = ref[len(prefix):]
    if "/" in name:
        raise Unjudgeable(f"$ref into a component's inside ({ref})")
    return name.replace("~1", "/").replace("~0", "~")


class Converter:
    """OpenAPI schemas to self-contained JSON Schema (draft 7): `nullable` as a type union,
    `$ref`s to components inlined, OpenAPI-only keywords dropped. `discriminator` is ignored by
    the generation of instances (the `oneOf` decides), and kept aside for mutations."""

    def __init__(self, document: dict, version: str, max_depth: int = 1_000):
        self.max_depth = max_depth
        self.components = component_schemas(document)
        self.is30 = version.startswith("3.0")
        self.cache: dict[str, object] = {}
        # Components whose conversion cut a recursion or a deep nesting (see `component`).
        self.cut: set[str] = set()
        self.cuts = 0

    def component(self, name: str, stack: tuple = ()) -> object:
        if name in stack or len(stack) > self.max_depth:
            # hypothesis-jsonschema cannot generate recursive schemas, and Stripe's inlined
            # without a bound are tens of megabytes. A repetition, or a component nested deeper
            # than `max_depth`, becomes `false` (no value): an `anyOf` branch or an optional property
            # that leads there is left out, so what is generated is a subset of the valid
            # instances, still valid. Mutants of such a schema are not judged: a value the cut
            # refuses may be valid.
            self.cut.update(stack)
            self.cuts += 1
            return False
        if name in self.cache:
            return self.cache[name]
        if name not in self.components:
            raise Unjudgeable(f"dangling $ref to {name}")
        before = self.cuts
        converted = self.convert(self.components[name], stack + (name,))
        # A cut depends on where the component was reached from: only whole ones are reused.
        if self.cuts == before:
            self.cache[name] = converted
        return converted

    def convert(self, schema, stack: tuple = ()):
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            raise Unjudgeable("a schema that is not an object")
        if "$ref" in schema:
            target = copy.deepcopy(self.component(ref_name(schema["$ref"]), stack))
            if target is False:
                return {"type": "null"} if schema.get("nullable") is True else False
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if self.is30 or not siblings:
                # 3.0 ignores siblings of $ref; `nullable` beside it is the one people rely on.
                if siblings.get("nullable") is True:
                    return {"anyOf": [target, {"type": "null"}]}
                return target
            rest = self.convert(siblings, stack)
            return {"allOf": [target, rest]} if rest else target
        result = {}
        for key, value in schema.items():
            if key.startswith("x-") or key in DROPPED_KEYWORDS:
                continue
            if key in ("properties", "patternProperties", "$defs", "definitions"):
                result[key] = {name: self.convert(sub, stack) for name, sub in (value or {}).items()}
            elif key == "items" and "prefixItems" in schema:
                # 2020-12's rest after a tuple is draft 7's `additionalItems` (what the checkers read).
                result["additionalItems"] = self.convert(value, stack) if isinstance(value, (dict, bool)) else value
            elif key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
                result[key] = self.convert(value, stack) if isinstance(value, (dict, bool)) else value
            elif key in ("allOf", "anyOf", "oneOf"):
                result[key] = [self.convert(sub, stack) for sub in value]
            elif key == "prefixItems":
                # A tuple, in draft 7's spelling (`items` as a list), which hypothesis-jsonschema reads.
                result["items"] = [self.convert(sub, stack) for sub in value]
            elif key == "format":
                if value == "byte":
                    result.setdefault("pattern", BASE64)
                elif value == "uuid":
                    # hypothesis-jsonschema does not know `uuid`: the pattern generates them.
                    result.setdefault("pattern", UUID)
                    result["format"] = value
                elif value in KNOWN_FORMATS:
                    result["format"] = value
                elif value == "url":
                    # Not JSON Schema's; the generator reads it as `uri` (and validates it so).
                    result["format"] = "uri"
                elif value in ("int32", "int64", "float", "double"):
                    result["format"] = value
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                if value and bound in schema:
                    result[key] = schema[bound]
            elif key in ("minimum", "maximum") and schema.get("exclusiveM" + key[1:]) is True:
                continue
            elif key == "required" and not value:
                continue
            else:
                result[key] = copy.deepcopy(value)
        result = without_cuts(result)
        if result is False:
            return {"type": "null"} if schema.get("nullable") is True else False
        bound_numbers(result)
        if schema.get("nullable") is True:
            result = nullable(result)
        return result


def without_cuts(schema: dict):
    """A converted schema with recursion cuts (`false` members) folded: `anyOf`/`oneOf` lose
    them, `allOf`, a required property or a non-empty array of one is `false` itself."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            kept = [member for member in schema[key] if member is not False]
            if not kept:
                return False
            schema[key] = kept
    if any(member is False for member in schema.get("allOf") or []):
        return False
    properties = schema.get("properties") or {}
    if any(properties.get(name) is False for name in schema.get("required") or []):
        return False
    if schema.get("items") is False and (schema.get("minItems") or 0) > 0:
        return False
    return schema


def bound_numbers(schema: dict) -> None:
    """Integers within the range of their format (OpenAPI's `int32`, else 64 bits: Swift's `Int`,
    as every generator without big integers), floats within `Float`'s: JSON Schema alone allows
    any size, which no fixed-width type holds. The report states this assumption."""
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    fmt = schema.get("format")
    if "integer" in types:
        low, high = (-(2**31), 2**31 - 1) if fmt == "int32" else (-(2**63), 2**63 - 1)
    elif "number" in types and fmt == "float":
        low, high = -3.4e38, 3.4e38
    else:
        return
    if "minimum" not in schema and "exclusiveMinimum" not in schema:
        schema["minimum"] = low
    if "maximum" not in schema and "exclusiveMaximum" not in schema:
        schema["maximum"] = high


def one_of_as_any_of(schema):
    if isinstance(schema, list):
        return [one_of_as_any_of(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {("anyOf" if key == "oneOf" else key): one_of_as_any_of(value) for key, value in schema.items()}


def nullable(schema: dict) -> dict:
    """3.0 `nullable: true`: `null` is also valid, whatever else the schema says."""
    types = schema.get("type")
    if isinstance(types, str) and set(schema) <= {"type", "format", "pattern", "minLength", "maxLength",
                                                  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                                  "multipleOf", "items", "minItems", "maxItems", "uniqueItems",
                                                  "properties", "required", "additionalProperties", "default",
                                                  "minProperties", "maxProperties", "enum"}:
        result = dict(schema)
        result["type"] = [types, "null"]
        if "enum" in result and None not in result["enum"]:
            result["enum"] = list(result["enum"]) + [None]
        return result
    return {"anyOf": [schema, {"type": "null"}]}


# ---------------------------------------------------------------- instances


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def generate_instances(schema, count: int, seed_value: int, seconds: int) -> list:
    instances: list = []
    strategy = from_schema(schema)

    @seed(seed_value)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(strategy)
    def collect(value):
        if len(instances) < count and value not in instances:
            instances.append(value)

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        collect()
    except Timeout:
        if not instances:
            raise Unjudgeable(f"no instance generated within {seconds}s")
    except HypothesisException as error:
        if not instances:
            raise Unjudgeable(f"hypothesis-jsonschema cannot generate: {type(error).__name__}: {str(error)[:120]}")
    except Exception as error:  # noqa: BLE001 - the library raises plain errors for unsupported schemas
        if not instances:
            raise Unjudgeable(f"hypothesis-jsonschema cannot generate: {type(error).__name__}: {str(error)[:120]}")
    finally:
        signal.alarm(0)
    return instances


# ---------------------------------------------------------------- schema walking


def branches(schema) -> list:
    """The alternatives an instance may take: `anyOf`/`oneOf` members, else the schema."""
    if not isinstance(schema, dict):
        return []
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives and not schema.get("properties"):
        return [b for alt in alternatives for b in (branches(alt) or [alt])]
    # `allOf: [X, {oneOf: [A, B]}]` is `oneOf: [allOf: [X, A], allOf: [X, B]]`.
    members = schema.get("allOf") or []
    for index, member in enumerate(members):
        inner = branches(member) if isinstance(member, dict) and (member.get("anyOf") or member.get("oneOf")) else []
        if len(inner) > 1:
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            others = members[:index] + members[index + 1:]
            return [dict(rest, allOf=others + [branch]) for branch in inner]
    return [schema]


def object_parts(schema) -> list:
    """A schema and its `allOf` members, flattened."""
    if not isinstance(schema, dict):
        return []
    parts = [schema]
    for member in schema.get("allOf") or []:
        parts += object_parts(member)
    # A nullable member (`anyOf: [X, {type: null}]`, how `nullable` is converted) is X here.
    alternatives = schema.get("anyOf") or schema.get("oneOf") or []
    others = [a for a in alternatives if not (isinstance(a, dict) and a.get("type") == "null")]
    if len(alternatives) == 2 and len(others) == 1:
        parts += object_parts(others[0])
    return parts


def declared(schema) -> tuple[dict, set, bool]:
    """Properties (name → schemas), required names, and whether undeclared keys are modelled
    (`additionalProperties` given, or no properties at all: a map)."""
    properties: dict = {}
    required: set = set()
    open_map = False
    parts = object_parts(schema)
    for part in parts:
        for name, sub in (part.get("properties") or {}).items():
            properties.setdefault(name, []).append(sub)
        required |= set(part.get("required") or [])
        if isinstance(part.get("additionalProperties"), dict) or part.get("additionalProperties") is True:
            open_map = True
    if not properties:
        open_map = True
    return properties, required, open_map


def accepts_null(schema) -> bool:
    """Whether `null` is a valid instance of `schema` (a converted one)."""
    if not isinstance(schema, dict):
        return schema is True
    types = schema.get("type")
    if types is not None and types != "null" and not (isinstance(types, list) and "null" in types):
        return False
    if "enum" in schema and None not in schema["enum"]:
        return False
    if "const" in schema and schema["const"] is not None:
        return False
    if not all(accepts_null(member) for member in schema.get("allOf") or []):
        return False
    for key in ("anyOf", "oneOf"):
        if key in schema and not any(accepts_null(member) for member in schema[key]):
            return False
    return True


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_instant(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T"))
    except ValueError:
        return None


def equal(schema, original, encoded, path=()) -> bool:
    """Whether `encoded` is `original` written back, as JSON values under `schema`: numbers as
    numbers, instants as instants, UUIDs in any case; an absent optional property equals its
    `default`, or `null` where it allows null; undeclared keys of an object that models none are
    not compared (the types keep declared properties only)."""
    candidates = branches(schema) or [schema]
    if is_number(original) and is_number(encoded):
        # `format: float` is a Float in Swift: seven digits survive.
        single = any(part.get("format") == "float" for c in candidates for part in object_parts(c))
        tolerance = 1e-6 if single else 1e-12
        if single and abs(original) < 1.2e-38 and abs(encoded) < 1.2e-38:
            return True  # below Float's smallest normal number: zero or a subnormal
        return differs(path, original == encoded or abs(original - encoded) <= tolerance * max(abs(original), abs(encoded)))
    if isinstance(original, str) and isinstance(encoded, str):
        if original == encoded:
            return True
        for candidate in candidates:
            for part in object_parts(candidate):
                fmt = part.get("format")
                if fmt == "date-time":
                    a, b = parse_instant(original), parse_instant(encoded)
                    if a and b and a.tzinfo and b.tzinfo and abs((a - b).total_seconds()) < 1e-3:
                        return True
                if fmt == "uuid" and original.lower() == encoded.lower():
                    return True
        return differs(path, False)
    if isinstance(original, list) and isinstance(encoded, list):
        if len(original) != len(encoded):
            return differs(path, False)
        items = [part.get("items") for c in candidates for part in object_parts(c) if isinstance(part.get("items"), dict)]
        item = items[0] if items else None
        return all(equal(item, a, b, path + (i,)) for i, (a, b) in enumerate(zip(original, encoded)))
    if isinstance(original, dict) and isinstance(encoded, dict):
        return any(equal_object(candidate, original, encoded, path) for candidate in candidates) or (
            not candidates and original == encoded)
    return differs(path, type(original) is type(encoded) and original == encoded)


def equal_object(schema, original: dict, encoded: dict, path=()) -> bool:
    properties, required, open_map = declared(schema) if isinstance(schema, dict) else ({}, set(), True)
    if open_map and not properties:
        additional = None
        for part in object_parts(schema):
            if isinstance(part.get("additionalProperties"), dict):
                additional = part["additionalProperties"]
        if set(original) != set(encoded):
            return differs(path + (sorted(set(original) ^ set(encoded))[0],), False)
        return all(equal(additional, original[k], encoded[k], path + (k,)) for k in original)
    keys = set(properties) | (set(original) | set(encoded) if open_map else set())
    for key in keys:
        subs = properties.get(key)
        sub = subs[-1] if subs else None
        if key in original and key in encoded:
            if not equal(sub, original[key], encoded[key], path + (key,)):
                return False
        elif key in original:
            if not (original[key] is None and key not in required):
                return differs(path + (key,), False)
        elif key in encoded:
            defaults = [s.get("default") for s in subs or [] if isinstance(s, dict) and "default" in s]
            if defaults and equal(sub, defaults[0], encoded[key]):
                continue
            if encoded[key] is None and sub is not None and accepts_null(sub):
                continue
            return differs(path + (key,), False)
    return True


# Where the last comparison found a difference, for the report.
LAST_DIFFERENCE: list = [()]


def differs(path, same: bool) -> bool:
    if not same:
        LAST_DIFFERENCE[0] = path
    return same


def could_be_object(schema) -> bool:
    if not isinstance(schema, dict):
        return True
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    return types is None or "object" in types


def strip_undeclared(schema, value):
    """The instance with the keys its schema does not declare removed, for TypeScript: an object
    literal with extra keys is an error there, while JSON Schema allows them unless closed. An
    absent property with a (valid, non-null) `default` gets it, as the server sends it: types
    only the server sends make such properties required, and others accept the value."""
    if isinstance(value, list):
        items = [part.get("items") for c in (branches(schema) or [schema]) for part in object_parts(c)
                 if isinstance(part.get("items"), dict)]
        return [strip_undeclared(items[0] if items else None, v) for v in value]
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return value
    candidates = [c for c in branches(schema) if could_be_object(c)]
    if len(candidates) > 1:
        # A union: the branch the value is an instance of decides, as TypeScript's narrowing does.
        matching = [c for c in candidates if jsonschema.Draft7Validator(c).is_valid(value)]
        candidates = matching[:1] or candidates
    properties: dict = {}
    # A name in `required` with no schema in `properties` is still a key of the TypeScript type
    # (`name: unknown`, required): it stays in the literal.
    required_names: set = set()
    open_map = not candidates
    additional = None
    for candidate in candidates:
        props, required, is_open = declared(candidate)
        for key, subs in props.items():
            properties.setdefault(key, []).extend(subs)
        required_names |= required
        open_map = open_map or is_open
        for part in object_parts(candidate):
            if isinstance(part.get("additionalProperties"), dict):
                additional = part["additionalProperties"]
    result = {}
    for key, item in value.items():
        if key in properties:
            result[key] = strip_undeclared(properties[key][-1], item)
        elif open_map or key in required_names:
            result[key] = strip_undeclared(additional, item)
    for key, subs in properties.items():
        if key in result:
            continue
        defaults = [s["default"] for s in subs if isinstance(s, dict) and s.get("default") is not None]
        if defaults and is_valid_default(subs[-1], defaults[0]):
            result[key] = copy.deepcopy(defaults[0])
    return result


def is_valid_default(schema, value) -> bool:
    try:
        return jsonschema.Draft7Validator(schema).is_valid(value)
    except Exception:  # a schema jsonschema cannot read: no default is filled in
        return False


# ---------------------------------------------------------------- mutations


def wrong_values(schema) -> list:
    """Values of other JSON types than `schema` allows (the checker drops any that validate)."""
    return [12345, "not-a-value", True, [], {"unexpected": 1}]


# The bounds `bound_numbers` adds for generation, not the document's: a value past them is no
# invalid instance of the schema.
SYNTHETIC_BOUNDS = {-(2**63), 2**63 - 1, -3.4e38, 3.4e38}


def bound_violations(schema) -> list:
    out = []
    for part in object_parts(schema):
        part = {k: v for k, v in part.items() if not (k in ("minimum", "maximum") and v in SYNTHETIC_BOUNDS)}
        if isinstance(part.get("maxLength"), int):
            out.append(("out of bounds", "x" * (part["maxLength"] + 1)))
        if isinstance(part.get("minLength"), int) and part["minLength"] > 0:
            out.append(("out of bounds", ""))
        if is_number(part.get("maximum")):
            out.append(("out of bounds", part["maximum"] + 1))
        if is_number(part.get("minimum")):
            out.append(("out of bounds", part["minimum"] - 1))
        if isinstance(part.get("maxItems"), int):
            items = part.get("items") if isinstance(part.get("items"), dict) else {}
            out.append(("out of bounds", [None] * (part["maxItems"] + 1) if not items else None))
        if isinstance(part.get("enum"), list):
            out.append(("unknown enum", "zz-not-listed"))
    return [m for m in out if m[1] is not None]


def mutations(raw_schema, schema, instance, validator, limit: int) -> list:
    """Invalid instances and the `loc` each must be refused at (after `body`)."""
    found = []

    def add(kind, mutated, path):
        if len(found) < limit and not validator.is_valid(mutated):
            found.append((kind, mutated, path))

    for value in wrong_values(schema):
        add("wrong type", value, [])
    for kind, value in bound_violations(schema):
        add(kind, value, [])
    if isinstance(instance, dict):
        properties, required, _ = declared(branches(schema)[0] if len(branches(schema)) == 1 else schema)
        for name in sorted(required):
            if name in instance:
                mutated = dict(instance)
                del mutated[name]
                add("missing required", mutated, [name])
        for name, subs in properties.items():
            if name not in instance:
                continue
            for kind, value in bound_violations(subs[-1]):
                mutated = dict(instance)
                mutated[name] = value
                add(kind, mutated, [name])
            for value in wrong_values(subs[-1])[:2]:
                mutated = dict(instance)
                mutated[name] = value
                add("wrong type", mutated, [name])
        # The discriminator of the raw OpenAPI schema (the converted one has none).
        discriminator = (raw_schema.get("discriminator") or {}).get("propertyName") if isinstance(raw_schema, dict) else None
        if discriminator and discriminator in instance:
            mutated = dict(instance)
            mutated[discriminator] = "zz-unknown-tag"
            add("unknown discriminator", mutated, [])
    return found


# ---------------------------------------------------------------- Swift


def target_name(document: str) -> str:
    stem = document.rsplit(".", 1)[0]
    return "C_" + re.sub(r"[^A-Za-z0-9]", "_", stem)


def write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their time stamps, so the next build recompiles nothing."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def prepare_package(targets: list[str]) -> Path:
    package = WORK / "package"
    runtime = package / "Runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for folder in RUNTIME_FOLDERS:
        sources = sorted((REPO / "Sources" / folder).glob("*.swift"))
        if not sources:
            raise SystemExit(f"conformance: no Swift files in Sources/{folder}: RUNTIME_FOLDERS is stale")
        for source in sources:
            if source.name in RUNTIME_EXCLUDED:
                continue
            link = runtime / f"{folder.replace('/', '_')}_{source.name}"
            wanted.add(link.name)
            if not (link.is_symlink() and os.readlink(link) == str(source)):
                if link.exists() or link.is_symlink():
                    link.unlink()
                link.symlink_to(source)
    for stale in runtime.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    lines = [
        f'        .executableTarget(name: "{t}", dependencies: ["ServerRuntime"], path: "{t}"),' for t in targets
    ]
    manifest = "\n".join([
        "// swift-tools-version:6.0",
        "// Written by scripts/conformance.py: per document, the generated models and their conformance driver.",
        "import PackageDescription",
        "",
        "let package = Package(",
        '    name: "Conformance",',
        "    targets: [",
        '        .target(name: "ServerRuntime", path: "Runtime"),',
        *lines,
        "    ]",
        ")",
        "",
    ])
    write_if_changed(package / "Package.swift", manifest)
    return package


def generate(document: str, corpus: Path, specgen: Path) -> Path:
    out = WORK / "generated" / target_name(document)
    result = subprocess.run(
        [str(specgen), "generate", "--spec", str(corpus / document), "--out", str(out), "--conformance-entry-points"],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise Unjudgeable(f"specgen generate failed: {result.stderr.strip()[-400:]}")
    return out


def stage_swift(document: str, generated: Path, package: Path) -> None:
    folder = package / target_name(document)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {"main.swift"}
    for source in sorted((generated / "Swift").glob("*.swift")):
        # Models and the driver; operations and routes need Hummingbird and are not judged here.
        if source.name == "Support.swift" or source.name.startswith("Types") or source.name == "Conformance.swift":
            wanted.add(source.name)
            write_if_changed(folder / source.name, source.read_text(encoding="utf-8"))
    write_if_changed(folder / "main.swift", "ConformanceDriver.run()\n")
    for stale in folder.iterdir():
        if stale.name not in wanted:
            stale.unlink()


def build_package(package: Path, targets: list[str]) -> dict[str, str]:
    """Builds every driver; answers the build errors per target (empty when all built)."""
    start = time.monotonic()
    result = subprocess.run(
        ["swift", "build", "--package-path", str(package), "--scratch-path", str(WORK / "build")],
        capture_output=True, text=True)
    log(f"swift build of {len(targets)} drivers: {time.monotonic() - start:.0f}s (exit {result.returncode})")
    if result.returncode == 0:
        return {}
    failures: dict[str, str] = {}
    for line in (result.stdout + result.stderr).splitlines():
        if ": error: " not in line:
            continue
        for target in targets:
            if f"/{target}/" in line:
                failures.setdefault(target, line.strip()[:300])
    if not failures:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise SystemExit(f"conformance: swift build failed outside the generated code:\n{tail}")
    # Build the others alone, so one document's compile error does not hide the rest.
    for target in targets:
        if target in failures:
            continue
        single = subprocess.run(
            ["swift", "build", "--package-path", str(package), "--scratch-path", str(WORK / "build"),
             "--product", target], capture_output=True, text=True)
        if single.returncode != 0:
            failures[target] = "build failed (see swift build)"
    return failures


def run_driver(package: Path, target: str, requests: list[tuple[str, object]]) -> list[dict]:
    binary = WORK / "build" / "debug" / target
    payload = "".join(json.dumps({"schema": name, "instance": instance}) + "\n" for name, instance in requests)
    result = subprocess.run([str(binary)], input=payload, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{target} exited {result.returncode}: {result.stderr[-600:]}")
    answers = [json.loads(line) for line in result.stdout.split("\n") if line.strip()]
    if len(answers) != len(requests):
        raise RuntimeError(f"{target} answered {len(answers)} lines for {len(requests)} requests")
    return answers


# ---------------------------------------------------------------- TypeScript


def type_check(generated: Path, literals: list[tuple[str, object]]) -> dict[int, str]:
    """`tsc --strict --noEmit` over `const x<i>: components["schemas"][<name>] = <literal>;`, all
    of a document's literals in one file; answers the failing indexes with tsc's message."""
    if not literals:
        return {}
    folder = generated / "TypeScript"
    lines = ['import type { components } from "./schema.js";', ""]
    first = len(lines) + 1
    for index, (name, value) in enumerate(literals):
        lines.append(f"export const x{index}: components[\"schemas\"][{json.dumps(name)}] = {json.dumps(value)};")
    (folder / "conformance.ts").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        ["tsc", "--strict", "--noEmit", "--target", "es2022", "--module", "es2022", "--moduleResolution", "node",
         "--lib", "es2022,dom", "conformance.ts"], cwd=folder, capture_output=True, text=True)
    failures: dict[int, str] = {}
    if result.returncode == 0:
        return failures
    pattern = re.compile(r"^conformance\.ts\((\d+),\d+\): error (.*)$")
    other = []
    for line in result.stdout.splitlines():
        match = pattern.match(line)
        if match:
            index = int(match.group(1)) - first
            failures.setdefault(index, match.group(2)[:300])
        elif re.match(r"^\S+\(\d+,\d+\): error", line):
            other.append(line)
    if other and not failures:
        raise RuntimeError("tsc rejects the generated TypeScript itself: " + "; ".join(other[:3]))
    return failures


# ---------------------------------------------------------------- the run


def loc_of(error: dict) -> list:
    return list(error.get("loc") or [])


def check_document(document: str, corpus: Path, specgen: Path, package: Path, options, report: dict) -> None:
    entry = report["documents"][document]
    path = corpus / document
    raw = load_document(path)
    version = str(raw.get("openapi", "3.0"))
    schemas = component_schemas(raw)
    entry["schemas"] = len(schemas)
    if not schemas:
        entry["skipped_document"] = "no component schemas in the entry document"
        return
    depth = MAX_DEPTH.get(document, 1_000)
    converter = Converter(raw, version, depth)
    cut_words = "recursive" if depth >= 1_000 else f"recursive or nested deeper than {depth} components"
    names = sorted(schemas)
    if options.max_schemas:
        names = names[: options.max_schemas]
    plans = []  # (name, converted, instances, mutants)
    for index, name in enumerate(names):
        try:
            converted = converter.component(name)
            if converted is False:
                raise Unjudgeable(
                    f"{cut_words}: no instance without a cut" if name in converter.cut else "`false`: no instance is valid")
            validator_class = jsonschema.validators.validator_for({"$schema": "http://json-schema.org/draft-07/schema#"})
            validator = validator_class(converted, format_checker=jsonschema.FormatChecker())
            seed_value = options.seed + int(hashlib.sha256(f"{document}/{name}".encode()).hexdigest()[:8], 16)
            instances = generate_instances(converted, options.examples, seed_value, options.schema_seconds)
            instances = [i for i in instances if validator.is_valid(i)]
            # Mutants must be invalid with `oneOf` read as `anyOf`: the generator (like pydantic)
            # takes the first variant that validates and never checks that no other does, so an
            # instance invalid only because two variants match is no disagreement it could fix.
            relaxed = validator_class(one_of_as_any_of(converted), format_checker=jsonschema.FormatChecker())
            if None in instances:
                # A nullable component: each use site is optional (and is checked where a
                # property names it); the named type itself never holds null.
                instances = [i for i in instances if i is not None]
                entry["partial"][name] = "top-level null left out: named types never hold null, their use sites do"
            if not instances:
                raise Unjudgeable("no valid instance generated")
            mutants = []
            if name in converter.cut:
                entry["partial"][name] = f"{cut_words}: cut there (valid instances only), so mutants are not judged"
            for instance in instances[: max(1, options.mutated_from)] if name not in converter.cut else []:
                mutants += mutations(schemas[name], converted, instance, relaxed, options.mutations)
            plans.append((name, converted, instances, mutants))
        except Unjudgeable as reason:
            entry["skipped"][name] = str(reason)
        except RecursionError:
            entry["skipped"][name] = "schema too deeply nested to convert"
        if (index + 1) % 100 == 0:
            log(f"{document}: {index + 1}/{len(names)} schemas prepared")
    entry["covered"] = len(plans)
    generated = WORK / "generated" / target_name(document)
    target = target_name(document)
    if target in report["build_failures"]:
        entry["disagreements"].append({"schema": "*", "check": "compile", "detail": report["build_failures"][target]})
        return
    requests = []
    for name, converted, instances, mutants in plans:
        requests += [(name, i) for i in instances]
        requests += [(name, m[1]) for m in mutants]
    answers = run_driver(package, target, requests)
    literals = []
    position = 0
    for name, converted, instances, mutants in plans:
        for instance in instances:
            answer = answers[position]
            position += 1
            entry["instances"] += 1
            if not answer.get("known"):
                entry["disagreements"].append({"schema": name, "check": "entry", "detail": "no Swift entry point"})
                continue
            if "errors" not in answer:
                entry["partial"][name] = "check (a) skipped: the runtime's own type (FastAPI's error body), never read as input"
            elif answer["errors"]:
                error = answer["errors"][0]
                entry["disagreements"].append({
                    "schema": name, "check": "a: validator refuses a valid instance",
                    "detail": f"{error.get('type')} at {loc_of(error)}: {error.get('msg')}", "instance": instance})
            if not answer.get("decoded"):
                entry["disagreements"].append({
                    "schema": name, "check": "b: Codable cannot decode", "detail": answer.get("decodeError", "")[:300],
                    "instance": instance})
            elif not equal(converted, instance, answer.get("encoded")):
                entry["disagreements"].append({
                    "schema": name, "check": "b: re-encoded value differs",
                    "detail": f"at {list(LAST_DIFFERENCE[0])}: " + json.dumps(answer.get("encoded"))[:300],
                    "instance": instance})
            if answer.get("writerMismatch"):
                entry["disagreements"].append({
                    "schema": name, "check": "b: direct JSON writer differs from the encoder",
                    "detail": answer["writerMismatch"][:300], "instance": instance})
            literals.append((name, strip_undeclared(converted, instance), instance))
        for kind, mutant, place in mutants:
            answer = answers[position]
            position += 1
            entry["mutants"] += 1
            expected = ["body"] + place
            errors = answer.get("errors") or []
            if "errors" not in answer:
                entry["mutants"] -= 1
                continue
            if not errors:
                entry["disagreements"].append({
                    "schema": name, "check": f"a: {kind} accepted", "detail": f"expected an error at {expected}",
                    "instance": mutant})
            elif not any(loc_of(e)[: len(expected)] == expected for e in errors):
                entry["disagreements"].append({
                    "schema": name, "check": f"a: {kind} refused at the wrong loc",
                    "detail": f"expected {expected}, got {[loc_of(e) for e in errors][:3]}", "instance": mutant})
    if options.typescript:
        failures = type_check(generated, [(n, v) for n, v, _ in literals])
        for index, message in sorted(failures.items()):
            if 0 <= index < len(literals):
                name, value, instance = literals[index]
                entry["disagreements"].append({
                    "schema": name, "check": "c: tsc refuses the literal", "detail": message, "instance": value})


def expected_keys(path: Path) -> set[str]:
    """`Tests/Conformance/expected-disagreements.txt`: `<document> <schema> <check>` per line, then
    `# cause`; blank lines and comments aside."""
    keys = set()
    if not path.exists():
        return keys
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            keys.add(text)
    return keys


def key_of(document: str, disagreement: dict) -> str:
    return f"{document} {disagreement['schema']} {disagreement['check']}"


def write_report(report: dict, path: Path, command: str, seconds: float) -> None:
    lines = [
        "# Conformance",
        "",
        "Generated by `scripts/conformance.py` (see its docstring for what is checked). Command:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"{report['examples']} valid instances per schema (seed {report['seed']}), mutated invalid instances from "
        f"the first {report['mutated_from']} of them; {seconds:.0f}s in all. Integers are generated within 64 bits "
        f"(32 with `format: int32`) and `format: float` numbers within Float's range: JSON Schema sets no bound, "
        f"Swift's fixed-width types do. Mutants count as invalid only with `oneOf` read as `anyOf` (the first "
        f"variant that validates wins, as in pydantic; exclusivity is not checked).",
        "",
        "| document | schemas | covered | skipped | instances | mutants | disagreements |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = [0, 0, 0, 0, 0, 0]
    for document, entry in report["documents"].items():
        row = [entry["schemas"], entry["covered"], len(entry["skipped"]) + (entry["schemas"] if entry.get("skipped_document") else 0),
               entry["instances"], entry["mutants"], len(entry["disagreements"])]
        totals = [a + b for a, b in zip(totals, row)]
        lines.append(f"| {document} | " + " | ".join(str(v) for v in row) + " |")
    lines.append("| **total** | " + " | ".join(f"**{v}**" for v in totals) + " |")
    lines += ["", "## Skipped, with the reason", ""]
    for document, entry in report["documents"].items():
        if entry.get("skipped_document"):
            lines.append(f"- {document}: {entry['skipped_document']}")
        reasons: dict[str, list[str]] = {}
        for name, reason in entry["skipped"].items():
            general = re.sub(r"\(.*\)", "(…)", reason) if reason.startswith("recursive") else reason
            reasons.setdefault(general, []).append(name)
        for name, reason in entry["partial"].items():
            reasons.setdefault(reason, []).append(name)
        for reason, names in sorted(reasons.items(), key=lambda item: -len(item[1])):
            shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
            lines.append(f"- {document}: {len(names)} × {reason}: {shown}")
    lines += ["", "## Disagreements", ""]
    any_disagreement = False
    for document, entry in report["documents"].items():
        grouped: dict[str, list[dict]] = {}
        for item in entry["disagreements"]:
            grouped.setdefault(key_of(document, item), []).append(item)
        for key, items in sorted(grouped.items()):
            any_disagreement = True
            sample = items[0]
            instance = json.dumps(sample.get("instance"))[:200] if "instance" in sample else ""
            expected = " (expected)" if key in report["expected"] else ""
            lines.append(f"- `{key}`{expected} × {len(items)}: {sample['detail'][:200]}" + (f" — `{instance}`" if instance else ""))
    if not any_disagreement:
        lines.append("None.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report_command() -> str:
    """How the report was made: `make test-conformance` runs this through scripts/conformance.sh."""
    arguments = [a for a in sys.argv[1:]]
    return ("scripts/conformance.sh " + " ".join(arguments)).strip()


def main() -> int:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--documents", help="comma-separated corpus paths (all documents by default)")
    parser.add_argument("--short", action="store_true", help="the short form: small documents only")
    parser.add_argument("--examples", type=int, default=10, help="valid instances per schema")
    parser.add_argument("--mutated-from", type=int, default=2, help="instances per schema to mutate")
    parser.add_argument("--mutations", type=int, default=12, help="mutants per instance at most")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--schema-seconds", type=int, default=20, help="generation time limit per schema")
    parser.add_argument("--max-schemas", type=int, default=0, help="first N schemas per document (0: all)")
    parser.add_argument("--no-typescript", dest="typescript", action="store_false")
    parser.add_argument("--specgen", default=str(REPO / ".build" / "debug" / "specgen"))
    parser.add_argument("--report", help="write the Markdown report here (e.g. CONFORMANCE.md)")
    parser.add_argument("--json", help="write every disagreement as JSON here")
    parser.add_argument("--work", default=str(REPO / ".data" / "conformance"), help="scratch folder (generated code, the package, its build)")
    parser.add_argument("--expected", default=str(REPO / "Tests" / "Conformance" / "expected-disagreements.txt"))
    options = parser.parse_args()
    WORK = Path(options.work).resolve()
    sys.setrecursionlimit(20000)

    started = time.monotonic()
    corpus = Path(options.corpus)
    documents = options.documents.split(",") if options.documents else (SHORT_DOCUMENTS if options.short else ALL_DOCUMENTS)
    for document in documents:
        if not (corpus / document).exists():
            raise SystemExit(f"conformance: {corpus / document} does not exist (--corpus)")
    specgen = Path(options.specgen)
    if not specgen.exists():
        raise SystemExit(f"conformance: {specgen} does not exist; build it with `swift build --product specgen`")
    if options.typescript and not shutil.which("tsc"):
        raise SystemExit("conformance: tsc not found (Debian: apt-get install node-typescript; make deps does)")

    report = {"documents": {}, "build_failures": {}, "examples": options.examples, "seed": options.seed,
              "mutated_from": options.mutated_from, "expected": expected_keys(Path(options.expected))}
    targets = []
    for document in documents:
        report["documents"][document] = {"schemas": 0, "covered": 0, "skipped": {}, "instances": 0, "mutants": 0,
                                         "disagreements": [], "partial": {}}
        if not component_schemas(load_document(corpus / document)):
            report["documents"][document]["skipped_document"] = "no component schemas in the entry document"
            continue
        try:
            generate(document, corpus, specgen)
            targets.append(target_name(document))
        except Unjudgeable as reason:
            report["documents"][document]["skipped_document"] = str(reason)
    package = prepare_package(targets)
    for document in documents:
        if target_name(document) in targets:
            stage_swift(document, WORK / "generated" / target_name(document), package)
    report["build_failures"] = build_package(package, targets) if targets else {}
    for document in documents:
        if target_name(document) not in targets:
            continue
        start = time.monotonic()
        check_document(document, corpus, specgen, package, options, report)
        entry = report["documents"][document]
        log(f"{document}: {entry['covered']}/{entry['schemas']} schemas, {entry['instances']} instances, "
            f"{entry['mutants']} mutants, {len(entry['disagreements'])} disagreements ({time.monotonic() - start:.0f}s)")
        if options.report:
            write_report(report, Path(options.report), report_command(), time.monotonic() - started)
        if options.json:
            # Written after each document, so a long run can be read while it goes on.
            Path(options.json).write_text(json.dumps(
                {d: e["disagreements"] for d, e in report["documents"].items()}, indent=1, default=str), encoding="utf-8")

    seconds = time.monotonic() - started
    if options.report:
        write_report(report, Path(options.report), report_command(), seconds)
    if options.json:
        Path(options.json).write_text(json.dumps(
            {d: e["disagreements"] for d, e in report["documents"].items()}, indent=1, default=str), encoding="utf-8")
    new = []
    for document, entry in report["documents"].items():
        for item in entry["disagreements"]:
            if key_of(document, item) not in report["expected"]:
                new.append(key_of(document, item))
    total = sum(len(e["disagreements"]) for e in report["documents"].values())
    log(f"{total} disagreements, {len(set(new))} kinds not in {options.expected}; {seconds:.0f}s")
    for key in sorted(set(new))[:40]:
        log(f"  new: {key}")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
