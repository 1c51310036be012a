#!/usr/bin/env bash
# Soak test of the packaged jar: a steady dnsperf rate for DURATION seconds (default 600) while the
# rules are edited (hot reload) and the DoT upstream is restarted. Reports, per 30 s segment, the
# queries lost, separating segments with an upstream restart (fault windows) from the others, and
# heap after a full GC and open file descriptors after every segment, which must reach a plateau.
# Everything stays on 127.0.0.1. Needs: unbound dnsperf (apt-get install unbound dnsperf).
# Usage: scripts/soak.sh            DURATION=120 RATE=2000 scripts/soak.sh   (writes RELIABILITY.md)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/java.sh"
for tool in unbound dnsperf jcmd; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 0; }
done
DURATION="${DURATION:-600}"; RATE="${RATE:-2000}"; SEG=30
PORT="${PORT:-5395}"; UPSTREAM_PORT="${UPSTREAM_PORT:-8895}"
TLS="$ROOT/src/test/resources/tls"
WORK=$(mktemp -d); mkdir -p "$WORK/rules"
UNBOUND_PID=""; PROXY_PID=""
cleanup() { [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; [ -n "$UNBOUND_PID" ] && kill "$UNBOUND_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

. scripts/lib/test-upstream.sh
write_test_upstream_conf "$WORK" "$UPSTREAM_PORT" '  local-zone: "soak.test." redirect
  local-data: "soak.test. 30 IN A 192.0.2.77"'
start_upstream() { start_test_upstream "$WORK"; }
rules_version() {
  printf 'rules:\n  - name: soak-local-%s\n    action: local\n    records: ["v.soak.local. 60 IN A 10.0.0.%s"]\n' "$1" "$1" > "$WORK/rules/.soak.tmp"
  mv "$WORK/rules/.soak.tmp" "$WORK/rules/soak.yaml"
}
python3 -c "
import random
random.seed(7)
with open('$WORK/queries.txt','w') as f:
    for i in range(200000):
        f.write('q%d.soak.test A\n' % random.randrange(400000) if i % 10 else 'v.soak.local A\n')
"
start_upstream
rules_version 1
./mvnw -B -q package -DskipTests >/dev/null || exit 1
# shellcheck disable=SC2086 # several JVM options
java $DNSGATE_JVM_OPTS -Ddnsgate.listen.port="$PORT" \
  -Ddnsgate.upstream.servers="127.0.0.1:$UPSTREAM_PORT#dot.test" -Ddnsgate.upstream.ca-file="$TLS/test-ca.pem" \
  -Ddnsgate.rules.dir="$WORK/rules" -Ddnsgate.upstream.probe-interval=200ms -Dquarkus.http.port=0 \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/dnsgate.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 100); do dig +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" v.soak.local 2>/dev/null | grep -q 10.0.0 && break; sleep 0.2; done

heap() { jcmd "$PROXY_PID" GC.run >/dev/null 2>&1; jcmd "$PROXY_PID" GC.heap_info 2>/dev/null | awk '/used/ {gsub("K","",$0); for(i=1;i<=NF;i++) if($i=="used") s+=$(i+1)} END {printf "%.1f", s/1024}'; }
fds() { ls "/proc/$PROXY_PID/fd" | wc -l; }
rss() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$PROXY_PID/status"; }
HEAP0=$(heap); FD0=$(fds); RSS0=$(rss)
ROWS=""; LOST_CLEAN=0; SENT_CLEAN=0; LOST_FAULT=0; SENT_FAULT=0
segments=$((DURATION / SEG))
for i in $(seq 1 "$segments"); do
  event="-"
  dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/queries.txt" -l "$SEG" -Q "$RATE" -c 4 -t 2 > "$WORK/seg.txt" 2>&1 &
  PERF=$!
  sleep 10
  if [ $((i % 3)) -eq 0 ]; then rules_version $((i % 200 + 2)); event="rules reload"; fi
  if [ $((i % 5)) -eq 0 ]; then
    kill "$UNBOUND_PID"; wait "$UNBOUND_PID" 2>/dev/null; sleep 3; start_upstream; event="upstream restart (3 s down)"
  fi
  wait "$PERF"
  sent=$(awk '/Queries sent:/{print $3}' "$WORK/seg.txt"); lost=$(awk '/Queries lost:/{print $3}' "$WORK/seg.txt")
  codes=$(sed -n 's/.*Response codes: *//p' "$WORK/seg.txt")
  if [[ "$event" == upstream* ]]; then LOST_FAULT=$((LOST_FAULT + lost)); SENT_FAULT=$((SENT_FAULT + sent));
  else LOST_CLEAN=$((LOST_CLEAN + lost)); SENT_CLEAN=$((SENT_CLEAN + sent)); fi
  seg_heap=$(heap); seg_fds=$(fds)
  ROWS="$ROWS| $i | $event | $sent | $lost | $codes | $seg_heap | $seg_fds |"$'\n'
  echo "segment $i/$segments: $event sent=$sent lost=$lost ($codes) heap=${seg_heap}MB fds=$seg_fds"
done
HEAP1=$(heap); FD1=$(fds); RSS1=$(rss)
{
  echo "# Reliability"
  echo
  echo "Produced by \`scripts/soak.sh\` (DURATION=$DURATION RATE=$RATE) on $(date -u +%FT%TZ), $(nproc) cores:"
  echo "the packaged jar under a steady dnsperf load (\`-Q $RATE\`, 90 % names forwarded over DoT with"
  echo "caching, 10 % a local rule), the rules rewritten every 3rd segment (hot reload) and the DoT"
  echo "upstream killed for 3 s every 5th segment (fault windows)."
  echo
  echo "| | start | end |"
  echo "|---|---|---|"
  echo "| heap after full GC (MB) | $HEAP0 | $HEAP1 |"
  echo "| open file descriptors | $FD0 | $FD1 |"
  echo "| RSS (MB) | $RSS0 | $RSS1 |"
  echo
  echo "Lost answers outside fault windows: **$LOST_CLEAN of $SENT_CLEAN**; inside fault windows: $LOST_FAULT of $SENT_FAULT"
  echo "(during an upstream outage clients get SERVFAIL with EDE 23 or a cached answer, not silence)."
  echo
  echo "| segment (30 s) | event | sent | lost | response codes | heap after GC (MB) | fds |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
} > "$ROOT/RELIABILITY.md"
echo "RELIABILITY.md written: lost outside faults $LOST_CLEAN/$SENT_CLEAN, heap $HEAP0 -> $HEAP1 MB, fds $FD0 -> $FD1"
