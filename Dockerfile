# syntax=docker/dockerfile:1
# The example server in two stages: a Swift toolchain image builds a release
# binary with the Swift runtime linked in statically; a slim Debian image runs
# it with only the C libraries it links (libpq, hiredis, OpenSSL, libyaml,
# libcrypt, libargon2). `docker compose up` (compose.yaml) starts it with PostgreSQL and Redis.

FROM swift:6.3-bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      pkg-config libyaml-dev libpq-dev libhiredis-dev libssl-dev libcrypt-dev libargon2-dev python3 curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing a source file does not refetch packages.
COPY Package.swift ./
COPY Plugins ./Plugins
RUN swift package resolve
COPY Sources ./Sources
COPY Generated ./Generated
COPY Tests ./Tests
COPY spec ./spec
COPY scripts ./scripts
# scripts/release-build.sh: the Swift runtime linked in statically, the functions in a profile's
# order (less of the binary resident).
RUN bash scripts/release-build.sh --product server \
 && mkdir -p /staging/Generated /staging/spec \
 && cp "$(bash scripts/release-build.sh --show-bin-path)/server" /staging/ \
 && cp -R Generated/SQL Generated/openapi.json /staging/Generated/ \
 && cp spec/openapi.yaml /staging/spec/ \
 && bash scripts/docs-assets.sh /staging/docs-assets

FROM debian:bookworm-slim AS run
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libpq5 libhiredis0.14 libssl3 libyaml-0-2 libcrypt1 libargon2-1 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /app app
WORKDIR /app
COPY --from=build --chown=app /staging/ /app/
USER app
ENV DOCS_ASSETS_DIR=/app/docs-assets
EXPOSE 8000
# `serve` migrates before it listens (advisory lock: several replicas may start together)
# and creates FIRST_SUPERUSER when it does not exist.
ENTRYPOINT ["/app/server"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
