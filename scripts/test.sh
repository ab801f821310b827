#!/usr/bin/env bash
# The project's test command (README, and CI through .ci/run): installs the
# pinned consumer tools (tsc, AJV, zod, the AsyncAPI parser, playwright-core,
# python-jsonschema) and Debian's chromium when it is missing, then
# formatting, lints with warnings as errors, and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
if [ -z "${EVCAT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv target/pyenv
target/pyenv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
cargo fmt --all --check
# Clippy checks every target, the examples and benchmarks among them; the
# tests build only what they run (examples are built by plain `cargo test`).
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked --lib --bins --tests
cargo test --workspace --locked --doc
