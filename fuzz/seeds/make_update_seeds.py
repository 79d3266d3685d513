#!/usr/bin/env python3
"""Writes fuzz/seeds/validate_update/: one seed per kind (the example replaced by itself) and one
per case of tests/corpus/updates.yaml (old and new built as tests/src/update_corpus.rs builds
them). A seed is the kind's index in the fuzz crate's `by_kind_index!` order, the old object as
JSON, a NUL byte, the new object as JSON. Run from the repository root; needs PyYAML."""
import copy, json, pathlib, re, yaml

KINDS = ["vitistack", "machine", "machineprovider", "kubernetescluster", "kubernetesprovider",
         "networkconfiguration", "networknamespace", "loadbalancer", "kubevirtconfig", "proxmoxconfig"]

def segments(path):
    return [int(s[1:-1]) if s.startswith("[") else s for s in re.findall(r"\[\d+\]|[^.\[\]]+", path)]

def set_path(root, path, value):
    segs, node = segments(path), root
    for i, seg in enumerate(segs):
        last = i + 1 == len(segs)
        if isinstance(seg, int):
            while len(node) <= seg:
                node.append(None)
            if last:
                node[seg] = value
                return
            if node[seg] is None:
                node[seg] = {}
            node = node[seg]
        else:
            if last:
                node[seg] = value
                return
            if not isinstance(node.get(seg), (dict, list)):
                node[seg] = {}
            node = node[seg]

def remove_path(root, path):
    *parents, last = segments(path)
    node = root
    for seg in parents:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node.pop(last)

def example(name):
    return yaml.safe_load(pathlib.Path(f"examples/{name}.yaml").read_text())

def seed(out, name, kind, old, new):
    data = bytes([KINDS.index(kind)]) + json.dumps(old, separators=(",", ":")).encode() + b"\0" + json.dumps(new, separators=(",", ":")).encode()
    (out / name).write_bytes(data)

out = pathlib.Path("fuzz/seeds/validate_update")
out.mkdir(parents=True, exist_ok=True)
for kind in KINDS:
    obj = example(kind)
    seed(out, f"same-{kind}", kind, obj, obj)
for i, case in enumerate(yaml.safe_load(pathlib.Path("tests/corpus/updates.yaml").read_text())):
    old = example(case["example"])
    old.pop("status", None)
    set_path(old, "metadata.name", f"update-{i:03}")
    for path in case.get("before_remove", []):
        remove_path(old, path)
    for path, value in case.get("before", {}).items():
        set_path(old, path, value)
    new = copy.deepcopy(old)
    for path in case.get("remove", []):
        remove_path(new, path)
    for path, value in case.get("set", {}).items():
        set_path(new, path, value)
    seed(out, f"case-{i:03}", case["example"], old, new)
