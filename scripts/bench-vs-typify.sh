#!/usr/bin/env bash
# Side by side on one machine, in one run: evcat's whole pipeline on a
# synthetic catalog of N events versus cargo-typify 0.8 turning the
# equivalent JSON Schema into Rust. Prints wall time and peak memory of each
# and their ratios. Usage: scripts/bench-vs-typify.sh [EVENTS] (default 10000).
#
# cargo-typify is installed into target/bench-tools (not a project dependency).
set -euo pipefail
events="${1:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/bench-tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$tools/bin/cargo-typify" ]; then
  echo "installing cargo-typify 0.8 into $tools (once)…" >&2
  cargo install cargo-typify --version '^0.8' --locked --root "$tools" >&2
fi
cargo build --release --quiet -p evcat --bin evcat --example synthetic --manifest-path "$root/Cargo.toml"
"$root/target/release/examples/synthetic" "$events" "$work"

# GNU time's -f: elapsed seconds and maximum resident set size in KiB.
measure() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" > /dev/null
  read -r seconds kib < "$work/$label.time"
  echo "$seconds $kib"
}

read -r evcat_s evcat_kib < <(measure evcat "$root/target/release/evcat" generate --catalog "$work/catalog.md" --out "$work/evcat-out")
read -r typify_s typify_kib < <(measure typify "$tools/bin/cargo-typify" typify "$work/events.schema.json" -o "$work/typify.rs")

awk -v n="$events" -v es="$evcat_s" -v ek="$evcat_kib" -v ts="$typify_s" -v tk="$typify_kib" 'BEGIN {
  printf "events: %d\n", n
  printf "evcat generate (all four outputs):     %6.2f s  %7.1f MiB\n", es, ek / 1024
  printf "cargo-typify (JSON Schema -> Rust):    %6.2f s  %7.1f MiB\n", ts, tk / 1024
  printf "evcat / typify: time %.3f, memory %.3f\n", es / ts, ek / tk
}'
