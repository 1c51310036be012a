#!/usr/bin/env bash
# The "rpz" benchmark scenario: the harness's 1M-name block list as a Response Policy Zone (every
# name "CNAME ."), served by dnsgate (action: rpz) and by unbound's rpz: module (1 thread, as in the
# harness), then ../shared/bench/run.sh blocked-1m (100k listed names, expect 100 % NXDOMAIN) against
# each, alternating ROUNDS times. Also reports dnsgate's heap with the zone loaded (old generation
# after a full GC, jcmd) and the zone's load time from the log. Loopback only; every process it
# starts is stopped by its PID.
#   Usage: scripts/bench-rpz.sh            (needs target/quarkus-app: ./mvnw package -DskipTests)
#   Env:   SECS (15) ROUNDS (2) RPZ_NAMES (1000000; 2000000 adds a second million "x" names)
#          WITH_BLOCKLIST=1: also dnsgate with the same names as a block list (match: list:), to compare
#          the two lookup paths under the same load
#          BENCH (../shared/bench) QDIR (/tmp/bench-q) PORT_BASE (39000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH:-$ROOT/../shared/bench}"; QDIR="${QDIR:-/tmp/bench-q}"
SECS="${SECS:-15}"; ROUNDS="${ROUNDS:-2}"; RPZ_NAMES="${RPZ_NAMES:-1000000}"
BASE="${PORT_BASE:-39000}"; DOT_PORT=$((BASE + 853)); PLAIN_PORT=$((BASE + 54))
UNBOUND_PORT=$((BASE + 1)); DNSGATE_PORT=$((BASE + 2)); BLOCKLIST_PORT=$((BASE + 3))
W="$(mktemp -d /tmp/dnsgate-rpz-bench.XXXXXX)"
. "$BENCH/peers/lib.sh"
. "$ROOT/scripts/lib/unbound-conf.sh"
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
for p in $DOT_PORT $PLAIN_PORT $UNBOUND_PORT $DNSGATE_PORT $BLOCKLIST_PORT; do port_free "$p" || { echo "port $p busy" >&2; exit 1; }; done
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null

# the zone: relative owners, origin bench.rpz.
{
  echo '$TTL 300'
  echo '@ SOA localhost. admin.localhost. 1 3600 600 86400 300'
  echo '@ NS localhost.'
  awk '!/^#/ && NF>=2 {print $2 " CNAME ."}' "$QDIR/blocklist-1m.txt"
  if [ "$RPZ_NAMES" -gt 1000000 ]; then
    awk '!/^#/ && NF>=2 {print "x" $2 " CNAME ."}' "$QDIR/blocklist-1m.txt"
  fi
} > "$W/bench.rpz"
echo "zone: $(($(wc -l < "$W/bench.rpz") - 3)) policy records, $(du -h "$W/bench.rpz" | cut -f1)" >&2

UPPID=$(DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$W/upstream")
PIDS+=("$(cat "$UPPID")")
UP="$W/upstream"

start_unbound() {
  unbound_forwarder_conf "$W" "$UNBOUND_PORT" "$UP" "$DOT_PORT" "respip iterator" <<CONF
  msg-cache-size: 32m
  rrset-cache-size: 64m
  prefetch: no
  qname-minimisation: no
  local-zone: "test." nodefault
rpz:
  name: bench.rpz
  zonefile: "$W/bench.rpz"
CONF
  unbound-checkconf "$W/unbound.conf" >/dev/null
  local t0; t0=$(date +%s.%N)
  unbound -c "$W/unbound.conf" -d -p > "$W/unbound.log" 2>&1 &
  UNBOUND_PID=$!; PIDS+=("$UNBOUND_PID")
  wait_ready "$UNBOUND_PORT" d0000001.ads.example A 'status: NXDOMAIN' 600 || { cat "$W/unbound.log" >&2; exit 1; }
  echo "unbound ready after $(echo "$(date +%s.%N) - $t0" | bc) s" >&2
}

# start_dnsgate NAME PORT RULE-YAML -> sets STARTED_PID
start_dnsgate() {
  local name=$1 port=$2 rule=$3
  mkdir -p "$W/rules-$name"
  printf 'rules:\n%s\n' "$rule" > "$W/rules-$name/bench.yaml"
  local t0; t0=$(date +%s.%N)
  java ${JVM_OPTS:--Xms64m -Xmx256m -XX:+UseParallelGC} \
    -Ddnsgate.listen.port="$port" \
    -Ddnsgate.upstream.servers="127.0.0.1:$DOT_PORT#dot.test" -Ddnsgate.upstream.ca-file="$UP/ca.pem" \
    -Ddnsgate.rules.dir="$W/rules-$name" -Ddnsgate.rules.list-cache-dir="$W/cache" -Dquarkus.http.port=0 \
    -jar "$ROOT/target/quarkus-app/quarkus-run.jar" > "$W/$name.log" 2>&1 &
  STARTED_PID=$!; PIDS+=("$STARTED_PID")
  wait_ready "$port" d0000001.ads.example A 'status: NXDOMAIN' 600 || { cat "$W/$name.log" >&2; exit 1; }
  wait_ready "$port" www.bench.test A '192\.0\.2\.10' 100 || { cat "$W/$name.log" >&2; exit 1; }
  echo "$name ready after $(echo "$(date +%s.%N) - $t0" | bc) s; $(grep -oE '(rpz bench.rpz.: |loaded ).*' "$W/$name.log" | head -2 | tr '\n' ' ')" >&2
  jcmd "$STARTED_PID" GC.run >/dev/null
  echo "$name heap after full GC: $(jcmd "$STARTED_PID" GC.heap_info | grep -E 'ParOldGen|PSOldGen' | head -1)" >&2
}

[ "$ROUNDS" -gt 0 ] && start_unbound
start_dnsgate dnsgate-rpz "$DNSGATE_PORT" "  - {name: bench-rpz, action: rpz, zone: bench.rpz, file: $W/bench.rpz}"
DNSGATE_PID=$STARTED_PID
if [ -n "${WITH_BLOCKLIST:-}" ]; then
  start_dnsgate dnsgate-blocklist "$BLOCKLIST_PORT" \
    "  - {name: bench-block, action: block, match: {list: $QDIR/blocklist-1m.txt}}"
  BLOCKLIST_PID=$STARTED_PID
fi
for round in $(seq 1 "$ROUNDS"); do
  TARGET_PID=$UNBOUND_PID LABEL=unbound-rpz QDIR="$QDIR" "$BENCH/run.sh" "$UNBOUND_PORT" blocked-1m "$SECS"
  TARGET_PID=$DNSGATE_PID LABEL=dnsgate-rpz QDIR="$QDIR" "$BENCH/run.sh" "$DNSGATE_PORT" blocked-1m "$SECS"
  if [ -n "${WITH_BLOCKLIST:-}" ]; then
    TARGET_PID=$BLOCKLIST_PID LABEL=dnsgate-blocklist QDIR="$QDIR" "$BENCH/run.sh" "$BLOCKLIST_PORT" blocked-1m "$SECS"
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
