#!/usr/bin/env bash
# SCEN=cache-hit: start dnsgate, warm 10 s, profile 10 s of SCEN at full rate (async-profiler cpu, flat)
set -euo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
SCEN=${SCEN:-cache-hit}
OUT=${OUT:-/tmp/s9/prof-$SCEN-$(date +%H%M%S)}; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193
. $ROOT/scripts/lib/systems.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="${EXTRA:-}"
start_system dnsgate $PORT
LABEL=dnsgate $BENCH/run.sh $PORT $SCEN 10 >/dev/null
AP=/tmp/s9/ap/linux-x64/libasyncProfiler.so
jcmd $SERVER JVMTI.agent_load $AP "\"start,event=${EV:-cpu},${APOPT:-interval=200us}\"" > $OUT/ap-start.txt 2>&1
LABEL=dnsgate $BENCH/run.sh $PORT $SCEN 10 | grep RESULT
jcmd $SERVER JVMTI.agent_load $AP "\"stop,file=$OUT/flat.txt,flat=60,traces=0\"" > $OUT/ap-stop.txt 2>&1
jcmd $SERVER JVMTI.agent_load $AP "\"collapsed,file=$OUT/collapsed.txt\"" > /dev/null 2>&1 || true
cat $OUT/ap-start.txt
