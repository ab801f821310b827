#!/usr/bin/env bash
# The project's test command (README, and CI through .ci/run): formatting,
# lints with warnings as errors, then every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
