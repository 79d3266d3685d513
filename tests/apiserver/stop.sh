#!/usr/bin/env bash
# Stop the test-apiserver started by start.sh DIR: SIGTERM to its process group, wait (bounded,
# $TEST_APISERVER_STOP_TIMEOUT seconds, default 20), then SIGKILL. Leaves no process behind.
# Idempotent: exits 0 if nothing is running. Exits 1 only if a process survives SIGKILL.
#
#   tests/apiserver/stop.sh DIR
set -uo pipefail

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
timeout=${TEST_APISERVER_STOP_TIMEOUT:-20}

[ -s "$dir/pid" ] || { rm -f "$dir/kubeconfig"; echo "stop.sh: no test-apiserver running in $dir"; exit 0; }
pid=$(cat "$dir/pid")
[[ $pid =~ ^[0-9]+$ ]] || { echo "stop.sh: bad pid file $dir/pid" >&2; rm -f "$dir/pid" "$dir/kubeconfig"; exit 0; }

alive() { # pid exists and is not a zombie
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q test-apiserver; }
# live test-apiserver members of process group $pid (start.sh makes the server a session and
# group leader; only test-apiserver processes count, in case the pid was reused)
group() {
  local p
  for p in $(pgrep -g "$pid" 2>/dev/null); do alive "$p" && ours "$p" && echo "$p"; done
}
# Exactly one signal per process: a second SIGTERM makes the server exit at once, skipping its
# graceful shutdown (which also removes its etcd data).
signal() { # the whole group if the server leads one, else the pid alone
  if [ -n "$(group)" ]; then kill -s "$1" -- "-$pid" 2>/dev/null
  elif alive "$pid" && ours "$pid"; then kill -s "$1" "$pid" 2>/dev/null; fi
  return 0
}
gone() { ! { alive "$pid" && ours "$pid"; } && [ -z "$(group)" ]; }

if gone; then
  echo "stop.sh: test-apiserver (pid $pid) is not running"
else
  signal TERM
  deadline=$((SECONDS + timeout))
  while ! gone && [ $SECONDS -lt "$deadline" ]; do sleep 0.1; done
  if ! gone; then
    echo "stop.sh: test-apiserver (pid $pid) still running after ${timeout}s, sending SIGKILL" >&2
    signal KILL
    deadline=$((SECONDS + 5))
    while ! gone && [ $SECONDS -lt "$deadline" ]; do sleep 0.1; done
    if ! gone; then
      echo "stop.sh: processes survive SIGKILL: $(group) $(alive "$pid" && echo "$pid")" >&2
      exit 1
    fi
  fi
  echo "stop.sh: test-apiserver (pid $pid) stopped"
fi
rm -f "$dir/pid" "$dir/kubeconfig"
