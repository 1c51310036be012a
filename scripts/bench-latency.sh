#!/usr/bin/env bash
# Latency as clients see it (issue #15), dnsgate beside dnsdist and unbound in one run, each forwarding
# to the same harness DoT upstream:
#   1. quiet and busy networks: misses (never-asked names) and hits (the hot names) at fixed rates
#      (RATES, default "2000 200"), p50/p99/p99.9/max from every answer's own latency;
#   2. a random-subdomain flood (scripts/lib/flood.sh): never-repeating names under nx.test (NXDOMAIN
#      at the upstream) at full rate (or at each of FLOOD_RATES: "max 13000 25000"), while a client
#      asks 200 qps of cached names;
# and dnsgate's collector pauses in each phase (its GC log is kept in $OUT, summarised by
# scripts/gc-summary.sh). Prints Markdown tables; raw RESULT lines in $OUT/results.txt.
# Usage: nice -n -15 scripts/bench-latency.sh
#   (with kernel.sched_autogroup_enabled=0 the priority keeps other work from setting the pace)
# Env: SYSTEMS="dnsgate dnsdist unbound" RATES="2000 200" LAT_SECS=20 FLOOD_SECS=20 FLOOD_RATES=max, JAVA, JVM_OPTS, AOT_CACHE and
#      PROXY_EXTRA_OPTS (dnsgate's, as scripts/bench-proxy.sh takes them), LAT_DOT_PORT=39853 LAT_PLAIN_PORT=39054 LAT_PORT=39153, OUT
# Needs: ../shared/bench (BENCH_DIR), dnsperf, dnsdist, unbound, dig, jcmd; target/quarkus-app built.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
SYSTEMS="${SYSTEMS:-dnsgate dnsdist unbound}"; RATES="${RATES:-2000 200}"
LAT_SECS="${LAT_SECS:-20}"; FLOOD_SECS="${FLOOD_SECS:-20}"; FLOOD_RATES="${FLOOD_RATES:-max}"
DOT_PORT="${LAT_DOT_PORT:-39853}"; PLAIN_PORT="${LAT_PLAIN_PORT:-39054}"; PORT="${LAT_PORT:-39153}"
export UNIQUE_N="${UNIQUE_N:-1000000}"; export QDIR="${QDIR:-/tmp/bench-q-$UNIQUE_N}"
OUT="${OUT:-/tmp/dnsgate-latency-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"; RES="$OUT/results.txt"
export LOGDIR="$OUT/logs" PEERDIR="$OUT/peers"
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
. "$ROOT/scripts/lib/flood.sh"
. "$ROOT/scripts/lib/systems.sh"
FLOOD="$QDIR/flood.txt"; flood_queries "$FLOOD"
# disjoint never-asked names for each rate, so that no run finds the names of another in a cache
split -n "l/$(echo "$RATES" | wc -w)" -d -a 3 "$QDIR/unique-lat.txt" "$OUT/misses-"
UPW="$OUT/upstream"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$UPW" >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
# the GC log through PROXY_EXTRA_OPTS: JVM_OPTS (heap, collector) keeps bench-proxy.sh's default unless set
export PROXY_EXTRA_OPTS="${PROXY_EXTRA_OPTS:-} -Xlog:gc:file=$OUT/dnsgate-gc.log"

echo "# bench-latency.sh $(date -u +%FT%TZ) RATES=$RATES LAT_SECS=$LAT_SECS FLOOD_SECS=$FLOOD_SECS FLOOD_RATES=\"$FLOOD_RATES\" loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
echo "# dnsgate JVM: ${JAVA:-java} ${JVM_OPTS:-the default of bench-proxy.sh}$PROXY_EXTRA_OPTS${AOT_CACHE:+ with the AOT cache $AOT_CACHE}" | tee -a "$RES"
for system in $SYSTEMS; do
  start_system "$system" "$PORT"
  LABEL=$system "$BENCH/run.sh" "$PORT" cache-hit 5 >/dev/null   # hot names cached, hit path warm
  [ "$system" = dnsgate ] && quiet_from=$(uptime_s "$SERVER")
  i=0
  for rate in $RATES; do
    RATE=$rate QFILE="$(printf '%s/misses-%03d' "$OUT" "$i")" LABEL=$system TARGET_PID=$SERVER "$BENCH/run.sh" "$PORT" forward-unique "$LAT_SECS" \
      | grep '^RESULT' | sed 's/scenario=forward-unique/scenario=miss/' | tee -a "$RES"
    RATE=$rate LABEL=$system TARGET_PID=$SERVER "$BENCH/run.sh" "$PORT" cache-hit "$LAT_SECS" \
      | grep '^RESULT' | sed 's/scenario=cache-hit/scenario=hit/' | tee -a "$RES"
    i=$((i + 1))
  done
  if [ "$system" = dnsgate ]; then
    quiet_until=$(uptime_s "$SERVER")
    echo "# GC during the fixed-rate runs: $(SINCE_S=$quiet_from UNTIL_S=$quiet_until "$ROOT/scripts/gc-summary.sh" "$OUT/dnsgate-gc.log")" | tee -a "$RES"
  fi
  for cap in $FLOOD_RATES; do
    flood_warm "$PORT" "$system"
    [ "$system" = dnsgate ] && flood_from=$(uptime_s "$SERVER")
    flood_run "$PORT" "$system" "$SERVER" "$FLOOD" "$FLOOD_SECS" 200 "$OUT/$system-$cap" "$cap" | tee -a "$RES"
    if [ "$system" = dnsgate ]; then
      echo "# GC during the flood ($cap qps): $(SINCE_S=$flood_from UNTIL_S=$(uptime_s "$SERVER") "$ROOT/scripts/gc-summary.sh" "$OUT/dnsgate-gc.log")" | tee -a "$RES"
    fi
  done
  stop_system
done
python3 - "$RES" <<'PY'
import re, sys
rows, notes = {}, []
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        rows.setdefault(kv["system"], {})[(kv["scenario"], kv.get("mode", ""), kv.get("flood", ""))] = kv
    elif line.startswith("# GC"):
        notes.append(line[2:].strip())
def lat(kv):
    return f'{kv["p50_ms"]} / {kv["p99_ms"]} / {kv["p999_ms"]} / {kv["max_ms"]} ({kv["lost_pct"]})' if kv else "n/a"
rates = sorted({m[4:] for r in rows.values() for (s, m, _) in r if m.startswith("rate") and s in ("miss", "hit")}, key=int, reverse=True)
caps = sorted({f for r in rows.values() for (s, _, f) in r if s == "flood"}, key=lambda c: (c != "max", -int(c) if c.isdigit() else 0))
print("\nFixed rate, ms: p50 / p99 / p99.9 / max (lost %)\n")
print("| system | " + " | ".join(f"miss @{r} qps | hit @{r} qps" for r in rates) + " |")
print("|---|" + "---|---|" * len(rates))
for system, r in rows.items():
    print(f"| {system} | " + " | ".join(f'{lat(r.get(("miss", "rate" + q, "")))} | {lat(r.get(("hit", "rate" + q, "")))}' for q in rates) + " |")
print("\nRandom-subdomain flood (full rate, or dnsperf -Q), with a 200 qps client of cached names\n")
print("| system | flood asked, qps | cached-name client p50 / p99 / p99.9 / max ms (lost %) | flood answered, qps (lost %) |\n|---|---|---|---|")
for cap in caps:
    for system, r in rows.items():
        c, f = r.get(("hit-during-flood", "rate200", cap)), r.get(("flood", "max" if cap == "max" else "rate" + cap, cap), {})
        if f:
            print(f'| {system} | {cap} | {lat(c)} | {int(float(f.get("qps", 0))):,} ({f.get("lost_pct")}) |')
if notes:
    print("\ndnsgate's collector pauses:\n")
    for n in notes:
        print(f"- {n.replace(sys.argv[1].rsplit('/', 1)[0] + '/', '')}")
PY
