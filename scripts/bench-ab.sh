#!/usr/bin/env bash
# A/B of two packaged builds on the hit paths (cache-hit, local), alternating A and B so that the
# shared machine's drift falls on both alike. Each round starts one build the way
# scripts/bench-proxy.sh does (1M-name block list, 16 local records, a local DoT upstream), warms it
# with one untimed cache-hit run, measures cache-hit then local with ../shared/bench/run.sh, stops it.
# Usage: scripts/bench-ab.sh A_QUARKUS_APP_DIR B_QUARKUS_APP_DIR [rounds] [seconds]
#   e.g.  scripts/bench-ab.sh /tmp/dnsgate-base/target/quarkus-app target/quarkus-app 4 10
# Prints one "AB round=N side=A|B scenario=... qps=..." line per run; raw RESULT lines in $WORK.
# CPU_RATE=N adds, per scenario, a run at a fixed N qps and the server's CPU time per answered query
# (utime+stime of the process from /proc): on a machine that other work saturates, throughput says
# more about the neighbours than about the build, CPU per query much less so.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/lib/java.sh"
BENCH="${BENCH:-$ROOT/../shared/bench}"
A="$(cd "$1" && pwd)"; B="$(cd "$2" && pwd)"; ROUNDS="${3:-4}"; SECS="${4:-10}"
QDIR="${QDIR:-/tmp/bench-q}"; export QDIR
"$BENCH/gen-queries.sh" "$QDIR" >/dev/null
WORK="$(mktemp -d /tmp/dnsgate-ab.XXXXXX)"
PORT="${PORT:-25353}"
export DOT_PORT="${DOT_PORT:-38853}" PLAIN_PORT="${PLAIN_PORT:-38054}"
UPSTREAM_PID="$("$BENCH/upstream/start.sh" "$WORK/upstream")"
PROXY=""
cleanup() {
  [ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null || true
  kill "$(cat "$UPSTREAM_PID")" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$WORK/rules"
cat > "$WORK/rules/bench.yaml" <<YAML
rules:
  - name: bench-local
    action: local
    hosts: $QDIR/local-hosts.txt
  - name: bench-block
    match:
      list: $QDIR/blocklist-1m.txt
    action: block
YAML
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start() {
  # shellcheck disable=SC2086 # several JVM options
  java $DNSGATE_JVM_OPTS -Ddnsgate.listen.port="$PORT" \
    -Ddnsgate.upstream.servers="127.0.0.1:$DOT_PORT#dot.test" -Ddnsgate.upstream.ca-file="$WORK/upstream/ca.pem" \
    -Ddnsgate.rules.dir="$WORK/rules" -Dquarkus.http.port=0 -jar "$1/quarkus-run.jar" > "$WORK/proxy-$2-$3.log" 2>&1 &
  PROXY=$!
  for _ in $(seq 1 180); do
    if dig +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" www.bench.test A 2>/dev/null | grep -q 192.0.2.10; then return 0; fi
    sleep 0.5
  done
  echo "proxy $1 did not answer; see $WORK/proxy-$2-$3.log" >&2; exit 1
}
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    app="$A"; [ "$side" = B ] && app="$B"
    start "$app" "$side" "$round"
    LABEL="warm-$side" "$BENCH/run.sh" "$PORT" cache-hit 5 >> "$WORK/results.txt"
    for scenario in cache-hit local; do
      line="$(TARGET_PID=$PROXY LABEL="$side" "$BENCH/run.sh" "$PORT" "$scenario" "$SECS")"
      echo "$line" >> "$WORK/results.txt"
      echo "AB round=$round side=$side scenario=$scenario $(grep -o 'qps=[0-9]*' <<<"$line") $(grep -o 'lost_pct=[0-9.]*' <<<"$line")"
      if [ -n "${CPU_RATE:-}" ]; then
        before=$(cpu_ticks "$PROXY")
        line="$(RATE=$CPU_RATE LABEL="$side" "$BENCH/run.sh" "$PORT" "$scenario" "$SECS")"
        after=$(cpu_ticks "$PROXY")
        echo "$line" >> "$WORK/results.txt"
        completed=$(grep -o 'completed=[0-9]*' <<<"$line" | cut -d= -f2)
        echo "AB round=$round side=$side scenario=$scenario rate=$CPU_RATE completed=$completed" \
          "cpu_us_per_query=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$completed" 'BEGIN{printf "%.2f", t / hz * 1e6 / n}')"
      fi
    done
    kill "$PROXY"; wait "$PROXY" 2>/dev/null || true; PROXY=""
  done
done
echo "raw results: $WORK/results.txt (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
