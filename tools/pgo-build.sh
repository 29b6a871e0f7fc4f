#!/usr/bin/env bash
# Profile-guided optimisation (PGO) build of the shieldnet binary, for long campaigns.
#
#   rustup component add llvm-tools      # once: provides llvm-profdata for the toolchain in use
#   tools/pgo-build.sh [SCENARIO.toml]   # about 2 × the `fast` build time (two builds, one training)
#   target/pgo/shieldnet campaign --runs 10000 --no-plots --out DIR
#
# Builds an instrumented binary (profile `fast`, mimalloc), trains it on a short campaign of the given
# scenario (default: the built-in one), merges the profile and rebuilds with it. Results are the same as
# any other build's (same code, same floating-point operations; only code layout and inlining change).
# Each build has its own target directory under target/pgo, so the usual builds are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
profdata="$(find "$(rustc --print sysroot)" -name llvm-profdata -type f 2>/dev/null | head -n 1)"
if [ -z "$profdata" ]; then
    echo "pgo-build: llvm-profdata not found in the Rust toolchain; run: rustup component add llvm-tools" >&2
    exit 2
fi
work="$PWD/target/pgo"
rm -rf "$work/data" "$work/training"
mkdir -p "$work/data"
echo "pgo-build: 1/3 instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$work/data" CARGO_TARGET_DIR="$work/gen" \
    cargo build --profile fast -p shieldnet --features mimalloc
echo "pgo-build: 2/3 training campaign" >&2
"$work/gen/fast/shieldnet" campaign ${1:+"$1"} --runs "${PGO_TRAINING_RUNS:-24}" --no-plots \
    --out "$work/training" >/dev/null
"$profdata" merge -o "$work/merged.profdata" "$work/data"
echo "pgo-build: 3/3 optimised build" >&2
RUSTFLAGS="-Cprofile-use=$work/merged.profdata" CARGO_TARGET_DIR="$work/use" \
    cargo build --profile fast -p shieldnet --features mimalloc
cp "$work/use/fast/shieldnet" "$work/shieldnet"
echo "pgo-build: built $work/shieldnet" >&2
