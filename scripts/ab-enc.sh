#!/usr/bin/env bash
# A/B of two dnsgate builds on the encrypted-client scenarios (dot-hit, doh-hit: dnsperf -m dot / -m doh,
# 16 connections, hot.txt), alternated ROUNDS times in fresh JVMs, with the peers compare.sh ENC=1 uses
# (dnsdist DoT, unbound DoT and DoH) measured in the same rounds on the same upstream. Each dnsgate is
# warmed up first (8 s UDP cache-hit, 6 s of each scenario; not recorded), so the rows compare the
# TLS/HTTP/2 code once compiled. Everything runs at nice NICE_LEVEL (-15), peers and dnsperf alike.
# Usage: scripts/ab-enc.sh A_DIR B_DIR   (each a dnsgate checkout with target/quarkus-app built)
# Env: ROUNDS=2 SECS=10 SCEN="dot-hit doh-hit" PEERS=1 (0: dnsgate only) OUT=dir BENCH_DIR=../shared/bench
# Ports: upstream 48853/48054, dnsgate 48153 (DoT 48854, DoH 48443), dnsdist 48201-48203, unbound 48211-48213.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
A="$1"; B="$2"; ROUNDS="${ROUNDS:-2}"; SECS="${SECS:-10}"; SCEN="${SCEN:-dot-hit doh-hit}"
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT="${OUT:-/tmp/dnsgate-ab-enc-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"; RES="$OUT/results.txt"; export LOGDIR="$OUT/logs"
UPW="$OUT/upstream"
. "$ROOT/scripts/lib/systems.sh"
NICE="nice -n ${NICE_LEVEL:--15}"
export DOT_PORT=48853 PLAIN_PORT=48054 UPSTREAM_PORT=48853
PIDS=()
P=""
cleanup() { [ -n "$P" ] && kill "$P" 2>/dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
upf=$($NICE "$BENCH/upstream/start.sh" "$UPW") || exit 1; PIDS+=("$(cat "$upf")")
if [ "${PEERS:-1}" = 1 ]; then
  f=$(ENC_DOT_PORT=48202 ENC_DOH_PORT=48203 LOGDIR=$OUT $NICE "$BENCH/peers/dnsdist.sh" 48201 "$UPW" cache) || exit 1; DD=$(cat "$f"); PIDS+=("$DD")
  f=$(ENC_DOT_PORT=48212 ENC_DOH_PORT=48213 LOGDIR=$OUT $NICE "$BENCH/peers/unbound.sh" 48211 "$UPW" cache) || exit 1; UB=$(cat "$f"); PIDS+=("$UB")
fi
echo "# ab-enc $(date -u +%FT%TZ) A=$A ($(git -C "$A" rev-parse --short HEAD)) B=$B ($(git -C "$B" rev-parse --short HEAD)) loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
for round in $(seq 1 "$ROUNDS"); do
  if [ "${PEERS:-1}" = 1 ]; then
    LABEL=dnsdist TARGET_PID=$DD $NICE "$BENCH/run.sh" 48202 dot-hit "$SECS" | tee -a "$RES"
    LABEL=unbound TARGET_PID=$UB $NICE "$BENCH/run.sh" 48212 dot-hit "$SECS" | tee -a "$RES"
    LABEL=unbound TARGET_PID=$UB $NICE "$BENCH/run.sh" 48213 doh-hit "$SECS" | tee -a "$RES"
  fi
  for side in A B; do
    dir=$A; [ $side = B ] && dir=$B
    dnsgate_start "$dir" 48153 "$OUT/proxy-$side-$round.log" env DOT_PORT_CLIENT=48854 DOH_PORT_CLIENT=48443 \
      TLS_CERT="$UPW/dot.test.pem" TLS_KEY="$UPW/dot.test.key" $NICE
    P=$SERVER
    dnsgate_ready 48153 0.1 900
    LABEL=warm-$side LOGDIR=$OUT/warm $NICE "$BENCH/run.sh" 48153 cache-hit 8 > /dev/null   # warm-up (JIT, cache fill), not recorded
    for s in $SCEN; do
      port=48854; [ $s = doh-hit ] && port=48443
      LABEL=warm-$side LOGDIR=$OUT/warm $NICE "$BENCH/run.sh" $port $s 6 > /dev/null
    done
    for s in $SCEN; do
      port=48854; [ $s = doh-hit ] && port=48443
      LABEL=$side TARGET_PID=$P $NICE "$BENCH/run.sh" $port $s "$SECS" | tee -a "$RES"
    done
    kill $P; wait $P 2>/dev/null; P=""
  done
done
echo "# loadavg end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RES"
python3 - "$RES" <<'PY'
import re,sys,collections
d=collections.defaultdict(list)
for l in open(sys.argv[1]):
    if l.startswith("RESULT"):
        kv=dict(re.findall(r"(\w+)=(\S+)",l)); d[(kv['scenario'],kv['system'])].append((int(kv['qps']),kv.get('lost_pct'),kv.get('rss_mb')))
for k in sorted(d): print(k[0],k[1],"qps",[q for q,_,_ in d[k]],"lost",[l for _,l,_ in d[k]],"rss",[r for _,_,r in d[k]])
PY
