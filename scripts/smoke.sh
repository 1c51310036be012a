#!/usr/bin/env bash
# Checks the packaged jar as a user would: starts a local DoT upstream (unbound, with the test CA and
# the dot.test certificate from src/test/resources/tls), starts dnsgate in front of it, and queries
# it with dig and kdig over UDP and TCP. Everything stays on 127.0.0.1. Skips cleanly when a tool is
# missing (apt-get install dnsutils knot-dnsutils unbound).
# Usage: scripts/smoke.sh        (PORT=5391 UPSTREAM_PORT=8891 to move the ports)
set -uo pipefail
cd "$(dirname "$0")/.."
for tool in dig kdig unbound; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (apt-get install dnsutils knot-dnsutils unbound)"; exit 0; }
done
PORT="${PORT:-5391}"; UPSTREAM_PORT="${UPSTREAM_PORT:-8891}"
TLS="$PWD/src/test/resources/tls"
WORK=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT

. scripts/lib/test-upstream.sh
BIG="$(printf 'x%.0s' $(seq 1 250))"
write_test_upstream_conf "$WORK" "$UPSTREAM_PORT" "  local-zone: \"smoke.test.\" static
  local-data: \"www.smoke.test. 300 IN A 192.0.2.53\"
  local-data: 'big.smoke.test. 300 IN TXT \"$BIG\" \"$BIG\" \"$BIG\"'"
start_test_upstream "$WORK"; PIDS+=("$UNBOUND_PID")

bin/run -Ddnsgate.listen.port="$PORT" \
  -Ddnsgate.upstream.servers="127.0.0.1:$UPSTREAM_PORT#dot.test" \
  -Ddnsgate.upstream.ca-file="$TLS/test-ca.pem" \
  -Ddnsgate.upstream.attempt-timeout=1s -Ddnsgate.upstream.total-timeout=2s \
  -Dquarkus.http.port=0 > "$WORK/dnsgate.log" 2>&1 & PIDS+=($!)

for _ in $(seq 1 150); do
  dig +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" www.smoke.test A 2>/dev/null | grep -q 192.0.2.53 && break
  sleep 0.2
done

failures=0
check() {  # check NAME COMMAND... : the command must succeed
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
out() { "$@" 2>&1; }
check "dig over UDP answers A" bash -c "dig +short @127.0.0.1 -p $PORT www.smoke.test A | grep -qx 192.0.2.53"
check "dig over TCP answers A" bash -c "dig +tcp +short @127.0.0.1 -p $PORT www.smoke.test A | grep -qx 192.0.2.53"
check "kdig over TCP answers A" bash -c "kdig +tcp +short @127.0.0.1 -p $PORT www.smoke.test A | grep -qx 192.0.2.53"
check "mixed case question echoed" bash -c "dig @127.0.0.1 -p $PORT WwW.SmOkE.TeSt A | grep -q '^;WwW.SmOkE.TeSt.'"
check "large answer truncated over UDP" bash -c "dig +ignore +bufsize=512 @127.0.0.1 -p $PORT big.smoke.test TXT | grep -q 'flags: qr.* tc'"
check "large answer complete over TCP" bash -c "kdig +tcp @127.0.0.1 -p $PORT big.smoke.test TXT | grep -q 'ANSWER: 1'"
check "DO bit echoed" bash -c "dig +dnssec @127.0.0.1 -p $PORT www.smoke.test | grep -q 'flags: do'"
check "refused name passes REFUSED through" bash -c "dig @127.0.0.1 -p $PORT example.com | grep -q 'status: REFUSED'"
kill "$UNBOUND_PID"; wait "$UNBOUND_PID" 2>/dev/null
check "cached name still answered with the upstream down" bash -c "dig +short @127.0.0.1 -p $PORT www.smoke.test A | grep -qx 192.0.2.53"
check "upstream down: SERVFAIL with EDE 23" bash -c "kdig +edns +retry=0 +time=4 @127.0.0.1 -p $PORT down.smoke.test | grep -q SERVFAIL && kdig +edns +retry=0 +time=4 @127.0.0.1 -p $PORT down2.smoke.test | grep -qi 'EDE: 23'"
echo "$failures failed"
[ "$failures" -eq 0 ] || { echo "--- dnsgate log"; tail -20 "$WORK/dnsgate.log"; exit 1; }
