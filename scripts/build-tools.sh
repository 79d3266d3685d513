#!/usr/bin/env bash
# Build the real tools the tests and make targets run, from the Go module proxy, into
# <repo>/target/bin (never a downloaded binary):
#
#   scripts/build-tools.sh [helm] [kustomize]     (default: both)
#
# helm      helm.sh/helm/v3/cmd/helm                   (make helm-lint, tests/tests/helm.rs)
# kustomize sigs.k8s.io/kustomize/kustomize/v5         (renders kustomization.yaml, the CRDs, as
#                                                       `kubectl kustomize .` does; deploy/)
#
# A tool is rebuilt only when target/bin/<tool>.version does not name the pinned version and
# link flags.
# Needs Go (the module download is about 150 MB per tool on a machine that never fetched it;
# the first build takes a few minutes on 2 cores). Prints the path of each binary.
set -euo pipefail

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2  # v5.8.3 needs Go 1.27

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$repo/target/bin
go=${GO:-go}
if ! command -v "$go" >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; else
    echo "build-tools.sh: Go is not installed (no 'go' on PATH); helm and kustomize are built" >&2
    echo "  from their Go modules: install Go 1.26+ from https://go.dev/dl/, then re-run." >&2
    exit 1
  fi
fi

build() { # name module version [ldflags]
  local name=$1 module=$2 version=$3 ldflags=${4:-}
  local stamp="$version $ldflags"
  if [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.version" 2>/dev/null)" = "$stamp" ]; then
    echo "$bin/$name"
    return
  fi
  mkdir -p "$bin"
  echo "build-tools.sh: building $name $version from $module (Go module proxy)" >&2
  # No cgo: static binaries, and no C toolchain needed.
  CGO_ENABLED=0 GOBIN="$bin" GOFLAGS=-buildvcs=false "$go" install -trimpath -ldflags "$ldflags" "$module@$version"
  echo "$stamp" >"$bin/$name.version"
  echo "$bin/$name"
}

# What helm's own Makefile passes: its version, and the Kubernetes version of its client-go as
# the default for `helm template`/`helm lint` (without it, helm assumes Kubernetes 1.20 and
# refuses charts that need 1.32).
helm_ldflags() {
  local gomod client_go minor
  gomod=$("$go" mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  client_go=$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -n1)
  [ -n "$client_go" ] || { echo "build-tools.sh: cannot read the client-go version of helm $HELM_VERSION" >&2; exit 1; }
  minor=$client_go
  echo "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
       "-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor" \
       "-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(helm kustomize)
for tool in "${tools[@]}"; do
  case $tool in
    helm) build helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "$(helm_ldflags)" ;;
    kustomize) build kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" ;;
    *) echo "build-tools.sh: unknown tool '$tool' (helm, kustomize)" >&2; exit 2 ;;
  esac
done
