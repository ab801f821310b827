#!/usr/bin/env bash
# `evcat validate --kafka` against a bare consumer of the same client, in one
# run on one topic: N valid, distinct events of the project's catalog
# (default 1000000) on a tansu broker of the script's own. Prints events/s
# of each, the ratios, and evcat's resident memory along the run.
# Usage: scripts/bench-kafka.sh [EVENTS [WINDOW]]   (tansu on the PATH, or
# EVCAT_TANSU); WINDOW is evcat's --window (default 1000000).
set -euo pipefail
events="${1:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --quiet -p evcat-cli -p evcat-bench --bin evcat --example kafka_throughput \
  --manifest-path "$root/Cargo.toml"
cd "$root"
target/release/examples/kafka_throughput "$events" target/release/evcat "${2:-1000000}"
