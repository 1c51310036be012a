#!/usr/bin/env bash
# Validated forwarding: dnsgate (dnsgate.dnssec.validate=true) beside unbound with its validator on
# ("validator iterator"), both with the same trust anchors (the harness upstream's sigbench.test and
# signed.test DS records), both forwarding over DoT to ../shared/bench/upstream/start.sh.
# Scenarios, each a bounded dnsperf run with the harness's settings (-c 16 -q 256 -T 1 -t 2, as
# ../shared/bench/run.sh) plus DO=1 (-D, which run.sh cannot pass):
#   validated-miss   distinct names under sigbench.test (wildcard, each answer signed): validation per query
#   validated-hit    1,000 such names looped: cache hits of validated answers
#   plain-hit        1,000 names under bench.test (unsigned, no anchor): dnsgate's hits with validation off too
# The same anchors for both: only the two DS records (dnsgate anchor-mode=replace, unbound trust-anchor-file).
# Systems run one after the other on the same upstream, alternating (dnsgate, unbound, dnsgate-off).
# Usage: scripts/bench-dnssec.sh            SECS=10 ROUNDS=2 scripts/bench-dnssec.sh
# Ports: upstream DoT 18853 / plain 18054, dnsgate 18153, unbound 18154 (env DOT_PORT, PLAIN_PORT,
# PROXY_PORT, UNBOUND_PORT). Every process started here is stopped by its own PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
. "$ROOT/scripts/lib/unbound-conf.sh"
. "$ROOT/scripts/lib/java.sh"
SECS="${SECS:-10}"; ROUNDS="${ROUNDS:-2}"
export DOT_PORT="${DOT_PORT:-18853}" PLAIN_PORT="${PLAIN_PORT:-18054}"
PROXY_PORT="${PROXY_PORT:-18153}"; UNBOUND_PORT="${UNBOUND_PORT:-18154}"
W="${OUT:-/tmp/dnsgate-dnssec-bench-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$W/q" "$W/logs"
for tool in dnsperf unbound dig java; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

PIDS=()
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_all EXIT

"$BENCH/upstream/start.sh" "$W/upstream" >/dev/null
PIDS+=("$(cat "$W/upstream/unbound.pid")")
cat "$BENCH/upstream/sigbench.test.ds" "$BENCH/upstream/signed.test.ds" > "$W/anchors.ds"

# queries: DO is set by dnsperf -D below
awk 'BEGIN{for(i=0;i<800000;i++) printf "v%07d.sigbench.test A\n", i}' > "$W/q/miss.txt"
awk 'BEGIN{for(i=0;i<1000;i++) printf "h%04d.sigbench.test A\n", i}' > "$W/q/hit.txt"
awk 'BEGIN{for(i=0;i<1000;i++) printf "p%04d.bench.test A\n", i}' > "$W/q/plain.txt"

wait_ready() { # port name
  for _ in $(seq 1 180); do
    dig +time=1 +tries=1 +short -p "$1" @127.0.0.1 www.sigbench.test A >/dev/null 2>&1 && return 0; sleep 0.5
  done
  echo "$2 did not answer on $1" >&2; return 1
}

port_free() { ! ss -Hlun "sport = :$1" | grep -q .; }

start_dnsgate() { # validate: true|false; sets PID
  java ${JVM_OPTS:-$DNSGATE_JVM_OPTS} \
    -Ddnsgate.listen.port="$PROXY_PORT" -Dquarkus.http.port=0 -Ddnsgate.rules.dir="$W" \
    -Ddnsgate.upstream.servers="127.0.0.1:$DOT_PORT#dot.test" -Ddnsgate.upstream.ca-file="$W/upstream/ca.pem" \
    -Ddnsgate.dnssec.validate="$1" -Ddnsgate.dnssec.anchor-file="$W/anchors.ds" -Ddnsgate.dnssec.anchor-mode=replace \
    -jar target/quarkus-app/quarkus-run.jar > "$W/logs/dnsgate-$1-$round.log" 2>&1 &
  PID=$!
}

start_unbound() { # sets PID
  mkdir -p "$W/unbound"
  unbound_forwarder_conf "$W/unbound" "$UNBOUND_PORT" "$W/upstream" "$DOT_PORT" "validator iterator" <<CONF
  trust-anchor-file: "$W/anchors.ds"
  msg-cache-size: 32m
  rrset-cache-size: 64m
  prefetch: no
  qname-minimisation: no
  local-zone: "test." nodefault
CONF
  unbound-checkconf "$W/unbound/unbound.conf" >/dev/null
  unbound -c "$W/unbound/unbound.conf" -d -p > "$W/logs/unbound-$round.log" 2>&1 &
  PID=$!
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # label port scenario file [once]; uses $pid for the server's CPU time per answered query
  local log="$W/logs/$1-$3-$(date +%H%M%S).log" once=() before after
  [ "${5:-}" = once ] && once=(-n 1)
  before=$(cpu_ticks "$pid")
  dnsperf -s 127.0.0.1 -p "$2" -m udp -D -d "$4" -l "$SECS" -c 16 -q 256 -T 1 -t 2 "${once[@]}" > "$log" 2>&1 || true
  after=$(cpu_ticks "$pid")
  awk -v sys="$1" -v scen="$3" -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
    /Queries sent:/ {sent=$3} /Queries lost:/ {lost=$3}
    /Response codes:/ {sub(/.*Response codes: /, ""); rc=$0; gsub(/ /, "", rc)}
    /Queries per second:/ {qps=$4} /Average Latency/ {lat=$4}
    /Queries completed:/ {answered=$3}
    END {
         printf "RESULT system=%s scenario=%s qps=%s avg_ms=%.3f sent=%s lost=%s rcodes=%s server_cpu_us_per_answer=%.0f\n",
           sys, scen, qps, lat*1000, sent, lost, rc, (answered > 0 ? ticks * 1e6 / hz / answered : 0)}' \
    "$log" | tee -a "$W/results.txt"
}

prime() { # port file: every name asked once, so that the measured run is all cache hits
  dnsperf -s 127.0.0.1 -p "$1" -m udp -D -d "$2" -n 1 -c 4 -q 64 -t 5 > /dev/null 2>&1 || true
}

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$W/results.txt"
offset=0
for round in $(seq 1 "$ROUNDS"); do
  for system in dnsgate unbound dnsgate-off; do
    port=$PROXY_PORT; [ "$system" = unbound ] && port=$UNBOUND_PORT
    for _ in $(seq 1 60); do port_free "$port" && break; sleep 0.5; done   # the previous one's shutdown grace
    case "$system" in
      dnsgate) start_dnsgate true ;;
      dnsgate-off) start_dnsgate false ;;
      unbound) start_unbound ;;
    esac
    pid=$PID; PIDS+=("$pid")
    wait_ready "$port" "$system"
    dig +dnssec -p "$port" @127.0.0.1 www.sigbench.test A > "$W/logs/dig-$system-$round.txt" 2>&1
    # a fresh slice of distinct names per system and round, so every query is a miss
    sed -n "$((offset + 1)),$((offset + 150000))p" "$W/q/miss.txt" > "$W/q/miss-$system-$round.txt"; offset=$((offset + 150000))
    if [ "$system" != dnsgate-off ]; then
      run "$system" "$port" validated-miss "$W/q/miss-$system-$round.txt" once
      prime "$port" "$W/q/hit.txt"
      run "$system" "$port" validated-hit "$W/q/hit.txt"
    fi
    prime "$port" "$W/q/plain.txt"
    run "$system" "$port" plain-hit "$W/q/plain.txt"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$W/results.txt"
echo "results: $W/results.txt"
