#!/usr/bin/env bash
# Start a real Kubernetes API server in the background, with its state under DIR: test-apiserver,
# an embedded etcd plus the kube-apiserver of k8s.io/kubernetes in one process (what envtest runs).
#
#   tests/apiserver/start.sh DIR [PARENT_PID]
#
# Builds <repo>/target/test-apiserver first if it is missing or older than any
# tests/apiserver/{*.go,go.mod,go.sum} (needs Go >= 1.26; the first build takes a few minutes).
# Picks free ports on 127.0.0.1, so several servers can run at once (one per DIR).
# Exits 0 once /readyz is OK, with DIR/kubeconfig (written atomically, only when ready),
# DIR/pid and DIR/server.log in place. On failure exits non-zero and prints the log tail.
# With PARENT_PID (or $TEST_APISERVER_PARENT_PID) the server shuts itself down when that
# process exits. Stop it with tests/apiserver/stop.sh DIR.
#
# Environment: TEST_APISERVER_START_TIMEOUT (seconds, default 90), GO (go binary, default `go`),
# TEST_APISERVER_FLAGS (extra kube-apiserver flags, split on spaces, e.g. `--watch-cache=false`),
# TEST_APISERVER_KEEP_STATE=1 (restartable: reuse DIR's CA, certificates, etcd data and port from
# an earlier such start, and keep the etcd data when stopped; see restart.sh).
set -euo pipefail

usage() { echo "usage: $0 DIR [PARENT_PID]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] && [ -n "$1" ] || usage

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$repo/target/test-apiserver
timeout=${TEST_APISERVER_START_TIMEOUT:-90}
parent=${2:-${TEST_APISERVER_PARENT_PID:-}}
if [ -n "$parent" ] && ! [[ $parent =~ ^[0-9]+$ ]]; then
  echo "start.sh: PARENT_PID must be a number, got '$parent'" >&2
  exit 2
fi

mkdir -p "$1"
dir=$(cd "$1" && pwd)

alive() { # pid exists and is not a zombie
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

if [ -s "$dir/pid" ] && alive "$(cat "$dir/pid")" &&
   tr '\0' ' ' <"/proc/$(cat "$dir/pid")/cmdline" 2>/dev/null | grep -q test-apiserver; then
  echo "start.sh: a test-apiserver (pid $(cat "$dir/pid")) is already running in $dir; stop it with $here/stop.sh $dir" >&2
  exit 1
fi

# ---- build (if missing or stale) -------------------------------------------------------------
stale() {
  [ -x "$bin" ] || return 0
  [ -n "$(find "$here" -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$bin" -print -quit)" ]
}

build() {
  local go=${GO:-go}
  if ! command -v "$go" >/dev/null 2>&1; then
    if [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; else
      echo "start.sh: Go is not installed (no 'go' on PATH). The test API server is built from" >&2
      echo "  tests/apiserver with Go 1.26 or newer: install it from https://go.dev/dl/ (or a distro" >&2
      echo "  package if it is new enough, e.g. 'apt-get install golang'), then re-run." >&2
      exit 1
    fi
  fi
  local v
  v=$("$go" env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  if [ -z "$v" ] || [ "${v% *}" -lt 1 ] || { [ "${v% *}" -eq 1 ] && [ "${v#* }" -lt 26 ]; }; then
    echo "start.sh: Go 1.26 or newer is needed to build tests/apiserver, found: $("$go" version 2>&1)." >&2
    echo "  Install Go 1.26+ from https://go.dev/dl/ (or 'apt-get install golang' if your distro's is new enough)." >&2
    exit 1
  fi
  # /version reports the release of the k8s.io/kubernetes module (v1.X.Y), as a release build does.
  local minor patch ldflags tmp
  read -r minor patch < <(sed -n 's/^[[:space:]]*k8s.io\/kubernetes v1\.\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' "$here/go.mod")
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v1.$minor.$patch"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  mkdir -p "$(dirname "$bin")"
  tmp="$bin.tmp.$$"
  echo "start.sh: building $bin (the first build takes about 4 minutes and 2 GB of memory)..." >&2
  local t0=$SECONDS
  if ! (cd "$here" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
        nice -n 10 "$go" build -trimpath -ldflags "$ldflags" -o "$tmp" .) >&2; then
    rm -f "$tmp"
    echo "start.sh: building test-apiserver failed" >&2
    exit 1
  fi
  mv -f "$tmp" "$bin" # atomic: running servers keep their (old) inode
  echo "start.sh: built in $((SECONDS - t0))s" >&2
}

if stale; then
  mkdir -p "$(dirname "$bin")"
  exec 9>"$bin.lock"
  flock 9 # concurrent start.sh calls (e.g. parallel test processes) build once
  if stale; then build; fi
  flock -u 9
  exec 9>&-
fi

# ---- start ----------------------------------------------------------------------------------
rm -f "$dir/kubeconfig" "$dir/pid"
args=(-dir "$dir")
[ -n "$parent" ] && args+=(-parent-pid "$parent")
[ "${TEST_APISERVER_KEEP_STATE:-}" = 1 ] && args+=(-keep-state)
if [ -n "${TEST_APISERVER_FLAGS:-}" ]; then
  read -r -a extra <<<"$TEST_APISERVER_FLAGS"
  args+=(-- "${extra[@]}")
fi
# setsid: own session and process group (pgid = pid), no controlling terminal; all fds
# redirected so that callers capturing this script's output do not wait for the server.
# (A background job of a non-interactive shell is no group leader, so setsid does not fork
# and $! is the server's pid.)
setsid "$bin" "${args[@]}" </dev/null >"$dir/server.log" 2>&1 &
pid=$!
echo "$pid" >"$dir/pid"

fail() {
  echo "start.sh: $1" >&2
  echo "---- last lines of $dir/server.log ----" >&2
  tail -n 40 "$dir/server.log" >&2 || true
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
  exit 1
}

t0=$(date +%s%N)
deadline=$((SECONDS + timeout))
until [ -s "$dir/kubeconfig" ]; do
  alive "$pid" || fail "test-apiserver exited during startup"
  [ $SECONDS -lt $deadline ] || fail "test-apiserver not ready after ${timeout}s"
  sleep 0.1
done
ms=$((($(date +%s%N) - t0) / 1000000))
server=$(sed -n 's/^[[:space:]]*server: //p' "$dir/kubeconfig" | head -n1)
echo "test-apiserver ready at $server (pid $pid, started in ${ms} ms, log $dir/server.log)"
echo "export KUBECONFIG=$dir/kubeconfig"
