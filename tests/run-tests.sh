#!/usr/bin/env bash
# `make test`: start one real API server for the whole run, run every test of the workspace
# against it, stop it and check that nothing is left running. With $VITISTACK_TEST_KUBECONFIG
# set, tests use that cluster instead and no server is started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# tests/downstream: a user's crate in a workspace of its own (own Cargo.lock), run after ours
# against the same server; it shares target/ so that common dependencies are built once.
downstream() {
  CARGO_TARGET_DIR=$PWD/target cargo test --locked --manifest-path tests/downstream/Cargo.toml
}

# The fuzz targets' seed corpora as an ordinary test (fuzz/src/seeds.rs; the fuzz crate is a
# workspace of its own, built into target/ too; no server needed). Only the library: building
# the target binaries would link libFuzzer.
fuzz_seeds() {
  CARGO_TARGET_DIR=$PWD/target cargo test --locked --manifest-path fuzz/Cargo.toml --lib
}

if [ -n "${VITISTACK_TEST_KUBECONFIG:-}" ]; then
  status=0
  cargo test --locked --workspace "$@" || status=$?
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
cargo test --locked --workspace "$@" || status=$?
downstream || status=$?
fuzz_seeds || status=$?

pid=$(cat "$dir/pid")
bash tests/apiserver/stop.sh "$dir"
if [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
  echo "run-tests: the API server (pid $pid) is still running after stop.sh" >&2
  status=1
fi
exit "$status"
