#!/usr/bin/env bash
# evcat validate against its baselines, in one run on one stream: N valid,
# distinct envelopes of the project's catalog (default 300000). Prints wall
# time (best of ten) and peak memory of each and the ratios the validation issue asks for.
# Usage: scripts/bench-validate.sh [EVENTS]
set -euo pipefail
events="${1:-300000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet -p evcat-cli -p evcat-bench --bin evcat --example stream_baselines --manifest-path "$root/Cargo.toml"
baselines="$root/target/release/examples/stream_baselines"
cd "$root"
"$baselines" make contracts/catalog.md "$events" "$work/stream.ndjson"

# Best of ten runs of each: the machines we share are noisy, and the
# fastest run is the one least disturbed by others (the tables make evcat's
# runs more sensitive to a busy host than the floor's). Wall time in seconds
# to the millisecond (`time`'s own is to the hundredth), peak memory in KiB.
measure() {
  local label="$1"; shift
  for run in 1 2 3 4 5 6 7 8 9 10; do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/$label.$run.kib" "$@" > /dev/null || true
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(tail -n 1 "$work/$label.$run.kib")" > "$work/$label.$run.time"
  done
  sort -n "$work/$label".*.time | head -n 1 | awk '{ printf "%.3f %s\n", $1 / 1000, $2 }'
}
read -r floor_s floor_kib < <(measure floor "$baselines" parse "$work/stream.ndjson")
read -r value_s value_kib < <(measure value "$baselines" value "$work/stream.ndjson")
read -r schema_s schema_kib < <(measure jsonschema "$baselines" jsonschema generated/schemas/events.schema.json "$work/stream.ndjson")
read -r evcat_s evcat_kib < <(measure evcat target/release/evcat validate --catalog contracts/catalog.md "$work/stream.ndjson")

awk -v n="$events" -v fs="$floor_s" -v fk="$floor_kib" -v vs="$value_s" -v vk="$value_kib" -v ss="$schema_s" -v sk="$schema_kib" -v es="$evcat_s" -v ek="$evcat_kib" 'BEGIN {
  printf "envelopes: %d\n", n
  printf "parse-only floor (serde_json, IgnoredAny):      %6.3f s  %7.1f MiB\n", fs, fk / 1024
  printf "serde_json Value trees:                         %6.3f s  %7.1f MiB\n", vs, vk / 1024
  printf "jsonschema-rs against events.schema.json:       %6.3f s  %7.1f MiB\n", ss, sk / 1024
  printf "evcat validate:                                 %6.3f s  %7.1f MiB\n", es, ek / 1024
  printf "jsonschema-rs / evcat: %.1fx   evcat / floor: %.2fx\n", ss / es, es / fs
}'
