#!/usr/bin/env bash
# Rewrites go.mod for the k8s.io/kubernetes release below. k8s.io/kubernetes replaces each of its
# staging modules (k8s.io/api, k8s.io/apiserver, ...) with a local path, so it cannot be required
# as it is; this go.mod replaces each of them with its published v0.X.Y instead. Run
# `GOTOOLCHAIN=local go mod tidy` afterwards.
set -euo pipefail
KUBERNETES_VERSION=1.37.2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
modfile=$(cd / && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" |
  sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
[ -s "$modfile" ] || { echo "gen-go-mod.sh: cannot download k8s.io/kubernetes@v$KUBERNETES_VERSION" >&2; exit 1; }
{
  echo "module github.com/vitistack/vitistack-rs/tests/apiserver"
  echo
  echo "go 1.26.0"
  echo
  echo "godebug default=go1.26"
  echo
  echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
  echo
  echo "// k8s.io/kubernetes replaces its staging modules with local paths; use their published versions."
  echo "replace ("
  sed -n '/^replace (/,/^)/p' "$modfile" |
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging.*#\t\1 => \1 v0.'"${KUBERNETES_VERSION#1.}"'#p'
  echo ")"
} >"$here/go.mod"
echo "gen-go-mod.sh: wrote $here/go.mod; now run: (cd $here && GOTOOLCHAIN=local go mod tidy)"
