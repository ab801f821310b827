#!/usr/bin/env bash
# Issue 18's comparisons, side by side in one run, on one synthetic catalog
# (`synthetic N DIR strings`: families of ten, three to seven string fields
# per event, a third optional, no enums, four prose bullets):
#
# 1. The edit-build loop at EVENTS events: a crate made by `evcat init`
#    with the synthetic catalog, `touch contracts/catalog.md && cargo build`
#    (debug, dependencies built), against `touch src/lib.rs && cargo build`
#    of a crate whose lib.rs is cargo-typify 0.8's output for the same
#    payloads, as it writes it by default (with builders) and with
#    `--no-builder` (the smaller output, the stricter anchor). Best of three
#    each.
# 2. Generation: `evcat generate` at EVENTS and 10 × EVENTS (the growth), and
#    cargo-typify at 10 × EVENTS; wall time and peak memory (GNU time).
#
# Usage: scripts/bench-compile.sh [EVENTS] (default 1000). The crates and
# their target folder stay in target/bench-compile, so a second run skips
# building dependencies. cargo-typify is installed into target/bench-tools
# (not a project dependency).
set -euo pipefail
events="${1:-1000}"
large=$((events * 10))
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/bench-tools"
bench="$root/target/bench-compile"
export CARGO_TARGET_DIR="$bench/target"
mkdir -p "$bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$tools/bin/cargo-typify" ]; then
  echo "installing cargo-typify 0.8 into $tools (once)…" >&2
  cargo install cargo-typify --version '^0.8' --locked --root "$tools" >&2
fi
CARGO_TARGET_DIR="$root/target" cargo build --release --quiet -p evcat-cli -p evcat-bench --bin evcat --example synthetic \
  --manifest-path "$root/Cargo.toml"
evcat="$root/target/release/evcat"
synthetic="$root/target/release/examples/synthetic"
"$synthetic" "$events" "$work/small" strings
"$synthetic" "$large" "$work/large" strings

# The evcat crate, as a user gets it from `evcat init`, with the synthetic
# catalog instead of the starter one.
crate="$bench/evcat-$events"
rm -rf "$crate"
"$evcat" init "$crate" --name "bench-events" --evcat-path "$root" > /dev/null
rm -rf "$crate/contracts/examples" "$crate/tests"
cp "$work/small/catalog.md" "$work/small/data-model.md" "$work/small/envelope.schema.json" "$crate/contracts/"
printf '\n[workspace]\n' >> "$crate/Cargo.toml"

# The typify crates: its output as lib.rs, with the dependencies it names.
typify_crate() {
  local dir="$1"; shift
  rm -rf "$dir"
  mkdir -p "$dir/src"
  "$tools/bin/cargo-typify" typify "$@" "$work/small/events.schema.json" -o "$dir/src/lib.rs"
  cat > "$dir/Cargo.toml" <<'TOML'
[package]
name = "bench-typify"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
TOML
  cargo build --quiet --manifest-path "$dir/Cargo.toml" 2> "$work/typify-build.log" || { cat "$work/typify-build.log" >&2; exit 1; }
}
typify_builders="$bench/typify-$events"
typify_plain="$bench/typify-plain-$events"
typify_crate "$typify_builders"
typify_crate "$typify_plain" --no-builder

# Dependencies (and the crate once) first, untimed.
cargo build --quiet --manifest-path "$crate/Cargo.toml" 2> "$work/evcat-build.log" || { cat "$work/evcat-build.log" >&2; exit 1; }

# Best of three of `touch FILE && cargo build`, in seconds.
loop() {
  local manifest="$1" touched="$2" best=""
  for _ in 1 2 3; do
    touch "$touched"
    local start end
    start=$(date +%s%N)
    cargo build --quiet --manifest-path "$manifest" 2> /dev/null
    end=$(date +%s%N)
    best=$(awk -v t="$(( end - start ))" -v b="$best" 'BEGIN { t /= 1e9; print (b == "" || t < b) ? t : b }')
  done
  echo "$best"
}
evcat_loop=$(loop "$crate/Cargo.toml" "$crate/contracts/catalog.md")
builders_loop=$(loop "$typify_builders/Cargo.toml" "$typify_builders/src/lib.rs")
plain_loop=$(loop "$typify_plain/Cargo.toml" "$typify_plain/src/lib.rs")
evcat_lines=$(cat "$crate"/generated/rust/*.rs | wc -l)
builders_lines=$(wc -l < "$typify_builders/src/lib.rs")
plain_lines=$(wc -l < "$typify_plain/src/lib.rs")

# GNU time's -f: elapsed seconds and maximum resident set size in KiB.
measure() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" > /dev/null
  cat "$work/$label.time"
}
read -r small_s small_kib < <(measure small "$evcat" generate --catalog "$work/small/catalog.md" --out "$work/small-out")
read -r large_s large_kib < <(measure large "$evcat" generate --catalog "$work/large/catalog.md" --out "$work/large-out")
read -r typify_s typify_kib < <(measure typify "$tools/bin/cargo-typify" typify "$work/large/events.schema.json" -o "$work/typify.rs")

awk -v n="$events" -v l="$large" -v el="$evcat_loop" -v bl="$builders_loop" -v pl="$plain_loop" \
    -v elines="$evcat_lines" -v blines="$builders_lines" -v plines="$plain_lines" \
    -v ss="$small_s" -v sk="$small_kib" -v ls="$large_s" -v lk="$large_kib" \
    -v ts="$typify_s" -v tk="$typify_kib" 'BEGIN {
  printf "edit-build loop, %d events (debug, best of three):\n", n
  printf "  evcat crate (touch catalog.md: build script + crate): %6.2f s  (%d lines of Rust)\n", el, elines
  printf "  typify crate, default (builders):                      %6.2f s  (%d lines of Rust)\n", bl, blines
  printf "  typify crate, --no-builder:                            %6.2f s  (%d lines of Rust)\n", pl, plines
  printf "  evcat / typify: %.3f (default), %.3f (--no-builder)\n", el / bl, el / pl
  printf "generation:\n"
  printf "  evcat generate, %6d events: %7.2f s  %7.1f MiB\n", n, ss, sk / 1024
  printf "  evcat generate, %6d events: %7.2f s  %7.1f MiB\n", l, ls, lk / 1024
  printf "  cargo-typify,   %6d events: %7.2f s  %7.1f MiB\n", l, ts, tk / 1024
  printf "  evcat / typify at %d: time %.3f, memory %.3f\n", l, ls / ts, lk / tk
  printf "  evcat growth from %d to %d events: %.1fx\n", n, l, ls / ss
}'
