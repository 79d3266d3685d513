#!/usr/bin/env bash
# Build a Go command from the Go module proxy into <repo>/target/bin, once per version:
#
#   tests/tools/build-go-tool.sh MODULE/PATH/cmd/NAME VERSION
#
# e.g. `tests/tools/build-go-tool.sh github.com/yannh/kubeconform/cmd/kubeconform v0.8.0`.
# Does nothing when target/bin/NAME was already built from that module version (read from the
# binary's embedded build info), so callers can run it every time. Prints the binary's path.
# Needs Go (fails loudly without it); never downloads a prebuilt binary.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 PACKAGE VERSION" >&2; exit 2; }
package=$1 version=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$repo/target/bin/${package##*/}
go=${GO:-go}
command -v "$go" >/dev/null 2>&1 || {
  echo "build-go-tool.sh: Go is needed to build $package@$version (install Go, or set GO=)" >&2
  exit 1
}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}

# The module is the package path up to /cmd/ (how these tools are laid out).
module=${package%%/cmd/*}
if ! "$go" version -m "$bin" 2>/dev/null |
    grep -Eq "^[[:space:]]*mod[[:space:]]+$module[[:space:]]+$version([[:space:]]|$)"; then
  mkdir -p "$repo/target/bin"
  GOBIN=$repo/target/bin nice -n 10 "$go" install "$package@$version" >&2
fi
echo "$bin"
