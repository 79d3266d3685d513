#!/usr/bin/env bash
# `make test`: start one real API server for the whole run, run every test of the workspace
# against it, stop it. With $VITISTACK_TEST_KUBECONFIG set, tests use that cluster instead and
# no server is started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${VITISTACK_TEST_KUBECONFIG:-}" ]; then
  dir=$PWD/target/apiserver-test
  bash tests/apiserver/stop.sh "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
  t0=$SECONDS
  bash tests/apiserver/start.sh "$dir" "$$"
  echo "run-tests: API server ready in $((SECONDS - t0)) s" >&2
  trap 'bash tests/apiserver/stop.sh "$dir" >/dev/null' EXIT
  export VITISTACK_TEST_APISERVER_DIR=$dir
fi

cargo test --locked --workspace "$@"
