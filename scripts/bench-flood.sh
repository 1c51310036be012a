#!/usr/bin/env bash
# Random-subdomain flood (issue #15, target 6; the scenario is in scripts/lib/flood.sh): while dnsperf floods never-repeating names under nx.test
# (the harness upstream answers NXDOMAIN for all of them, so every one is a miss) at full rate, a second
# client asks 200 qps of names already in the cache and records every answer's latency. A proxy is
# good under attack when that client still sees hit latency and the flood is still answered.
# Runs dnsgate and the peers (dnsdist, unbound) one after the other against the same DoT upstream.
# Usage: scripts/bench-flood.sh            Env: SECS=20 CLIENT_RATE=200 SYSTEMS="dnsgate dnsdist unbound"
#        JVM_OPTS (dnsgate's JVM), FLOOD_DOT_PORT=39853 FLOOD_PLAIN_PORT=39054 FLOOD_PORT=39153, OUT
# Prints a Markdown table; raw RESULT lines in $OUT/results.txt.
# Needs: ../shared/bench (BENCH_DIR), dnsperf, dnsdist, unbound, dig; target/quarkus-app built.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
SECS="${SECS:-20}"; CLIENT_RATE="${CLIENT_RATE:-200}"; SYSTEMS="${SYSTEMS:-dnsgate dnsdist unbound}"
DOT_PORT="${FLOOD_DOT_PORT:-39853}"; PLAIN_PORT="${FLOOD_PLAIN_PORT:-39054}"; PORT="${FLOOD_PORT:-39153}"
export QDIR="${QDIR:-/tmp/bench-q}"
OUT="${OUT:-/tmp/dnsgate-flood-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"; RES="$OUT/results.txt"
export LOGDIR="$OUT/logs" PEERDIR="$OUT/peers"
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
. "$ROOT/scripts/lib/flood.sh"
FLOOD="$QDIR/flood.txt"; flood_queries "$FLOOD"
UPW="$OUT/upstream"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$UPW" >/dev/null
SERVER=""
stop_server() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
cleanup() { stop_server; [ -f "$UPW/unbound.pid" ] && kill "$(cat "$UPW/unbound.pid")" 2>/dev/null || true; }
trap cleanup EXIT

start_system() {
  case "$1" in
    dnsgate)
      PORT=$PORT UPSTREAM_CA="$UPW/ca.pem" UPSTREAM_ADDR="127.0.0.1:$DOT_PORT" UPSTREAM_NAME=dot.test \
        BLOCKLIST="$QDIR/blocklist-1m.txt" LOCAL_RECORDS="$QDIR/local-hosts.txt" \
        "$ROOT/scripts/bench-proxy.sh" > "$OUT/dnsgate.log" 2>&1 &
      SERVER=$!
      for _ in $(seq 1 900); do
        dig +time=1 +tries=1 +short @127.0.0.1 -p "$PORT" www.bench.test A 2>/dev/null | grep -q 192.0.2.10 && return 0
        sleep 0.1
      done
      echo "dnsgate did not answer; see $OUT/dnsgate.log" >&2; return 1 ;;
    dnsdist|unbound)
      local pidfile
      pidfile=$(UPSTREAM_PORT=$DOT_PORT "$BENCH/peers/$1.sh" "$PORT" "$UPW" 2>>"$OUT/$1.log")
      SERVER=$(cat "$pidfile") ;;
    *) echo "unknown system $1" >&2; return 1 ;;
  esac
}

echo "# bench-flood.sh $(date -u +%FT%TZ) SECS=$SECS CLIENT_RATE=$CLIENT_RATE loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
for system in $SYSTEMS; do
  start_system "$system"
  flood_run "$PORT" "$system" "$SERVER" "$FLOOD" "$SECS" "$CLIENT_RATE" "$OUT/$system" | tee -a "$RES"
  stop_server
done
python3 - "$RES" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        rows.setdefault(kv["system"], {})[kv["scenario"]] = kv
print("\n| system | cached-name client p50 / p99 / p99.9 / max ms (lost %) | flood qps (lost %) |\n|---|---|---|")
for system, r in rows.items():
    c, f = r.get("hit-during-flood", {}), r.get("flood", {})
    print(f'| {system} | {c.get("p50_ms")} / {c.get("p99_ms")} / {c.get("p999_ms")} / {c.get("max_ms")} ({c.get("lost_pct")}) '
          f'| {int(float(f.get("qps", 0))):,} ({f.get("lost_pct")}) |')
PY
