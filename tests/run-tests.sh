#!/usr/bin/env bash
# `make test`: start one real API server for the whole run, run every test of the workspace
# against it, stop it and check that nothing is left running. With $VITISTACK_TEST_KUBECONFIG
# set, tests use that cluster instead and no server is started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# tests/downstream: a user's crate in a workspace of its own (own Cargo.lock), run after ours
# against the same server; it shares target/ so that common dependencies are built once.
downstream() {
  local status=0
  CARGO_TARGET_DIR=$PWD/target cargo test --locked --no-fail-fast --manifest-path tests/downstream/Cargo.toml || status=$?
  downstream_tls || status=$?
  return "$status"
}

# tests/downstream-tls: a user's crate on kube's OpenSSL backend (the TLS backend is the user's
# choice). openssl-sys needs the system's OpenSSL headers and pkg-config: installed with apt
# when missing.
openssl_packages() {
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openssl; then return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: tests/downstream-tls needs libssl-dev and pkg-config (no apt-get here)" >&2
    return 1
  fi
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends libssl-dev pkg-config \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends libssl-dev pkg-config; }
}

downstream_tls() {
  openssl_packages || return 1
  CARGO_TARGET_DIR=$PWD/target cargo test --locked --no-fail-fast --manifest-path tests/downstream-tls/Cargo.toml
}

# The fuzz targets' seed corpora as an ordinary test (fuzz/src/seeds.rs; the fuzz crate is a
# workspace of its own, built into target/ too; no server needed). Only the library: building
# the target binaries would link libFuzzer.
fuzz_seeds() {
  CARGO_TARGET_DIR=$PWD/target cargo test --locked --manifest-path fuzz/Cargo.toml --lib
}

if [ -n "${VITISTACK_TEST_KUBECONFIG:-}" ]; then
  status=0
  cargo test --locked --no-fail-fast --workspace "$@" || status=$?
  downstream || status=$?
  fuzz_seeds || status=$?
  exit "$status"
fi

dir=$PWD/target/apiserver-test
bash tests/apiserver/stop.sh "$dir" >/dev/null 2>&1 || true
rm -rf "$dir"
t0=$SECONDS
bash tests/apiserver/start.sh "$dir" "$$"
echo "run-tests: API server ready after $((SECONDS - t0)) s (including any build)" >&2
trap 'bash tests/apiserver/stop.sh "$dir" >/dev/null 2>&1 || true' EXIT
export VITISTACK_TEST_APISERVER_DIR=$dir

status=0
cargo test --locked --no-fail-fast --workspace "$@" || status=$?
downstream || status=$?
fuzz_seeds || status=$?

pid=$(cat "$dir/pid")
bash tests/apiserver/stop.sh "$dir"
if [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
  echo "run-tests: the API server (pid $pid) is still running after stop.sh" >&2
  status=1
fi
exit "$status"
