#!/usr/bin/env bash
set -uo pipefail
ROOT=/work/main; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=/tmp/s9/startprof; rm -rf $OUT; mkdir -p $OUT; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193
. $ROOT/scripts/lib/systems.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="-agentpath:/tmp/s9/ap/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads,file=$OUT/collapsed.txt,collapsed"
OUT=$OUT start_system dnsgate $PORT
sleep 1
grep "start-up" $OUT/dnsgate.log | cut -c1-200
