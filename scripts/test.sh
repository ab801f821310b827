#!/usr/bin/env bash
# The project's test command (README, and CI through .ci/run): installs the
# pinned consumer tools (tsc, AJV, zod, the AsyncAPI parser, playwright-core,
# python-jsonschema), Debian's chromium, postgresql and libxml2-utils
# (xmllint) and the tansu broker
# when missing, then formatting, lints with warnings as errors, and every
# test of the workspace (cargo-nextest, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
# Debian's chromium for the page's browser test, and its postgresql for the
# outbox's tests (each makes a cluster of its own with initdb).
missing=()
if [ -z "${EVCAT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
  missing+=(chromium)
fi
if [ -z "${EVCAT_PG_BINDIR:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
# xmllint validates the JUnit reports against a published JUnit XSD.
if ! command -v xmllint >/dev/null; then
  missing+=(libxml2-utils)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A Kafka-protocol broker for `evcat validate --kafka`'s tests, built once
# (about 11 minutes on 2 cores) and kept in cargo's bin folder.
if ! command -v tansu >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tansu" ]; then
  cargo install tansu --version 0.6.0 --features dynostore --locked
fi
python3 -m venv target/pyenv
target/pyenv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
cargo fmt --all --check
# librdkafka (the Kafka client's C library, built from source in clippy's
# run and reused by the test build) is the last thing clippy's run waits
# for; unoptimized it builds in half the time (63 s of CPU → 30 s), and the
# tests exchange only a few thousand records with it. Its build script
# passes plain CFLAGS to its configure script. The `cc` crate adds
# CFLAGS_<target> after CFLAGS: -O2, the level the dev profile gives
# dependencies, keeps the C compiled through it optimized (mimalloc, which
# the byte mutations allocate with). The flags stay the same for the whole
# command: a change makes cc's build scripts, and librdkafka's after them,
# run again.
host=$(rustc -vV | sed -n 's/^host: //p')
target_cflags="CFLAGS_${host//-/_}"
export "$target_cflags=${!target_cflags--O2}"
export CFLAGS="${CFLAGS:-} -O0 -g0"
# Clippy checks every target, the examples and benchmarks among them. The
# `evcat` it builds for build.rs is unoptimized: clippy's copy is its own
# (clippy-driver compiles it), nothing runs it but the root crate's build.rs,
# and optimizing it took half a minute.
cargo clippy --workspace --all-targets --locked \
  --config 'profile.dev.package.evcat.opt-level=0' -- -D warnings
# cargo-nextest runs the test binaries side by side (cargo test runs them one
# after another, each waiting for its slowest test); the machine has it, and
# it is installed at a pinned version where it is missing. The benchmarks'
# package is left out: criterion would enter the build (see bench/src/lib.rs).
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --version 0.9.143 --locked
fi
cargo nextest run --workspace --exclude evcat-bench --locked --lib --bins --tests
cargo test --workspace --exclude evcat-bench --locked --doc
