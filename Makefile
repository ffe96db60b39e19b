# One entry point for people and CI. `make test` and `make run` install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT ?= swift
SPEC ?= spec/openapi.yaml
CORPUS ?= $(abspath ../shared/corpus)
RELEASE_BIN := .build/release
# The Swift swift-format checks: everything but generated code (Tests/ServerRuntimeTests/Generated and
# Scaffolded, Tests/PostgresTests/Generated are what specgen writes for fixture specs, compared byte
# for byte, so they must not be reformatted).
FORMAT_PATHS = Package.swift Sources $$(find Tests -name '*.swift' -not -path 'Tests/ServerRuntimeTests/Generated/*' -not -path 'Tests/ServerRuntimeTests/Scaffolded/*' -not -path 'Tests/PostgresTests/Generated/*')
DEBUG_BIN := .build/debug

# Debian packages the build, the tests and the services need (python3-venv: fuzz-api's schemathesis).
APT_PACKAGES := pkg-config libyaml-dev libpq-dev libhiredis-dev libssl-dev libcrypt-dev libargon2-dev \
	postgresql redis-server node-typescript python3 python3-venv

.PHONY: help fuzz-api fuzz-spec hooks deps docs-assets build test test-browser test-conformance test-corpus test-walkthrough run generate lint format format-check bench services services-stop clean

help:
	@echo "make test      install what is missing, start PostgreSQL and Redis, build, run every test"
	@echo "make run       install what is missing, regenerate Generated/, start PostgreSQL and Redis, serve on 127.0.0.1:8000 (/docs)"
	@echo "make generate  specgen generate: Generated/ from $(SPEC)"
	@echo "make test-browser  /docs and /redoc in headless Chromium (installs it); screenshots in artifacts/browser/"
	@echo "make test-corpus  also compile and type-check the code generated for the large corpus documents"
	@echo "make test-walkthrough  README's add-a-field-and-a-resource walk in a scratch copy (part of make test)"
	@echo "make test-conformance  instances of every corpus schema against the generated validator, Codable and TypeScript"
	@echo "make lint      specgen lint on $(SPEC)"
	@echo "make format    swift format, in place (format-check: lint only)"
	@echo "make fuzz-spec libFuzzer over the spec loader and generation (FUZZ_SECONDS=600)"
	@echo "make fuzz-api  schemathesis, every check, against the example server (FUZZ_API_EXAMPLES=100 per operation)"
	@echo "make hooks     git pre-commit hook: swift format lint and specgen generate --check"
	@echo "make bench     release build, benchmarks written to BENCHMARKS.md"
	@echo "make services  start PostgreSQL and Redis under .data/; services-stop stops them"

# Installs only when a package is missing, so a warm machine pays nothing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

services: deps
	@bash scripts/services.sh start postgres redis

services-stop:
	@bash scripts/services.sh stop postgres redis

test: deps services
	$(SWIFT) build --product server
	bash scripts/smtp-test-venv.sh
	set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	SPECGEN_CORPUS=$(CORPUS) $(SWIFT) test
	$(DEBUG_BIN)/specgen lint --strict --spec $(SPEC)
	$(DEBUG_BIN)/specgen generate --spec $(SPEC) --check
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)
	FUZZ_API_EXAMPLES=10 FUZZ_API_SEED=1 bash scripts/fuzz-api.sh
	SPECGEN_CORPUS=$(CORPUS) SPECGEN_BIN=$(DEBUG_BIN)/specgen bash scripts/conformance.sh $(CONFORMANCE_SHORT)
	SPECGEN_BIN=$(DEBUG_BIN)/specgen SERVER_BIN=$(DEBUG_BIN)/server bash scripts/walkthrough.sh

# The conformance harness's short form: the small documents, few instances, a fixed seed; it
# fails only on disagreements not listed in Tests/Conformance/expected-disagreements.txt.
CONFORMANCE_SHORT := --short --examples 5 --mutated-from 1 --seed 1

# The whole corpus (Stripe and Box too), 10 instances per schema; writes CONFORMANCE.md (about
# half an hour on two cores, most of it hypothesis generating Box's and Stripe's large instances).
test-conformance: deps
	SPECGEN_CORPUS=$(CORPUS) bash scripts/conformance.sh --report CONFORMANCE.md --json .data/conformance/disagreements.json

# README's "Change the API" in a scratch copy: a field and a tags resource added to the spec,
# generated, the hand-written lines counted (at most 40), built, migrated over rows, checked over
# HTTP and with schemathesis. Its build folder (.build-walkthrough) is kept between runs.
test-walkthrough: deps
	bash scripts/walkthrough.sh

# schemathesis (pinned, from PyPI, in .data/venv-schemathesis) with every check against the example
# server on private PostgreSQL and Redis; `make test` runs it short (10 examples, a fixed seed).
fuzz-api: deps
	bash scripts/fuzz-api.sh

# /docs and /redoc in headless Chromium over the DevTools protocol: every operation listed, the
# Authorize dialog's password flow, Try it out, no CDN. Own PostgreSQL, Redis and server; installs
# Debian's chromium when missing. SERVER_BIN=path skips the build.
test-browser: deps
	bash scripts/browser-test.sh

# The whole corpus: every document's Swift compiled and TypeScript type-checked (slow).
test-corpus: deps services
	set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	SPECGEN_CORPUS=$(CORPUS) SPECGEN_CORPUS_FULL=1 $(SWIFT) test --filter "TypeScriptTypeCheck|SwiftCompile|Corpus"

# Only specgen is built, so a spec edit that breaks Sources/App never blocks regeneration.
generate: deps
	$(SWIFT) build --product specgen
	$(DEBUG_BIN)/specgen generate --spec $(SPEC)

# Swagger UI and ReDoc from a pinned PyPI wheel, so /docs works offline (CDN otherwise).
docs-assets:
	@bash scripts/docs-assets.sh

run: deps docs-assets
	@# Taken ports fail now, not after the server's build.
	@if [ -z "$$DATABASE_URL" ]; then bash scripts/services.sh preflight postgres; fi
	@if [ -z "$$REDIS_URL" ]; then bash scripts/services.sh preflight redis; fi
	$(SWIFT) build --product specgen
	$(DEBUG_BIN)/specgen lint --spec $(SPEC)
	$(DEBUG_BIN)/specgen generate --spec $(SPEC)
	$(SWIFT) build --product server
	bash scripts/run.sh

lint: deps
	$(SWIFT) build --product specgen
	$(DEBUG_BIN)/specgen lint --spec $(SPEC)

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

format-check:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

# libFuzzer over the spec loader and generation (FUZZ_SECONDS, 600 by default).
fuzz-spec:
	bash scripts/fuzz-spec.sh

# A pre-commit hook: swift format lint on the staged Swift files and a stale Generated/ check.
hooks:
	@install -m 755 scripts/pre-commit .git/hooks/pre-commit
	@echo "installed .git/hooks/pre-commit (swift format lint, specgen generate --check)"

bench: deps
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product specgen
	@mkdir -p .data && cp BENCHMARKS.md .data/BENCHMARKS.previous.md 2>/dev/null || true
	BENCH_PREVIOUS=.data/BENCHMARKS.previous.md bash scripts/bench.sh > .data/BENCHMARKS.new.md
	mv .data/BENCHMARKS.new.md BENCHMARKS.md
	@cat BENCHMARKS.md

clean:
	rm -rf .build
