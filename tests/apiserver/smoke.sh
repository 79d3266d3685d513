#!/usr/bin/env bash
# Self-check of the test-apiserver harness with curl only (no kubectl): starts a server (or uses
# the running one in DIR), applies a CRD with a default, a CEL rule and a status subresource,
# checks validation (422 + CEL message), defaulting, pruning, /status, discovery, /version,
# RBAC (anonymous is 403), NamespaceLifecycle, and that /openapi/v3 publishes the CRD schema
# with its descriptions. Then stops the server it started and checks that no process is left.
#
#   tests/apiserver/smoke.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v curl >/dev/null || { echo "smoke.sh: needs curl" >&2; exit 1; }

own=0
if [ $# -ge 1 ]; then dir=$1; else dir=$(mktemp -d "${TMPDIR:-/tmp}/test-apiserver-smoke.XXXXXX"); fi
if [ ! -s "$dir/kubeconfig" ]; then
  "$here/start.sh" "$dir"
  own=1
fi
cleanup() { [ $own = 1 ] && "$here/stop.sh" "$dir" >/dev/null; }
trap cleanup EXIT

kc=$dir/kubeconfig
server=$(sed -n 's/^[[:space:]]*server: //p' "$kc")
# The admin's client certificate and the CA (the kubeconfig carries the same, base64-encoded).
ca=$dir/certs/ca.crt cert=$dir/certs/admin.crt key=$dir/certs/admin.key

pass=0 failed=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
# req METHOD PATH [BODY [CONTENT-TYPE]] -> sets $code and $body
req() {
  local out
  out=$(curl -sS --cacert "$ca" --cert "$cert" --key "$key" -X "$1" \
    ${3:+-H "Content-Type: ${4:-application/json}" --data-binary "$3"} \
    -w '\n%{http_code}' "$server$2")
  code=${out##*$'\n'}
  body=${out%$'\n'*}
}
expect() { # expect CODE DESCRIPTION [REGEX-IN-BODY]
  if [ "$code" = "$1" ] && { [ -z "${3:-}" ] || grep -Eq -- "$3" <<<"$body"; }; then ok "$2"
  else bad "$2 (HTTP $code, wanted $1${3:+ and /$3/}): $(head -c 600 <<<"$body")"; fi
}

req GET /healthz; expect 200 "/healthz" '^ok$'
req GET /readyz; expect 200 "/readyz" '^ok$'
req GET /version; expect 200 "/version is v1.x" '"gitVersion": "v1\.[0-9]+\.[0-9]+"'
code=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' "$server/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
[ "$code" = 403 ] && ok "anonymous list of CRDs is 403" || bad "anonymous list of CRDs: HTTP $code, wanted 403"
req GET /api; expect 200 "/api is the core group list" '"kind": ?"APIVersions"'
req GET /api/v1; expect 200 "/api/v1 serves namespaces" '"name": ?"namespaces"'
req GET /apis/coordination.k8s.io/v1; expect 200 "leases are served" '"name": ?"leases"'

crd='{
 "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
 "metadata": {"name": "widgets.smoke.vitistack.test"},
 "spec": {"group": "smoke.vitistack.test", "scope": "Namespaced",
  "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
  "versions": [{"name": "v1alpha1", "served": true, "storage": true,
   "subresources": {"status": {}},
   "schema": {"openAPIV3Schema": {"type": "object", "description": "A Widget for the smoke test.",
    "properties": {
     "spec": {"type": "object", "description": "Desired state of the smoke widget.",
      "x-kubernetes-validations": [{"rule": "self.x <= 10", "message": "x must be at most 10"}],
      "properties": {
       "x": {"type": "integer", "default": 5, "description": "How many widgets, at most 10."},
       "name": {"type": "string"}}},
     "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}}}}}]}}'
req POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions "$crd"; expect 201 "create CRD"

established=0
for _ in $(seq 1 100); do
  req GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.vitistack.test
  if tr -d ' \n' <<<"$body" | grep -q '"type":"Established","status":"True"'; then established=1; break; fi
  sleep 0.1
done
[ $established = 1 ] && ok "CRD Established" || bad "CRD not Established after 10s"

nsname=smoke-$$-$RANDOM # a server reused by several runs keeps its namespaces (nothing deletes them)
ns=/apis/smoke.vitistack.test/v1alpha1/namespaces/$nsname
for _ in $(seq 1 50); do req GET "$ns/widgets"; [ "$code" = 200 ] && break; sleep 0.1; done
expect 200 "list CRs"
req POST "$ns/widgets" '{"apiVersion":"smoke.vitistack.test/v1alpha1","kind":"Widget","metadata":{"name":"early"},"spec":{}}'
expect 404 "no CR in a namespace that does not exist (NamespaceLifecycle)" "namespaces .*$nsname.* not found"
req POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$nsname\"}}"
expect 201 "create namespace $nsname"

req POST "$ns/widgets" '{"apiVersion":"smoke.vitistack.test/v1alpha1","kind":"Widget","metadata":{"name":"bad"},"spec":{"x":11}}'
expect 422 "bad CR rejected by CEL rule (422)" 'x must be at most 10'

req POST "$ns/widgets?fieldValidation=Ignore" '{"apiVersion":"smoke.vitistack.test/v1alpha1","kind":"Widget","metadata":{"name":"good"},"spec":{"name":"a","unknown":1}}'
expect 201 "good CR created"
tr -d ' \n' <<<"$body" | grep -q '"x":5' && ok "default x=5 applied" || bad "default not applied: $body"
grep -q unknown <<<"$body" && bad "unknown field not pruned: $body" || ok "unknown field pruned"

req PATCH "$ns/widgets/good/status" '{"status":{"ready":true}}' application/merge-patch+json
expect 200 "patch /status" '"ready": ?true'
req PATCH "$ns/widgets/good?fieldManager=smoke&force=true" \
  '{"apiVersion":"smoke.vitistack.test/v1alpha1","kind":"Widget","metadata":{"name":"good"},"spec":{"x":7}}' \
  application/apply-patch+yaml
expect 200 "server-side apply (force)" '"x": ?7'

req GET /apis; expect 200 "/apis lists the CRD group" '"name": ?"smoke.vitistack.test"'
req GET /apis/smoke.vitistack.test/v1alpha1; expect 200 "/apis/<group>/<version> lists widgets" '"name": ?"widgets"'

found=0
for _ in $(seq 1 100); do # the OpenAPI controllers publish asynchronously
  req GET /openapi/v3
  grep -q '"apis/smoke.vitistack.test/v1alpha1"' <<<"$body" && { found=1; break; }
  sleep 0.1
done
[ $found = 1 ] && ok "/openapi/v3 lists apis/smoke.vitistack.test/v1alpha1" || bad "/openapi/v3 lacks the CRD group: $(head -c 600 <<<"$body")"
req GET /openapi/v3/apis/smoke.vitistack.test/v1alpha1
expect 200 "/openapi/v3/apis/<group>/<version> carries field descriptions" 'How many widgets, at most 10\.'
req GET /openapi/v2
expect 200 "/openapi/v2 carries the CRD schema" 'Desired state of the smoke widget\.'

req DELETE /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.vitistack.test
expect 200 "delete CRD"

echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
