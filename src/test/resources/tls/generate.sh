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
leaf() {  # leaf FILE CN CA [extra openssl x509 args]; SAN_EXTRA adds names, e.g. ",DNS:*.dns.test"
  local file=$1 cn=$2 signer=$3; shift 3
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
    -keyout "$file.key" -out "$file.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s%s,IP:127.0.0.1\n' "$cn" "${SAN_EXTRA:-}" > "$file.ext"
  openssl x509 -req -in "$file.csr" -CA "$signer.pem" -CAkey "$signer.key" -CAcreateserial \
    -extfile "$file.ext" -out "$file.pem" "$@" 2>/dev/null
  rm -f "$file.csr" "$file.ext"
}
ca test-ca
ca rogue-ca
leaf dot.test dot.test test-ca -days 3650
leaf wrong.test wrong.test test-ca -days 3650
leaf rogue-dot.test dot.test rogue-ca -days 3650
# The DoT/DoH listeners' own certificate, a wildcard below it for client names (laptop.dns.test), and
# its renewal (same names, new key) for the rotation tests.
SAN_EXTRA=",DNS:*.dns.test" leaf dns.test dns.test test-ca -days 3650
SAN_EXTRA=",DNS:*.dns.test" leaf renewed-dns.test dns.test test-ca -days 3650
rm -f ./*.srl
# An expired dot.test certificate (valid 2020-01-01 for 30 days), signed by the test CA: openssl 3.0
# cannot back-date, keytool can.
tmp=$(mktemp -d)
openssl pkcs12 -export -inkey test-ca.key -in test-ca.pem -name ca -out "$tmp/ca.p12" -passout pass:changeit
keytool -genkeypair -keystore "$tmp/leaf.p12" -storetype PKCS12 -storepass changeit -alias leaf \
  -keyalg EC -groupname secp256r1 -dname CN=dot.test >/dev/null 2>&1
keytool -certreq -keystore "$tmp/leaf.p12" -storepass changeit -alias leaf -file "$tmp/leaf.csr"
keytool -gencert -keystore "$tmp/ca.p12" -storetype PKCS12 -storepass changeit -alias ca \
  -infile "$tmp/leaf.csr" -outfile "$tmp/leaf.pem" -rfc -startdate "2020/01/01 00:00:00" -validity 30 \
  -ext "SAN=DNS:dot.test,IP:127.0.0.1"
cp "$tmp/leaf.pem" expired-dot.test.pem
openssl pkcs12 -in "$tmp/leaf.p12" -passin pass:changeit -nocerts -nodes 2>/dev/null \
  | openssl pkcs8 -topk8 -nocrypt -out expired-dot.test.key
rm -rf "$tmp"
