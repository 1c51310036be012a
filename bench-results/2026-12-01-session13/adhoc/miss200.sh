#!/usr/bin/env bash
# where the slow misses at 200 qps fall in time: dnsperf -v order (completion) against the GC log
set -euo pipefail
ROOT=/work/main; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
DOT_PORT=48853; PORT=38153; OUT=${OUT:-/tmp/s13/m200}; mkdir -p $OUT; UPW=/tmp/s13/up
. $ROOT/scripts/lib/systems.sh
SERVER=""; trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="-Xlog:gc,safepoint:file=$OUT/gc.log:uptime ${EXTRA_OPTS:-}"
dnsgate_start $ROOT $PORT $OUT/proxy.log nice -n -15
dnsgate_ready $PORT 0.05 1200 nice -n -15
[ "${WARM:-1}" = 1 ] && nice -n -15 dnsperf -s 127.0.0.1 -p $PORT -d $QDIR/unique-tcp.txt -l 15 -c 16 -q 256 -T 1 -t 2 -n 1 > $OUT/warm.txt 2>&1
echo "start $(date +%s.%N)" > $OUT/times
sed -n "100001,$((100000 + ${N:-8000}))p" $QDIR/unique-lat.txt > $OUT/q.txt
nice -n -15 dnsperf -s 127.0.0.1 -p $PORT -d $OUT/q.txt -l ${SECS:-40} -c 16 -q 256 -T 1 -t 2 -n 1 -Q ${RATE:-200} -v > $OUT/m.txt 2>&1
echo "end $(date +%s.%N)" >> $OUT/times
kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""
grep '^> ' $OUT/m.txt | awk '{print NR, $NF*1000}' > $OUT/lat.txt
sort -k2 -g -r $OUT/lat.txt | head -15
