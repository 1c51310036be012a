#!/usr/bin/env bash
# profile dnsgate's listener during a 13k qps flood with a 200 qps cached-name client
set -euo pipefail
ROOT=/work/main; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000 BENCH
DOT_PORT=48853; PORT=38153; OUT=${OUT:-/tmp/s13/prof}; mkdir -p $OUT; UPW=/tmp/s13/up
. $ROOT/scripts/lib/systems.sh; . $ROOT/scripts/lib/flood.sh
flood_queries /tmp/s13/flood.txt
SERVER=""; trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="-agentpath:/tmp/s9/ap/linux-x64/libasyncProfiler.so=start,event=cpu,interval=${INTERVAL:-1ms},threads,file=$OUT/cpu.collapsed,collapsed ${EXTRA_OPTS:-}"
dnsgate_start $ROOT $PORT $OUT/proxy.log nice -n -15
dnsgate_ready $PORT 0.05 1200 nice -n -15
RATE=2000 LABEL=warm nice -n -15 $BENCH/run.sh $PORT cache-hit 2 >/dev/null
nice -n -15 bash -c ". $ROOT/scripts/lib/flood.sh; flood_run $PORT dnsgate $SERVER /tmp/s13/flood.txt ${SECS:-30} 200 $OUT/f ${QPS:-13000}"
kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
