#!/usr/bin/env bash
# Clean build time of vitistack-types without the `client` feature (what a types-only user
# compiles), in a fresh target directory: the dev profile, then release. Prints one line.
# Builds run under `nice -n 10` (the machine is shared), so on a busy machine they read long.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CARGO=${CARGO:-cargo}
dir=target/bench/build-time
seconds() { # seconds PROFILE_ARGS...: wall seconds of a clean build
    rm -rf "$dir"
    local start end
    start=$(date +%s%N)
    CARGO_TARGET_DIR=$dir nice -n 10 "$CARGO" build --quiet --locked -p vitistack-types "$@"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}
dev=$(seconds)
release=$(seconds --release)
rm -rf "$dir"
echo "clean build of vitistack-types (no client feature, $(nproc) cores): dev ${dev} s, release ${release} s"
