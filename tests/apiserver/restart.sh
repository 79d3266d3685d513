#!/usr/bin/env bash
# Restart the test-apiserver of DIR as a cluster's apiserver restarts: stop it (stop.sh), then
# start it again on the same port with the same CA, certificates and etcd data, so that clients
# holding DIR/kubeconfig reconnect to the same server with the same objects.
#
#   tests/apiserver/restart.sh DIR [PARENT_PID]
#
# DIR must have been started with TEST_APISERVER_KEEP_STATE=1 (otherwise its etcd data is
# gone after the stop); the environment of start.sh applies (pass the same TEST_APISERVER_FLAGS).
# Exits 0 once the restarted server is ready, as start.sh does.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] && [ -n "$1" ] || { echo "usage: $0 DIR [PARENT_PID]" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$1

if ! [ -s "$dir/port" ] || ! [ -d "$dir/etcd" ]; then
  echo "restart.sh: $dir has no kept state (port, etcd data): start it with TEST_APISERVER_KEEP_STATE=1 $here/start.sh $dir" >&2
  exit 1
fi
"$here/stop.sh" "$dir"
TEST_APISERVER_KEEP_STATE=1 exec "$here/start.sh" "$@"
