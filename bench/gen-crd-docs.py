#!/usr/bin/env python3
"""Writes the CEL-heavy third-party stream of `make bench-compare`: N documents cycling through
the valid objects written for the any-CRD parity corpus (tests/corpus/any-crd/cases.yaml, the
cases with an `object:` and no `invalid:`; every one accepted by the live apiserver in
tests/tests/crd_parity.rs), each with its metadata.name suffixed by `-<index, 5 digits>`, in
the namespace `bench` when its CRD is namespaced. Also copies the corpus CRDs (only the CRDs,
not the examples) into a directory, for `--crd` and `--local-crds`, and writes kubeconform's
JSON Schemas converted from them (`SCHEMA_DIR/<group>/<kind>_<version>.json`, every served
version): the openAPIV3Schema as it is, `nullable` as a `null` type, int-or-string as
`oneOf` string/integer; kubeconform's `-strict` closes the objects. Needs PyYAML
(`python3-yaml`).

    bench/gen-crd-docs.py OUT.yaml N CRD_DIR SCHEMA_DIR
"""
import glob
import json
import os
import shutil
import sys

import yaml

out, n, crd_dir, schema_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def json_schema(node):
    """An openAPIV3Schema node as the JSON Schema kubeconform reads."""
    if isinstance(node, list):
        return [json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: json_schema(v) for k, v in node.items() if not k.startswith("x-kubernetes-")}
    if node.get("x-kubernetes-int-or-string"):
        out.pop("anyOf", None)
        out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    out.pop("nullable", None)
    return out


root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus", "any-crd")
namespaced = {}
os.makedirs(crd_dir, exist_ok=True)
for path in sorted(glob.glob(os.path.join(root, "*", "*.yaml"))):
    crd = yaml.safe_load(open(path))
    spec = crd["spec"]
    namespaced[(spec["group"], spec["names"]["kind"])] = spec["scope"] == "Namespaced"
    shutil.copy(path, crd_dir)
    for version in spec["versions"]:
        if not version.get("served"):
            continue
        d = os.path.join(schema_dir, spec["group"])
        os.makedirs(d, exist_ok=True)
        name = "%s_%s.json" % (spec["names"]["kind"].lower(), version["name"])
        with open(os.path.join(d, name), "w") as f:
            json.dump(json_schema(version["schema"]["openAPIV3Schema"]), f)
cases = yaml.safe_load(open(os.path.join(root, "cases.yaml")))
objects = [c["object"] for c in cases if "object" in c and "invalid" not in c]
with open(out + ".tmp", "w") as f:
    for i in range(n):
        o = json.loads(json.dumps(objects[i % len(objects)]))
        group = o["apiVersion"].split("/")[0]
        o["metadata"]["name"] = "%s-%05d" % (o["metadata"]["name"], i)
        if namespaced[(group, o["kind"])]:
            o["metadata"]["namespace"] = "bench"
        f.write("---\n")
        f.write(yaml.safe_dump(o, sort_keys=False))
os.replace(out + ".tmp", out)
