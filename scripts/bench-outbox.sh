#!/usr/bin/env bash
# The PostgreSQL outbox against its floors, in one run on a cluster of the
# script's own (Debian's postgresql): the typed writer against a plain
# prepared INSERT, and `evcat validate --postgres` against COPY ... TO STDOUT
# of the same table, on N distinct events of the project's catalog (default
# 100000). Prints rows/s of each and the ratios.
# Usage: scripts/bench-outbox.sh [EVENTS]
set -euo pipefail
events="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --quiet -p evcat-cli -p evcat-bench --bin evcat --example outbox_throughput \
  --manifest-path "$root/Cargo.toml"
cd "$root"
target/release/examples/outbox_throughput "$events" target/release/evcat
