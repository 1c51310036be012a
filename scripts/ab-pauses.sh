#!/usr/bin/env bash
# Collector pauses of two dnsgate builds, alternated ROUNDS times in fresh JVMs against the same local
# DoT upstream (issue #15, target 3), one of three phases per JVM:
#   PHASE=miss        5 s of cache-hit at full rate, then never-asked names at RATE qps for SECS s; prints
#                     p50/p99/p99.9/max of every answer, the answers over 0.5 ms / 1 ms in each second,
#                     and the pauses during the miss run;
#   PHASE=saturation  forward-unique 30 s, cache-hit, local and blocked-1m 10 s each, forward-unique 30 s,
#                     all at full rate with the 1M-name list loaded; prints qps and RSS per run and the
#                     pauses from the moment it listened (its start-up line) on;
#   PHASE=encrypted   cache-hit 10 s over UDP, then dot-hit and doh-hit SECS s each (dnsperf -m dot / -m doh,
#                     cache hits from clients over TLS) at full rate; prints qps and RSS per run and the
#                     pauses of the encrypted runs, where run 22's longest saturation pause fell.
# Each JVM's GC log and results are kept in $OUT/<side>-<round>/.
# Usage: nice -n -15 scripts/ab-pauses.sh A_DIR B_DIR   (each a checkout with target/quarkus-app built)
# Env: PHASE=miss ROUNDS=2 RATE=2000 SECS=20 A_JVM_OPTS B_JVM_OPTS (extra options for one side), OUT,
#      JAVA and JVM_OPTS (both sides, as scripts/bench-proxy.sh takes them)
# Needs: ../shared/bench (BENCH_DIR), dnsperf, unbound, dig.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A="$(cd "${1:?usage: ab-pauses.sh A_DIR B_DIR}" && pwd)"; B="$(cd "${2:?usage: ab-pauses.sh A_DIR B_DIR}" && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
PHASE="${PHASE:-miss}"; ROUNDS="${ROUNDS:-2}"; RATE="${RATE:-2000}"; SECS="${SECS:-20}"
case "$PHASE" in miss|saturation|encrypted) ;; *) echo "ab-pauses.sh: unknown PHASE $PHASE" >&2; exit 1 ;; esac
export UNIQUE_N="${UNIQUE_N:-1000000}"; export QDIR="${QDIR:-/tmp/bench-q-$UNIQUE_N}"
DOT_PORT="${AB_DOT_PORT:-37853}"; PLAIN_PORT="${AB_PLAIN_PORT:-37054}"; PORT="${AB_PORT:-37153}"
CLIENT_DOT_PORT=$((PORT + 1)); CLIENT_DOH_PORT=$((PORT + 2))   # PHASE=encrypted: dnsgate's own DoT and DoH
OUT="${OUT:-/tmp/dnsgate-ab-pauses-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"
export LOGDIR="$OUT/logs" PEERDIR="$OUT/peers"
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
. "$ROOT/scripts/lib/systems.sh"
if [ "$PHASE" = miss ]; then   # every JVM asks names no other asked: the file must hold them all
  have=$(wc -l < "$QDIR/unique-lat.txt"); need=$(( ROUNDS * 2 * (RATE * SECS + 1000) ))
  [ "$have" -ge "$need" ] || { echo "ab-pauses.sh: PHASE=miss needs $need never-asked names, $QDIR/unique-lat.txt has $have: lower ROUNDS, RATE or SECS" >&2; exit 1; }
fi
UPW="$OUT/upstream"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$UPW" >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT

# miss_phase DIR SKIP: never-asked names from line SKIP of unique-lat.txt, per-answer latencies kept
miss_phase() {
  local dir=$1 skip=$2 from until
  LABEL=warm "$BENCH/run.sh" "$PORT" cache-hit 5 >/dev/null
  awk -v s="$skip" -v n=$((RATE * SECS + 1000)) 'NR > s && NR <= s + n' "$QDIR/unique-lat.txt" > "$dir/names.txt"
  from=$(uptime_s "$SERVER")
  dnsperf -s 127.0.0.1 -p "$PORT" -d "$dir/names.txt" -l "$SECS" -c 16 -q 256 -T 1 -t 2 -n 1 -Q "$RATE" -v \
    > "$dir/dnsperf.log" 2>&1 || true
  until=$(uptime_s "$SERVER")
  awk '/^> / && $2 != "T" {print $NF}' "$dir/dnsperf.log" | sort -g | awk '{v[NR]=$1}
    END {printf "answers %d, ms p50 %.3f p99 %.3f p99.9 %.3f max %.3f\n", NR, v[int(NR*.5)]*1000, v[int(NR*.99)]*1000, v[int(NR*.999)]*1000, v[NR]*1000}'
  awk -v rate="$RATE" '/^> / && $2 != "T" {n++; s=int(n/rate); if ($NF>0.0005) a[s]++; if ($NF>0.001) b[s]++}
    END {printf "over 0.5 ms / 1 ms, each second:"; for (i=0; i<n/rate; i++) printf " %d/%d", a[i], b[i]; print ""}' "$dir/dnsperf.log"
  grep -v '^> ' "$dir/dnsperf.log" > "$dir/dnsperf.summary" && rm "$dir/dnsperf.log" "$dir/names.txt"
  echo "pauses during the misses: $(SINCE_S=$from UNTIL_S=$until "$ROOT/scripts/gc-summary.sh" "$dir/dnsgate-gc.log")"
}

# full_rate_run LABEL PORT SCENARIO SECS: one full-rate run against SERVER, summarised on one line
full_rate_run() {
  LABEL=$1 TARGET_PID=$SERVER "$BENCH/run.sh" "$2" "$3" "$4" | grep '^RESULT' \
    | sed -E 's/.*scenario=([a-z0-9-]+).* qps=([0-9.]+).*lost_pct=([0-9.]+).*rss_mb=([0-9.]+).*/\1 qps=\2 lost=\3% rss=\4 MB/'
}

encrypted_phase() {
  local dir=$1 from
  LABEL=warm TARGET_PID=$SERVER "$BENCH/run.sh" "$PORT" cache-hit 10 >/dev/null
  from=$(uptime_s "$SERVER")
  for run in "dot-hit $CLIENT_DOT_PORT" "doh-hit $CLIENT_DOH_PORT"; do
    set -- $run
    full_rate_run enc "$2" "$1" "$SECS"
  done
  echo "pauses during the encrypted runs: $(SINCE_S=$from "$ROOT/scripts/gc-summary.sh" "$dir/dnsgate-gc.log")"
}

saturation_phase() {
  local dir=$1 run listening
  for _ in $(seq 1 50); do   # the start-up line can come a moment after the first answer
    grep -q 'start-up: listening' "$dir/dnsgate.log" && break
    sleep 0.1
  done
  listening=$(sed -n 's/.*start-up: listening \([0-9]*\) ms after.*/\1/p' "$dir/dnsgate.log" | awk '{printf "%.3f", $1 / 1000}')
  [ -n "$listening" ] || { echo "no start-up line in $dir/dnsgate.log" >&2; exit 1; }
  for run in "forward-unique 30" "cache-hit 10" "local 10" "blocked-1m 10" "forward-unique 30"; do
    set -- $run
    full_rate_run sat "$PORT" "$1" "$2"
  done
  echo "pauses from listening (${listening} s) on: $(SINCE_S=$listening "$ROOT/scripts/gc-summary.sh" "$dir/dnsgate-gc.log")"
  echo "full collections: $(grep -c 'Pause Full' "$dir/dnsgate-gc.log" || true) $(grep -m5 'Pause Full' "$dir/dnsgate-gc.log" | sed -E 's/^\[([0-9.]+s)\].* ([0-9.]+ms)$/\2 at \1/' | paste -sd, - | sed 's/^./(the first, up to 5: &/; s/.$/&)/')"
}

{
echo "# ab-pauses.sh $(date -u +%FT%TZ) PHASE=$PHASE ROUNDS=$ROUNDS RATE=$RATE SECS=$SECS loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# A=$A ($(git -C "$A" rev-parse --short HEAD)) A_JVM_OPTS=${A_JVM_OPTS:-} B=$B ($(git -C "$B" rev-parse --short HEAD)) B_JVM_OPTS=${B_JVM_OPTS:-}"
echo "# JAVA=${JAVA:-java} JVM_OPTS=${JVM_OPTS:-the default of bench-proxy.sh}"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    dir="$OUT/$side-$round"; mkdir -p "$dir"
    [ "$side" = A ] && checkout=$A extra="${A_JVM_OPTS:-}" || checkout=$B extra="${B_JVM_OPTS:-}"
    encrypted=()   # client DoT and DoH listeners only where they are measured
    [ "$PHASE" = encrypted ] && encrypted=(env DOT_PORT_CLIENT=$CLIENT_DOT_PORT DOH_PORT_CLIENT=$CLIENT_DOH_PORT TLS_CERT="$UPW/dot.test.pem" TLS_KEY="$UPW/dot.test.key")
    PROXY_EXTRA_OPTS="$extra -Xlog:gc:file=$dir/dnsgate-gc.log" dnsgate_start "$checkout" "$PORT" "$dir/dnsgate.log" "${encrypted[@]}"
    dnsgate_ready "$PORT" 0.1 900 || { echo "dnsgate did not answer; see $dir/dnsgate.log" >&2; exit 1; }
    echo "## side $side round $round"
    slot=$(( (round - 1) * 2 + $([ "$side" = A ] && echo 0 || echo 1) ))   # disjoint names for every JVM
    case "$PHASE" in
      miss) miss_phase "$dir" $(( slot * (RATE * SECS + 1000) )) ;;
      saturation) saturation_phase "$dir" ;;
      encrypted) encrypted_phase "$dir" ;;
    esac
    stop_system
  done
done
} | tee "$OUT/results.txt"
