#!/usr/bin/env bash
# per-second qps of forward-unique in a fresh JVM (cold) then again (warm); EXTRA env passed to bench-proxy
set -euo pipefail
ROOT=/work/main; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
DOT_PORT=38853; PLAIN_PORT=38054; PORT=38153
OUT=${OUT:-/tmp/s13/cold-$(date +%H%M%S)}; mkdir -p "$OUT"
UPW=$OUT/upstream
. $ROOT/scripts/lib/systems.sh
DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT nice -n -15 $BENCH/upstream/start.sh $UPW >/dev/null
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true; kill $(cat $UPW/unbound.pid) 2>/dev/null || true; }
trap cleanup EXIT
for r in $(seq 1 ${ROUNDS:-2}); do
  t0=$(date +%s.%N)
  dnsgate_start $ROOT $PORT $OUT/proxy-$r.log env ${EXTRA:-} nice -n -15
  dnsgate_ready $PORT 0.05 1200 nice -n -15
  echo "round $r ready $(echo "$(date +%s.%N) - $t0" | bc)"
  for phase in cold warm; do
    f=$QDIR/unique.txt; [ $phase = warm ] && f=$QDIR/unique-tcp.txt
    nice -n -15 dnsperf -s 127.0.0.1 -p $PORT -d $f -l 15 -c 16 -q 256 -T 1 -t 2 -n 1 -S 1 > $OUT/$phase-$r.txt 2>&1
    echo "$phase: $(grep -o '^[0-9.]*: [0-9.]*' $OUT/$phase-$r.txt | awk '{printf "%d ", $2}') total $(sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p' $OUT/$phase-$r.txt)"
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
done
