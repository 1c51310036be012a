#!/bin/bash
# ad-hoc: allocations outside TLABs and young pauses as DoT clients first reach full rate
set -e
ROOT=/work/main; BENCH=/work/shared/bench; export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=/tmp/s11/dotjfr; rm -rf $OUT; mkdir -p $OUT; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=35853; PLAIN_PORT=35054; PORT=35153
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
. $ROOT/scripts/lib/systems.sh
trap 'stop_system; kill $(cat $UPW/unbound.pid)' EXIT
PROXY_EXTRA_OPTS="-Xlog:gc:file=$OUT/gc.log:uptime -Xlog:gc+heap=debug,gc+phases=debug,safepoint:file=$OUT/detail.log:uptime" \
  dnsgate_start $ROOT $PORT $OUT/dnsgate.log env DOT_PORT_CLIENT=$((PORT+1000)) TLS_CERT=$UPW/dot.test.pem TLS_KEY=$UPW/dot.test.key nice -n -15
dnsgate_ready $PORT 0.1 300
LABEL=warm nice -n -15 $BENCH/run.sh $PORT cache-hit 5 > /dev/null
echo "dot start $(date +%T.%N)"
LABEL=dot nice -n -15 $BENCH/run.sh $((PORT+1000)) dot-hit 8 | grep RESULT | sed 's/ log=.*//' | cut -c1-200
