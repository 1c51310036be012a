#!/usr/bin/env bash
set -uo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=/tmp/s9/conns; rm -rf $OUT; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193
. $ROOT/scripts/lib/systems.sh
. $ROOT/scripts/lib/flood.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="${EXTRA:-}"
start_system dnsgate $PORT
HP=$(grep -o 'http://127.0.0.1:[0-9]*' $OUT/dnsgate.log | head -1)
curl -s $HP/q/metrics | grep -E "^dnsgate_upstream_(connections|connects)"
flood_warm $PORT dnsgate
(sleep 5; curl -s $HP/q/metrics | grep -E "^dnsgate_upstream_(connections|connects)"; ss -tnp | grep ":$DOT_PORT" | grep java ) & SUB=$!
flood_run $PORT dnsgate $SERVER $QDIR/flood.txt 10 200 $OUT/f | cut -c1-150
wait $SUB
