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
# The tests build only what they run (plain `cargo test` builds the examples
# too; clippy checks every target, the examples and benchmarks among them).
cargo test --workspace --locked --lib --bins --tests --no-run
# Clippy runs beside the tests, in a target folder of its own so neither
# waits for the other's lock: the tests' node, Python and Chromium processes
# leave a core idle much of the time. Its report follows the tests'.
mkdir -p target
CARGO_TARGET_DIR=target/clippy cargo clippy --workspace --all-targets --locked -- -D warnings \
  > target/clippy.log 2>&1 &
clippy=$!
status=0
cargo test --workspace --locked --lib --bins --tests || status=$?
cargo test --workspace --locked --doc || status=$?
clippy_status=0
wait "$clippy" || clippy_status=$?
cat target/clippy.log
if [ "$clippy_status" != 0 ]; then
  echo "clippy failed (exit $clippy_status)" >&2
  status=1
fi
exit "$status"
