#!/usr/bin/env bash
# SYS=dnsgate|dnsdist: warm with misses @2000 10 s, then capture loopback during misses @200 for 8 s
set -euo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
SYS=${SYS:-dnsgate}
OUT=${OUT:-/tmp/s9/cap-$SYS-$(date +%H%M%S)}; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39883; PLAIN_PORT=39084; PORT=39183
. $ROOT/scripts/lib/systems.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true; kill $TD 2>/dev/null || true' EXIT
export PROXY_EXTRA_OPTS="${EXTRA:-}"
start_system $SYS $PORT
LABEL=$SYS $BENCH/run.sh $PORT cache-hit 5 >/dev/null
awk 'NR>100000 && NR<=120000' $QDIR/unique-lat.txt > $OUT/warm.txt
awk 'NR>150000 && NR<=150000+'${N:-1600} $QDIR/unique-lat.txt > $OUT/q.txt
dnsperf -s 127.0.0.1 -p $PORT -d $OUT/warm.txt -l 10 -c 16 -T 1 -t 2 -n 1 -Q 2000 > $OUT/warm.log 2>&1 || true
tcpdump -i lo -n -w $OUT/cap.pcap -B 8192 "udp port $PORT or tcp port $DOT_PORT" 2>$OUT/td.err & TD=$!
sleep 1
dnsperf -s 127.0.0.1 -p $PORT -d $OUT/q.txt -l ${SECS:-8} -c 16 -T 1 -t 2 -n 1 -Q ${RATE:-200} -v > $OUT/dnsperf.log 2>&1 || true
sleep 0.5; kill $TD; wait $TD 2>/dev/null || true
awk '/^> / && $2 != "T" {print $NF}' $OUT/dnsperf.log | sort -g | awk '{v[NR]=$1} END{printf "n=%d p50=%.3f p99=%.3f p999=%.3f max=%.3f\n", NR, v[int(NR*.5)]*1000, v[int(NR*.99)]*1000, v[int(NR*.999)]*1000, v[NR]*1000}'
tcpdump -r $OUT/cap.pcap -n -tt 2>/dev/null > $OUT/cap.txt
python3 /tmp/s9/split.py $OUT/cap.txt $PORT $DOT_PORT
