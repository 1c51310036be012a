#!/usr/bin/env bash
set -euo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=${OUT:-/tmp/s9/pf-$(date +%H%M%S)}; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193
. $ROOT/scripts/lib/systems.sh
. $ROOT/scripts/lib/flood.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="${EXTRA:-}"
SYS=${SYS:-dnsgate}
start_system $SYS $PORT
flood_warm $PORT $SYS
[ -n "${PREFLOOD:-}" ] && flood_run $PORT $SYS $SERVER $QDIR/flood.txt 12 200 $OUT/pre > /dev/null
AP=/tmp/s9/ap/linux-x64/libasyncProfiler.so
[ "${PROF:-1}" = 1 ] && [ $SYS = dnsgate ] && jcmd $SERVER JVMTI.agent_load $AP "\"start,event=${EV:-cpu},interval=${IV:-200us},threads\"" > $OUT/ap-start.txt 2>&1
flood_run $PORT $SYS $SERVER $QDIR/flood.txt ${SECS:-12} 200 $OUT/$SYS
[ "${PROF:-1}" = 1 ] && [ $SYS = dnsgate ] && jcmd $SERVER JVMTI.agent_load $AP "\"stop,file=$OUT/collapsed.txt,collapsed\"" > $OUT/ap-stop.txt 2>&1
true
