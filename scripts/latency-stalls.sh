#!/usr/bin/env bash
# Where dnsgate's slow answers wait (issue #15): fixed-rate rounds of misses (never-asked names) in one
# JVM after 5 s of cache hits, each round captured on loopback (tcpdump) beside the JVM's safepoint log
# and its threads' CPU time. For each round prints p50/p99/p99.9/max, the threads that used the CPU, and
# the slow answers grouped into episodes by where they waited (scripts/lib/stalls.py: a safepoint,
# i.e. a collector pause; dnsgate before the query went upstream; the upstream; dnsgate after the
# upstream answered; certain only for stalls of a whole process, as the upstream side is TLS).
# Usage: nice -n -15 scripts/latency-stalls.sh      (needs tcpdump: apt-get install tcpdump)
# Env: ROUNDS=2 SECS=10 RATE=2000 STALL_MS=1.5 JVM_OPTS/PROXY_EXTRA_OPTS (as scripts/bench-proxy.sh),
#      STALL_DOT_PORT=39953 STALL_PLAIN_PORT=39954 STALL_PORT=39955, OUT
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
ROUNDS="${ROUNDS:-2}"; SECS="${SECS:-10}"; RATE="${RATE:-2000}"
DOT_PORT="${STALL_DOT_PORT:-39953}"; PLAIN_PORT="${STALL_PLAIN_PORT:-39954}"; PORT="${STALL_PORT:-39955}"
export UNIQUE_N="${UNIQUE_N:-1000000}"; export QDIR="${QDIR:-/tmp/bench-q-$UNIQUE_N}"
OUT="${OUT:-/tmp/dnsgate-stalls-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"
export LOGDIR="$OUT/logs"
command -v tcpdump >/dev/null || { echo "needs tcpdump (apt-get install tcpdump)" >&2; exit 1; }
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
. "$ROOT/scripts/lib/systems.sh"
UPW="$OUT/upstream"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$UPW" >/dev/null
CAPTURE=""
cleanup() {
  set +e
  [ -n "$CAPTURE" ] && kill "$CAPTURE" 2>/dev/null
  stop_system
  kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null
}
trap cleanup EXIT
export PROXY_EXTRA_OPTS="${PROXY_EXTRA_OPTS:-} -Xlog:gc,safepoint:file=$OUT/dnsgate-gc.log:time,uptime"
dnsgate_start "$ROOT" "$PORT" "$OUT/dnsgate.log"
dnsgate_ready "$PORT" 0.1 300 || { echo "dnsgate did not answer; see $OUT/dnsgate.log" >&2; exit 1; }
LABEL=dnsgate "$BENCH/run.sh" "$PORT" cache-hit 5 >/dev/null
# CPU ticks per thread name (threads of one pool summed), sorted for join
thread_ticks() {
  for t in /proc/"$SERVER"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    rest=${s##*) }; set -- $rest
    echo "$(tr ' ' '_' < "$t/comm") $(( ${12} + ${13} ))"
  done | awk '{sub(/[#-]?[0-9]+$/, "", $1); n[$1] += $2} END {for (k in n) print k, n[k]}' | LC_ALL=C sort -k1,1
}
NAMES=$((RATE * SECS))   # never-asked names per round; rounds take disjoint slices of unique.txt
[ $((NAMES * ROUNDS)) -le "$(wc -l < "$QDIR/unique.txt")" ] || { echo "unique.txt has too few names for $ROUNDS rounds of $NAMES" >&2; exit 1; }
echo "# latency-stalls.sh $(date -u +%FT%TZ) RATE=$RATE SECS=$SECS loadavg $(cut -d' ' -f1-3 /proc/loadavg) JVM: ${JVM_OPTS:-bench-proxy.sh default}"
for round in $(seq 1 "$ROUNDS"); do
  sed -n "$(((round - 1) * NAMES + 1)),$((round * NAMES))p" "$QDIR/unique.txt" > "$OUT/misses-$round"
  tcpdump -i lo -s 96 -w "$OUT/round-$round.pcap" "udp port $PORT or tcp port $DOT_PORT" 2> "$OUT/tcpdump-$round.log" &
  CAPTURE=$!
  for _ in $(seq 1 50); do   # up to 5 s for tcpdump to say it listens
    grep -q 'listening on' "$OUT/tcpdump-$round.log" && break
    kill -0 "$CAPTURE" 2>/dev/null || break
    sleep 0.1
  done
  grep -q 'listening on' "$OUT/tcpdump-$round.log" || { echo "tcpdump did not start: $(cat "$OUT/tcpdump-$round.log")" >&2; exit 1; }
  thread_ticks > "$OUT/ticks-before"
  result=$(RATE="$RATE" QFILE="$OUT/misses-$round" LABEL=dnsgate "$BENCH/run.sh" "$PORT" forward-unique "$SECS" | grep '^RESULT')
  thread_ticks > "$OUT/ticks-after"
  kill "$CAPTURE"; wait "$CAPTURE" 2>/dev/null || true; CAPTURE=""
  echo "round $round: $(grep -oE '(p50_ms|p99_ms|p999_ms|max_ms|lost_pct)=[^ ]+' <<< "$result" | tr '\n' ' ')"
  echo "  CPU ms by thread: $(join "$OUT/ticks-before" "$OUT/ticks-after" | awk '{d = ($3 - $2) * 10; if (d > 0) print d, $1}' \
    | sort -rn | head -6 | awk '{printf "%s %s; ", $2, $1}')"
  echo "  $(python3 "$ROOT/scripts/lib/stalls.py" "$OUT/round-$round.pcap" "$PORT" "$DOT_PORT" "$OUT/dnsgate-gc.log" "${STALL_MS:-1.5}")"
done
