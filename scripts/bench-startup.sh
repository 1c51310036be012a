#!/usr/bin/env bash
# Start-up from cold, the way a restarted resolver meets its clients (issue 15, target 4): for each
# dnsgate checkout given, ROUNDS fresh JVMs (alternated, so both meet the same noise), each started
# as the harness starts it (scripts/bench-proxy.sh: the 1M-name block list and the local hosts rules)
# and timed to its first forwarded answer (ready_s: `dig www.bench.test` answering, polled every
# 50 ms), then forward-unique for SECS right away (cold) and again on fresh names in the same JVM
# (warm); cold/warm is the "full speed" ratio. In the same run the peers' ready time, measured the way
# ../shared/bench/compare.sh does (start script to verified answer), with and without the 1M list.
# Prints one line per start and a Markdown table.
# Usage: scripts/bench-startup.sh DIR [DIR...]   (each a dnsgate checkout with target/quarkus-app built)
# Env: ROUNDS=2 SECS=15 PEERS="dnsdist:cache dnsdist:blocklist unbound:cache unbound:blocklist" (PEERS= for none)
#      JVM_OPTS / PROXY_EXTRA_OPTS (passed to bench-proxy.sh), AB_DOT_PORT=38853 AB_PLAIN_PORT=38054 AB_PORT=38153,
#      NICE=-15 (priority of everything started here, as scripts/ab.sh),
#      ENV_1, ENV_2, ... (extra environment for the first, second, ... DIR's bench-proxy.sh, NAME=value
#      words without spaces, e.g.
#      "JAVA=/path/bin/java AOT_CACHE=/path/app.aot"; the same DIR may be given twice with different ones)
# Needs: ../shared/bench (BENCH_DIR), dnsperf, unbound, dnsdist, dig, bc.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: bench-startup.sh DIR [DIR...]" >&2; exit 2; }
DIRS=(); for d in "$@"; do DIRS+=("$(cd "$d" && pwd)"); done
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
ROUNDS="${ROUNDS:-2}"; SECS="${SECS:-15}"; N=(nice -n "${NICE:--15}")
PEERS="${PEERS-dnsdist:cache dnsdist:blocklist unbound:cache unbound:blocklist}"
export UNIQUE_N="${UNIQUE_N:-1000000}"; export QDIR="${QDIR:-/tmp/bench-q-$UNIQUE_N}"
DOT_PORT="${AB_DOT_PORT:-38853}"; PLAIN_PORT="${AB_PLAIN_PORT:-38054}"; PORT="${AB_PORT:-38153}"
OUT="${OUT:-/tmp/dnsgate-startup-$(date +%Y%m%d-%H%M%S)}"; mkdir -p "$OUT"; RES="$OUT/results.txt"
[ -f "$QDIR/.done" ] || "$BENCH/gen-queries.sh" "$QDIR" >/dev/null
UPW="$OUT/upstream"
. "$ROOT/scripts/lib/systems.sh"
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "${N[@]}" "$BENCH/upstream/start.sh" "$UPW" >/dev/null
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -f "$UPW/unbound.pid" ] && kill "$(cat "$UPW/unbound.pid")" 2>/dev/null || true
}
trap cleanup EXIT
qps() { sed -n 's/.* qps=\([0-9]*\).*/\1/p'; }
echo "# bench-startup.sh $(date -u +%FT%TZ) SECS=$SECS loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
for i in "${!DIRS[@]}"; do
  extra_var="ENV_$((i + 1))"; [ -n "${!extra_var:-}" ] && echo "# $extra_var: ${!extra_var}" | tee -a "$RES"
done
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!DIRS[@]}"; do
    dir=${DIRS[$i]}; extra_var="ENV_$((i + 1))"; extra=${!extra_var:-}
    label="$(basename "$dir")@$(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo -)${extra:+/ENV_$((i + 1))}"
    log="$OUT/proxy-$(basename "$dir")-$((i + 1))-$round.log"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086 # ENV_n are NAME=value words
    dnsgate_start "$dir" "$PORT" "$log" env $extra "${N[@]}"
    ready=timeout
    if dnsgate_ready "$PORT" 0.05 1200 "${N[@]}"; then
      ready=$(printf %.2f "$(echo "$(date +%s.%N) - $t0" | bc)")
    fi
    cold=$(LABEL=cold TARGET_PID=$SERVER "${N[@]}" "$BENCH/run.sh" "$PORT" forward-unique "$SECS" | tee -a "$RES" | qps)
    warm=$(QFILE="$QDIR/unique-tcp.txt" LABEL=warm TARGET_PID=$SERVER "${N[@]}" "$BENCH/run.sh" "$PORT" forward-unique "$SECS" \
      | tee -a "$RES" | qps)
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    echo "START system=dnsgate build=$label round=$round ready_s=$ready cold_qps=$cold warm_qps=$warm" \
      "ratio=$(echo "scale=2; $cold / $warm" | bc) loadavg=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RES"
  done
  for peer in $PEERS; do
    script=${peer%%:*}; variant=${peer#*:}
    t0=$(date +%s.%N)
    if pidfile=$(PEERDIR="$OUT/peers" UPSTREAM_PORT=$DOT_PORT "${N[@]}" "$BENCH/peers/$script.sh" "$PORT" "$UPW" "$variant" \
        2>"$OUT/peer-$script-$variant-$round.err"); then
      ready=$(printf %.2f "$(echo "$(date +%s.%N) - $t0" | bc)")
      SERVER=$(cat "$pidfile"); kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
      while kill -0 "$SERVER" 2>/dev/null; do sleep 0.1; done; SERVER=""
    else
      ready=failed
    fi
    echo "START system=$script-$variant round=$round ready_s=$ready loadavg=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RES"
  done
done
echo "# loadavg at end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RES"
python3 - "$RES" "$SECS" <<'PY'
import re, sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    if line.startswith("START"):
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        rows.setdefault(kv.get("build", kv["system"]), []).append(kv)
secs = sys.argv[2]
print(f"\n| system | ready s | forward-unique first {secs} s, qps | same JVM again (warm), qps | cold / warm |")
print("|---|---|---|---|---|")
for name, runs in rows.items():
    col = lambda k: ", ".join(r.get(k, "-") for r in runs)
    print(f"| {name} | {col('ready_s')} | {col('cold_qps')} | {col('warm_qps')} | {col('ratio')} |")
PY
