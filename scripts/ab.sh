#!/usr/bin/env bash
# A/B of two dnsgate builds against the same local DoT upstream, alternated ROUNDS times in fresh
# JVMs: the way to see whether a change moved a number, when two compare.sh runs on 2 shared cores
# differ by 10-20 % on their own. Prints one RESULT line per run and a summary table.
# Usage: scripts/ab.sh A_DIR B_DIR     (each a dnsgate checkout with target/quarkus-app built)
# Env: ROUNDS=2 SECS=10 RATE=2000 SCENARIOS="cache-hit forward-unique local tcp-forward blocked-1m"
#      LATENCY=1 (adds forward-unique and cache-hit at RATE qps), PROXY_EXTRA_OPTS, JVM_OPTS,
#      A_JVM_OPTS / B_JVM_OPTS (one side's JVM options; A_DIR may equal B_DIR to compare options only),
#      A_ENV / B_ENV (one side's extra environment for bench-proxy.sh, NAME=value words without spaces,
#      e.g. "JAVA=/path/bin/java AOT_CACHE=/path/app.aot"),
#      FLOOD=1 (adds the random-subdomain flood with a 200 qps client of cached names: scripts/lib/flood.sh),
#      NICE=-15 (priority of everything started here; takes effect with kernel.sched_autogroup_enabled=0)
# Needs: ../shared/bench (BENCH_DIR), dnsperf, unbound, dig.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A="$(cd "${1:?usage: ab.sh A_DIR B_DIR}" && pwd)"; B="$(cd "${2:?usage: ab.sh A_DIR B_DIR}" && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
ROUNDS="${ROUNDS:-2}"; SECS="${SECS:-10}"; RATE="${RATE:-2000}"; LATENCY="${LATENCY:-1}"
SCENARIOS="${SCENARIOS:-cache-hit forward-unique local tcp-forward blocked-1m}"
export UNIQUE_N="${UNIQUE_N:-1000000}"; export QDIR="${QDIR:-/tmp/bench-q-$UNIQUE_N}"
DOT_PORT="${AB_DOT_PORT:-38853}"; PLAIN_PORT="${AB_PLAIN_PORT:-38054}"; PORT="${AB_PORT:-38153}"
OUT="${OUT:-/tmp/dnsgate-ab-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"; RES="$OUT/results.txt"
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
. "$ROOT/scripts/lib/flood.sh"
. "$ROOT/scripts/lib/systems.sh"
[ "${FLOOD:-0}" = 1 ] && flood_queries "$QDIR/flood.txt"
UPW="$OUT/upstream"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT nice -n "${NICE:--15}" "$BENCH/upstream/start.sh" "$UPW" >/dev/null
PROXY=""
cleanup() {
  [ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null || true
  [ -f "$UPW/unbound.pid" ] && kill "$(cat "$UPW/unbound.pid")" 2>/dev/null || true
}
trap cleanup EXIT
echo "# ab.sh $(date -u +%FT%TZ) A=$A ($(git -C "$A" describe --always --dirty)) B=$B ($(git -C "$B" describe --always --dirty)) loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
echo "# A: JVM_OPTS=${A_JVM_OPTS:-${JVM_OPTS:-(the default of bench-proxy.sh)}} ${A_ENV:-}" | tee -a "$RES"
echo "# B: JVM_OPTS=${B_JVM_OPTS:-${JVM_OPTS:-(the default of bench-proxy.sh)}} ${B_ENV:-}" | tee -a "$RES"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    dir=$A; opts=${A_JVM_OPTS:-${JVM_OPTS:-}}; extra=${A_ENV:-}
    [ "$side" = B ] && dir=$B && opts=${B_JVM_OPTS:-${JVM_OPTS:-}} && extra=${B_ENV:-}
    # shellcheck disable=SC2086 # A_ENV / B_ENV are NAME=value words
    dnsgate_start "$dir" "$PORT" "$OUT/proxy-$side-$round.log" env JVM_OPTS="$opts" $extra nice -n "${NICE:--15}"
    PROXY=$SERVER
    t0=$(date +%s.%N)
    dnsgate_ready "$PORT" 0.1 900 || true
    echo "READY side=$side round=$round ready_s=$(echo "$(date +%s.%N) - $t0" | bc)" | tee -a "$RES"
    for s in $SCENARIOS; do
      LABEL=$side TARGET_PID=$PROXY nice -n "${NICE:--15}" "$BENCH/run.sh" "$PORT" "$s" "$SECS" | grep '^RESULT' | tee -a "$RES"
    done
    if [ "$LATENCY" = 1 ]; then
      RATE=$RATE QFILE="$QDIR/unique-lat.txt" LABEL=$side TARGET_PID=$PROXY nice -n "${NICE:--15}" \
        "$BENCH/run.sh" "$PORT" forward-unique "$SECS" | grep '^RESULT' | tee -a "$RES"
      RATE=$RATE LABEL=$side TARGET_PID=$PROXY nice -n "${NICE:--15}" \
        "$BENCH/run.sh" "$PORT" cache-hit "$SECS" | grep '^RESULT' | tee -a "$RES"
    fi
    if [ "${FLOOD:-0}" = 1 ]; then
      flood_warm "$PORT" "$side"
      flood_run "$PORT" "$side" "$PROXY" "$QDIR/flood.txt" "$SECS" 200 "$OUT/$side-$round" | tee -a "$RES"
    fi
    kill "$PROXY"; wait "$PROXY" 2>/dev/null || true; PROXY=""
  done
done
python3 - "$RES" <<'PY'
import re, sys, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    if not line.startswith("RESULT"):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    key = kv["scenario"] + ("" if kv["mode"] == "max" else " @" + kv["mode"].replace("rate", "") + " qps")
    if kv["mode"] == "max":
        rows[key][kv["system"]].append(f'{int(float(kv["qps"])):,}')
    else:
        rows[key][kv["system"]].append(f'{kv["p50_ms"]}/{kv["p99_ms"]}/{kv["p999_ms"]}/{kv["max_ms"]}')
print("\n| scenario (qps; or p50/p99/p99.9/max ms) | A | B |\n|---|---|---|")
for key, sides in rows.items():
    print(f'| {key} | {", ".join(sides.get("A", []))} | {", ".join(sides.get("B", []))} |')
PY
