#!/usr/bin/env bash
# make bench-compare: the Rust side and the Go side on the same objects, in one run on this
# machine, then a table (ns/op each side and the ratio) and one closing line:
#
#   speedup over Go: to_unstructured=N.Nx from_unstructured=N.Nx validate=N.Nx kubeconform=N.Nx
#   kubeconform_files=N.Nx kubectl_validate=N.Nx crd_kubeconform=N.Nx crd_kubectl_validate=N.Nx
#
# The crd_ ratios are `validate --crd` on a CEL-heavy third-party set (bench/gen-crd-docs.py: the
# CRDs of tests/corpus/any-crd and the objects written for them, DOCS documents in one file and
# one per file) against kubeconform given JSON Schemas converted from the same CRDs (which checks
# no CEL) and kubectl-validate --local-crds (the apiserver's validators). flux-schema is not
# measured: it is not on the Go module proxy, and this project builds its comparison tools only
# from the proxy (see the README, "Validate any CRD").
#
# Rust: criterion benches (vitistack-types/benches/kinds.rs, vitistack-codegen-lib/benches/generate.rs
# and parse.rs) and the release CLI `vitistack-codegen validate`. Go: bench/go (apimachinery's
# DefaultUnstructuredConverter, the apiextensions-apiserver schema + CEL validators built from
# crds/), kubeconform against schemas/ and kubectl-validate with `--local-crds crds/`. Whole
# commands run on the 10,000-document file and on a directory of the same documents, one per
# file. Works on a clean clone: builds everything it needs into target/ (Go >= 1.26 and network
# access to the Go module proxy on the first run).
#
# Environment: RUNS (whole-command runs per side for the file and the directory, default 5),
# KV_RUNS (kubectl-validate runs on the file, default 1: it takes half a minute each), DOCS
# (documents in that file, default 10000), STREAM_DOCS (documents of the long stream whose peak
# RSS is measured, default 300000: about 425 MB, read as it is checked), BUILD_TIME=1 also times a clean build of
# vitistack-types (bench/build-time.sh, a few minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
# target/ is where this script reads criterion's results and the release binary from.
export GOTOOLCHAIN=${GOTOOLCHAIN:-local} CARGO_TERM_COLOR=never CARGO_TARGET_DIR=$root/target
CARGO=${CARGO:-cargo}
RUNS=${RUNS:-5}
KV_RUNS=${KV_RUNS:-1}
DOCS=${DOCS:-10000}
STREAM_DOCS=${STREAM_DOCS:-300000}
KUBECONFORM_VERSION=v0.8.0
KUBECTL_VALIDATE_VERSION=v0.0.4
out=target/bench
mkdir -p "$out" target/bin
log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build (niced: shared machine)
log "building (release CLI, criterion benches, Go benchmark binary, kubeconform $KUBECONFORM_VERSION, kubectl-validate $KUBECTL_VALIDATE_VERSION)"
nice -n 10 "$CARGO" build --quiet --release --locked -p vitistack-codegen
nice -n 10 "$CARGO" bench --quiet --locked -p vitistack-types --bench kinds --no-run
nice -n 10 "$CARGO" bench --quiet --locked -p vitistack-codegen-lib --bench generate --bench parse --no-run
(cd bench/go && nice -n 10 go test -c -o "$root/$out/go-bench.test" .)
kubeconform=target/bin/kubeconform
if ! go version -m "$kubeconform" 2>/dev/null | grep -Eq "^[[:space:]]*mod[[:space:]]+github.com/yannh/kubeconform[[:space:]]+$KUBECONFORM_VERSION([[:space:]]|$)"; then
    bash tests/tools/build-go-tool.sh "github.com/yannh/kubeconform/cmd/kubeconform" "$KUBECONFORM_VERSION" >/dev/null
fi
kubectl_validate=target/bin/kubectl-validate
if ! go version -m "$kubectl_validate" 2>/dev/null | grep -Eq "^[[:space:]]*mod[[:space:]]+sigs.k8s.io/kubectl-validate[[:space:]]+$KUBECTL_VALIDATE_VERSION([[:space:]]|$)"; then
    GOBIN=$root/target/bin nice -n 10 go install "sigs.k8s.io/kubectl-validate@$KUBECTL_VALIDATE_VERSION"
fi
cli=target/release/vitistack-codegen

# ---------------------------------------------------------------- inputs and sanity checks
docs=$out/docs-$DOCS.yaml
bench/gen-docs.sh "$docs" "$DOCS"
# The same documents, one per file (doc-00000.yaml, ...), for the directory case.
docs_dir=$out/docs-$DOCS.d
rm -rf "$docs_dir"
mkdir -p "$docs_dir"
awk -v dir="$docs_dir" '/^---$/ { if (f) close(f); f = sprintf("%s/doc-%05d.yaml", dir, n++) } { print > f }' "$docs"
bench/gen-docs.sh "$out/docs-bad-vlan.yaml" 10 1
# A CEL-only violation: the gateway outside spec.ipam.subnet (an x-kubernetes-validations rule
# that JSON Schema cannot express, so schemas/ and kubeconform do not check it).
sed -e 's/^    gateway: 10.100.0.1$/    gateway: 10.200.0.1/' examples/networkconfiguration.yaml >"$out/cel-violation.yaml"
kc=("$kubeconform" -schema-location 'schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json' -strict)
expect() { # expect CODE WHAT CMD...: run CMD quietly, fail unless it exits with CODE
    local want=$1 what=$2 rc=0
    shift 2
    "$@" >/dev/null 2>&1 || rc=$?
    if [[ $rc != "$want" ]]; then
        echo "sanity check failed: $what (exit $rc, expected $want)" >&2
        exit 1
    fi
}
expect 0 "kubeconform accepts the valid examples" "${kc[@]}" examples/machine.yaml examples/networkconfiguration.yaml
expect 1 "kubeconform rejects vlan: 5000" "${kc[@]}" "$out/docs-bad-vlan.yaml"
expect 0 "kubeconform does not check CEL rules (accepts a gateway outside the subnet)" "${kc[@]}" "$out/cel-violation.yaml"
kv=("$kubectl_validate" --local-crds crds/)
expect 0 "kubectl-validate accepts the valid examples" "${kv[@]}" examples/machine.yaml examples/networkconfiguration.yaml
expect 1 "kubectl-validate rejects vlan: 5000" "${kv[@]}" "$out/docs-bad-vlan.yaml"
expect 1 "kubectl-validate enforces the CEL rule (gateway inside the subnet)" "${kv[@]}" "$out/cel-violation.yaml"
expect 0 "the CLI accepts the valid examples" "$cli" validate examples/machine.yaml examples/networkconfiguration.yaml
expect 1 "the CLI rejects vlan: 5000" "$cli" validate "$out/docs-bad-vlan.yaml"
expect 1 "the CLI enforces the CEL rule (gateway inside the subnet)" "$cli" validate "$out/cel-violation.yaml"
(cd bench/go && expect 0 "Go: struct shapes and validator checks" "$root/$out/go-bench.test" -test.run . -test.count 1)

# The CEL-heavy third-party set: the any-CRD corpus's CRDs and valid objects (needs PyYAML).
crd_docs=$out/crd-docs-$DOCS.yaml
crd_dir=$out/crd-crds
crd_schemas=$out/crd-schemas
rm -rf "$crd_dir" "$crd_schemas"
python3 bench/gen-crd-docs.py "$crd_docs" "$DOCS" "$crd_dir" "$crd_schemas"
crd_docs_dir=$out/crd-docs-$DOCS.d
rm -rf "$crd_docs_dir"
mkdir -p "$crd_docs_dir"
awk -v dir="$crd_docs_dir" '/^---$/ { if (f) close(f); f = sprintf("%s/doc-%05d.yaml", dir, n++) } { print > f }' "$crd_docs"
# A CEL-only violation: a disruption budget with a schedule but no duration.
cat >"$out/crd-cel-violation.yaml" <<'YAML'
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: cel-violation}
spec:
  disruption:
    consolidateAfter: 30s
    budgets: [{nodes: "0", schedule: "@daily"}]
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/os, operator: In, values: [linux]}]
YAML
crd_kc=("$kubeconform" -schema-location "$crd_schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" -strict)
crd_kv=("$kubectl_validate" --local-crds "$crd_dir")
crd_cli=("$cli" validate --crd "$crd_dir")
expect 0 "kubeconform accepts the third-party set" "${crd_kc[@]}" "$crd_docs"
expect 0 "kubeconform does not check CEL rules (accepts a schedule without duration)" "${crd_kc[@]}" "$out/crd-cel-violation.yaml"
expect 0 "kubectl-validate accepts the third-party set" "${crd_kv[@]}" "$crd_docs"
expect 1 "kubectl-validate enforces the CEL rule (schedule with duration)" "${crd_kv[@]}" "$out/crd-cel-violation.yaml"
expect 0 "validate --crd accepts the third-party set" "${crd_cli[@]}" "$crd_docs"
expect 1 "validate --crd enforces the CEL rule (schedule with duration)" "${crd_cli[@]}" "$out/crd-cel-violation.yaml"
expect 0 "validate --crd crds/ accepts our kinds" "$cli" validate --crd crds/ "$docs"

# ---------------------------------------------------------------- Rust micro-benchmarks
log "Rust: criterion (warm-up 1 s, measurement 3 s)"
crit=(--warm-up-time 1 --measurement-time 3 --noplot)
rm -rf target/criterion/{to_unstructured,from_unstructured,validate,parse_validate,parse,generate,generate_all}
"$CARGO" bench --quiet --locked -p vitistack-types --bench kinds -- "${crit[@]}" \
    '^((to|from)_unstructured|validate)/(Machine|NetworkConfiguration)$|^parse_validate/10000_documents$' >"$out/criterion.txt" 2>&1 \
    || { cat "$out/criterion.txt" >&2; exit 1; }
"$CARGO" bench --quiet --locked -p vitistack-codegen-lib --bench generate -- "${crit[@]}" >>"$out/criterion.txt" 2>&1 \
    || { cat "$out/criterion.txt" >&2; exit 1; }
"$CARGO" bench --quiet --locked -p vitistack-codegen-lib --bench parse -- "${crit[@]}" >>"$out/criterion.txt" 2>&1 \
    || { cat "$out/criterion.txt" >&2; exit 1; }

# ---------------------------------------------------------------- Go micro-benchmarks
log "Go: go test -bench (3 x 1 s each)"
(cd bench/go && "$root/$out/go-bench.test" -test.run '^$' -test.bench . -test.benchtime 1s -test.count 3 -test.benchmem) \
    >"$out/go-bench.txt"

# ---------------------------------------------------------------- whole commands on the big file
log "CLI vs kubeconform on $DOCS documents, in one file and one per file ($RUNS runs each, alternating); kubectl-validate on the file ($KV_RUNS runs)"
time_bin=""
if /usr/bin/time -f %M true >/dev/null 2>&1; then time_bin=/usr/bin/time; fi
: >"$out/commands.txt"
run() { # run NAME CMD...: wall ns, user+sys s and max RSS KiB as a line of commands.txt (the input is the last argument)
    local name=$1 start end rc=0 cpu="-" rss="-"
    shift
    start=$(date +%s%N)
    if [[ -n $time_bin ]]; then
        "$time_bin" -o "$out/time.txt" -f '%U %S %M' "$@" >/dev/null 2>&1 || rc=$?
    else
        "$@" >/dev/null 2>&1 || rc=$?
    fi
    end=$(date +%s%N)
    if [[ $rc != 0 ]]; then
        echo "$name failed on ${*: -1} (exit $rc)" >&2
        exit 1
    fi
    if [[ -n $time_bin ]]; then
        read -r user sys rss < <(tail -1 "$out/time.txt")
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    fi
    echo "$name $((end - start)) $cpu $rss" >>"$out/commands.txt"
}
for ((i = 0; i < RUNS; i++)); do
    run cli "$cli" validate "$docs"
    run kubeconform "${kc[@]}" "$docs"
    run cli_files "$cli" validate "$docs_dir"
    run kubeconform_files "${kc[@]}" "$docs_dir"
done
for ((i = 0; i < RUNS; i++)); do
    run crd_cli "${crd_cli[@]}" "$crd_docs"
    run crd_kubeconform "${crd_kc[@]}" "$crd_docs"
    run crd_cli_files "${crd_cli[@]}" "$crd_docs_dir"
    run crd_kubeconform_files "${crd_kc[@]}" "$crd_docs_dir"
    run cli_crd_ours "$cli" validate --crd crds/ "$docs"
done
for ((i = 0; i < KV_RUNS; i++)); do
    run kubectl_validate "${kv[@]}" "$docs"
    run crd_kubectl_validate "${crd_kv[@]}" "$crd_docs"
done

# Memory is bounded by the window of documents in flight, not by the stream: one run on a long
# stream, from the file and from stdin (the stream deleted afterwards: it is large).
log "CLI on a stream of $STREAM_DOCS documents: peak RSS (file and stdin)"
stream=$out/stream-$STREAM_DOCS.yaml
bench/gen-docs.sh "$stream" "$STREAM_DOCS"
stream_bytes=$(stat -c %s "$stream")
run cli_stream "$cli" validate "$stream"
run cli_stream_stdin sh -c '"$1" validate - <"$2"' sh "$cli" "$stream"
rm -f "$stream"

if [[ ${BUILD_TIME:-0} == 1 ]]; then
    bench/build-time.sh >"$out/build-time.txt"
fi

# ---------------------------------------------------------------- table
python3 - "$out" "$DOCS" "$(stat -c %s "$docs")" "$(stat -c %s target/bench/parse-bench-docs.yaml)" "$STREAM_DOCS" "$stream_bytes" <<'EOF'
import json, os, re, statistics, sys

out, docs, file_bytes, parse_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
stream_docs, stream_bytes = int(sys.argv[5]), int(sys.argv[6])
kinds = ["Machine", "NetworkConfiguration"]

def criterion(group, name):
    with open(os.path.join("target/criterion", group, name, "new/estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]

go = {}
for line in open(os.path.join(out, "go-bench.txt")):
    m = re.match(r"Benchmark(\w+)/(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        go.setdefault((m[1], m[2]), []).append(float(m[3]))

rows, ratios = [], {}
for op, go_op in [("to_unstructured", "ToUnstructured"), ("from_unstructured", "FromUnstructured"),
                  ("validate", "Validate")]:
    per_kind = []
    for kind in kinds:
        rust = criterion(op, kind)
        g = statistics.median(go[(go_op, kind)])
        per_kind.append(g / rust)
        rows.append((f"{op} {kind}", rust, g, g / rust))
    ratios[op] = statistics.geometric_mean(per_kind)

cmds = {}
for line in open(os.path.join(out, "commands.txt")):
    name, wall, cpu, rss = line.split()
    cmds.setdefault(name, []).append((int(wall), cpu, rss))
def med(name, i):
    vals = [float(r[i]) for r in cmds[name] if r[i] != "-"]
    return statistics.median(vals) if vals else None
cli_wall, kc_wall = med("cli", 0), med("kubeconform", 0)
ratios["kubeconform"] = kc_wall / cli_wall
rows.append((f"validate file, {docs} docs (wall)", cli_wall, kc_wall, kc_wall / cli_wall))
files_wall, kc_files_wall = med("cli_files", 0), med("kubeconform_files", 0)
ratios["kubeconform_files"] = kc_files_wall / files_wall
rows.append((f"validate dir, {docs} files (wall)", files_wall, kc_files_wall, kc_files_wall / files_wall))
kv_wall = med("kubectl_validate", 0)
ratios["kubectl_validate"] = kv_wall / cli_wall
rows.append((f"file vs kubectl-validate (wall)", cli_wall, kv_wall, kv_wall / cli_wall))
crd_wall, crd_kc_wall = med("crd_cli", 0), med("crd_kubeconform", 0)
ratios["crd_kubeconform"] = crd_kc_wall / crd_wall
rows.append((f"validate --crd file, {docs} third-party docs (wall)", crd_wall, crd_kc_wall, crd_kc_wall / crd_wall))
crd_files_wall, crd_kc_files_wall = med("crd_cli_files", 0), med("crd_kubeconform_files", 0)
rows.append((f"validate --crd dir, {docs} third-party files (wall)", crd_files_wall, crd_kc_files_wall, crd_kc_files_wall / crd_files_wall))
crd_kv_wall = med("crd_kubectl_validate", 0)
ratios["crd_kubectl_validate"] = crd_kv_wall / crd_wall
rows.append((f"--crd file vs kubectl-validate (wall)", crd_wall, crd_kv_wall, crd_kv_wall / crd_wall))
cli_cpu, kc_cpu = med("cli", 1), med("kubeconform", 1)
cli_rss, kc_rss = med("cli", 2), med("kubeconform", 2)

print()
print(f"{'benchmark':<40} {'Rust ns/op':>15} {'Go ns/op':>15} {'speedup':>8}")
print("-" * 81)
for name, rust, g, r in rows:
    print(f"{name:<40} {rust:>15,.0f} {g:>15,.0f} {r:>7.1f}x")
print("-" * 81)
if cli_cpu is not None:
    print(f"{'validate file, CPU time user+sys (s)':<40} {cli_cpu:>15.2f} {kc_cpu:>15.2f} {kc_cpu / cli_cpu:>7.1f}x")
    print(f"{'validate file, peak RSS (MiB)':<40} {cli_rss / 1024:>15.1f} {kc_rss / 1024:>15.1f}")
    f_cpu, kf_cpu = med("cli_files", 1), med("kubeconform_files", 1)
    print(f"{'validate dir, CPU time user+sys (s)':<40} {f_cpu:>15.2f} {kf_cpu:>15.2f} {kf_cpu / f_cpu:>7.1f}x")
    print(f"{'validate dir, peak RSS (MiB)':<40} {med('cli_files', 2) / 1024:>15.1f} {med('kubeconform_files', 2) / 1024:>15.1f}")
    print(f"{'kubectl-validate file: CPU (s), RSS (MiB)':<40} {med('kubectl_validate', 1):>15.2f} {med('kubectl_validate', 2) / 1024:>15.1f}")
    print(f"{'--crd file: CPU (s), RSS (MiB) ours, kc':<40} {med('crd_cli', 1):>7.2f} {med('crd_cli', 2) / 1024:>7.1f} {med('crd_kubeconform', 1):>7.2f} {med('crd_kubeconform', 2) / 1024:>7.1f}")
    print(f"{'--crd dir: CPU (s), RSS (MiB) ours, kc':<40} {med('crd_cli_files', 1):>7.2f} {med('crd_cli_files', 2) / 1024:>7.1f} {med('crd_kubeconform_files', 1):>7.2f} {med('crd_kubeconform_files', 2) / 1024:>7.1f}")
    print(f"{'kubectl-validate --crd file: CPU, RSS':<40} {med('crd_kubectl_validate', 1):>15.2f} {med('crd_kubectl_validate', 2) / 1024:>15.1f}")
    print(f"validate --crd crds/ on our kinds: {med('cli_crd_ours', 0) / 1e9:,.2f} s wall, {med('cli_crd_ours', 2) / 1024:,.1f} MiB "
          f"(built-in: {cli_wall / 1e9:,.2f} s, {cli_rss / 1024:,.1f} MiB; {med('cli_crd_ours', 0) / cli_wall:.2f}x)")
    print(f"validate stream of {stream_docs:,} documents ({stream_bytes / 1e6:,.0f} MB), peak RSS: "
          f"{med('cli_stream', 2) / 1024:,.1f} MiB from the file, {med('cli_stream_stdin', 2) / 1024:,.1f} MiB from stdin "
          f"({med('cli_stream', 0) / 1e9:,.1f} s)")
fast, full = criterion("parse", "10000_documents"), criterion("parse", "10000_documents_full_parser")
print(f"YAML parse on one core ({parse_bytes / 1e6:.1f} MB, split + parse into serde_json::Value): "
      f"{parse_bytes / fast * 1e3:,.0f} MB/s with the fast path, "
      f"{parse_bytes / full * 1e3:,.0f} MB/s serde-saphyr alone ({full / fast:.1f}x)")
print(f"validate file on every core: {file_bytes / cli_wall * 1e3:,.0f} MB/s")
pv = criterion("parse_validate", "10000_documents")
print(f"Rust parse + validate of 10,000 documents, one thread, in process: {pv / 1e6:,.1f} ms "
      f"({pv / 1e4 / 1e3:,.1f} us/doc)")
gen = criterion("generate", "all")
print(f"Rust generate (10 CRDs + 10 JSON Schemas, rendered): {gen / 1e6:,.2f} ms (target < 50 ms)")
bt = os.path.join(out, "build-time.txt")
if os.path.exists(bt):
    print(open(bt).read().rstrip())
print("Rust: criterion median; Go: median of 3 `go test -bench` runs; files: median of "
      f"{len(cmds['cli'])} alternating runs (kubectl-validate: {len(cmds['kubectl_validate'])}); "
      "speedups per operation: geometric mean over the kinds.")
print("speedup over Go: " + " ".join(f"{k}={ratios[k]:.1f}x" for k in
      ["to_unstructured", "from_unstructured", "validate", "kubeconform", "kubeconform_files",
       "kubectl_validate", "crd_kubeconform", "crd_kubectl_validate"]))
EOF
