#!/usr/bin/env bash
# Writes the benchmark's multi-document YAML file: N documents (default 10,000) cycling through
# examples/*.yaml in name order, each without its `# yaml-language-server` line and with its
# metadata.name suffixed by `-<document index, 5 digits>` so every object is unique. The same
# stream as `stream()` in vitistack-types/benches/kinds.rs.
#
#   bench/gen-docs.sh OUT [N] [INVALID_VLAN]
#
# With INVALID_VLAN=1 the NetworkConfiguration documents get `vlan: 5000` (above the maximum
# 4094), for checking that a validator rejects them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:?usage: bench/gen-docs.sh OUT [N] [INVALID_VLAN]}
n=${2:-10000}
invalid=${3:-0}
mkdir -p "$(dirname "$out")"
examples=(examples/*.yaml)
LC_ALL=C awk -v n="$n" -v invalid="$invalid" '
    FNR == 1 { t++; lines[t] = 0 }
    { lines[t]++; text[t, lines[t]] = $0 }
    END {
        for (i = 0; i < n; i++) {
            k = i % t + 1
            print "---"
            meta = 0; renamed = 0
            for (j = 1; j <= lines[k]; j++) {
                line = text[k, j]
                if (line ~ /^# yaml-language-server/) continue
                if (line == "metadata:") meta = 1
                else if (meta && !renamed && line ~ /^  name: /) {
                    line = sprintf("%s-%05d", line, i); renamed = 1
                }
                if (invalid && line == "  vlan: 100") line = "  vlan: 5000"
                print line
            }
        }
    }' "${examples[@]}" > "$out.tmp"
mv "$out.tmp" "$out"
