#!/usr/bin/env bash
# A fresh CA and a serving certificate for the conversion webhook, with openssl (EC P-256).
#
#   scripts/conversion-certs.sh DIR          CA (ca.crt, ca.key) and leaf (tls.crt, tls.key)
#   scripts/conversion-certs.sh DIR --leaf   a new leaf from the existing CA (rotation)
#
# The leaf is valid for 127.0.0.1, localhost and the reference's Service
# (vitistack-conversion-webhook.vitistack-system.svc). The new files are written next to the old
# ones and renamed into place (key, then certificate), so a reader never sees a half-written file.
set -euo pipefail
dir=${1:?usage: conversion-certs.sh DIR [--leaf]}
mode=${2:-}
mkdir -p "$dir"
cd "$dir"
if [ "$mode" != "--leaf" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=vitistack-conversion-test-ca" -keyout ca.key -out ca.crt 2>/dev/null
fi
san="subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:vitistack-conversion-webhook.vitistack-system.svc"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=vitistack-conversion-webhook" \
  -keyout tls.key.new -out tls.csr 2>/dev/null
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
  -extfile <(printf '%s\nextendedKeyUsage=serverAuth\n' "$san") -out tls.crt.new 2>/dev/null
rm -f tls.csr
mv tls.key.new tls.key
mv tls.crt.new tls.crt
