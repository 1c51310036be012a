#!/usr/bin/env bash
# Regenerates the test PKI (valid ten years). The private keys are test-only and committed on purpose:
# tests must run without network and without setup. Every server certificate also lists IP 127.0.0.1,
# so the tests prove that the TLS *name* is what gets verified, not the address.
set -euo pipefail
cd "$(dirname "$0")"
ca() {  # ca NAME
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=dnsgate $1" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
leaf() {  # leaf FILE CN CA [extra openssl x509 args]
  local file=$1 cn=$2 signer=$3; shift 3
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
    -keyout "$file.key" -out "$file.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,IP:127.0.0.1\n' "$cn" > "$file.ext"
  openssl x509 -req -in "$file.csr" -CA "$signer.pem" -CAkey "$signer.key" -CAcreateserial \
    -extfile "$file.ext" -out "$file.pem" "$@" 2>/dev/null
  rm -f "$file.csr" "$file.ext"
}
ca test-ca
ca rogue-ca
leaf dot.test dot.test test-ca -days 3650
leaf wrong.test wrong.test test-ca -days 3650
leaf rogue-dot.test dot.test rogue-ca -days 3650
rm -f ./*.srl
