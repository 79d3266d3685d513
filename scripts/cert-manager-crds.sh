#!/usr/bin/env bash
# Prints the folder of cert-manager's CRDs, `deploy/crds` of the Go module pinned below, from the
# Go module cache (downloaded from the Go module proxy when missing; nothing is copied into the
# repository). tests/tests/deploy_webhook.rs installs the Issuer and Certificate CRDs from it on
# the test server, to dry-run the objects of deploy/webhook-cert-manager.
#
# Module github.com/cert-manager/cert-manager v1.19.1, Apache-2.0 (its LICENSE at the module's
# root, next to deploy/). Needs Go, as the test server does.
set -euo pipefail

CERT_MANAGER_MODULE=github.com/cert-manager/cert-manager
CERT_MANAGER_VERSION=v1.19.1

go=${GO:-go}
if ! command -v "$go" >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; else
    echo "cert-manager-crds.sh: Go is not installed (no 'go' on PATH)" >&2
    exit 1
  fi
fi
# Outside any Go module, so that only the module proxy and the cache are asked.
cd "$(mktemp -d)"
dir=$("$go" mod download -json "$CERT_MANAGER_MODULE@$CERT_MANAGER_VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir/deploy/crds" ] || { echo "cert-manager-crds.sh: no deploy/crds in $CERT_MANAGER_MODULE@$CERT_MANAGER_VERSION" >&2; exit 1; }
[ -f "$dir/LICENSE" ] || { echo "cert-manager-crds.sh: no LICENSE in $dir" >&2; exit 1; }
rmdir "$PWD" 2>/dev/null || true
echo "$dir/deploy/crds"
