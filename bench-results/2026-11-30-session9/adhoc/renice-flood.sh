#!/usr/bin/env bash
# flood with a 200 qps cached client; RENICE=N: the upstream loop thread(s) get nice +N relative
set -uo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=${OUT:-/tmp/s9/rf-$(date +%H%M%S)}; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193
. $ROOT/scripts/lib/systems.sh
. $ROOT/scripts/lib/flood.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
start_system dnsgate $PORT
flood_warm $PORT dnsgate
flood_run $PORT dnsgate $SERVER $QDIR/flood.txt 10 200 $OUT/pre > /dev/null
for r in ${ROUNDS_LIST:-0 5 0 5}; do
  for t in $(jstack $SERVER | grep '"vert.x-eventloop-thread-1"' | sed -n 's/.*nid=\(0x[0-9a-f]*\).*/\1/p'); do
    tid=$((t)); cur=$(awk '{print $19}' /proc/$SERVER/task/$tid/stat); base=${base:-$cur}
    renice -n $((base + r)) -p $tid >/dev/null
  done
  echo "renice +$r: $(flood_run $PORT dnsgate $SERVER $QDIR/flood.txt 12 200 $OUT/r$r | sed -n 's/.*scenario=\([a-z-]*\).*qps=\([0-9]*\).*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2 p50=\3 p99=\4/p; s/.*scenario=flood.*qps=\([0-9]*\) lost_pct=\([0-9.]*\).*/flood \1 lost=\2/p' | tr '\n' ' ')"
done
