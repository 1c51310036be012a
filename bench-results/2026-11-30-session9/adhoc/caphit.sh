#!/usr/bin/env bash
# SYS: cache-hit warm 5 s, then hits at RATE for SECS with loopback capture; server-side vs dnsperf percentiles
set -uo pipefail
ROOT=${ROOT:-/work/main}; BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
SYS=${SYS:-dnsgate}
OUT=${OUT:-/tmp/s9/caphit-$SYS-$(date +%H%M%S)}; mkdir -p "$OUT"; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39883; PLAIN_PORT=39084; PORT=39183
. $ROOT/scripts/lib/systems.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true; kill $TD 2>/dev/null || true' EXIT
start_system $SYS $PORT
LABEL=$SYS $BENCH/run.sh $PORT cache-hit 5 >/dev/null
tcpdump -i lo -n -w $OUT/cap.pcap -B 8192 "udp port $PORT" 2>$OUT/td.err & TD=$!
sleep 1
dnsperf -s 127.0.0.1 -p $PORT -d $QDIR/hot.txt -l ${SECS:-10} -c 16 -T 1 -t 2 -Q ${RATE:-200} -v > $OUT/dnsperf.log 2>&1 || true
sleep 0.5; kill $TD; wait $TD 2>/dev/null
echo "$SYS dnsperf: $(awk '/^> / && $2 != "T" {print $NF}' $OUT/dnsperf.log | sort -g | awk '{v[NR]=$1} END{printf "n=%d p50=%.3f p99=%.3f", NR, v[int(NR*.5)]*1000, v[int(NR*.99)]*1000}')"
python3 /tmp/s9/udpmatch.py $OUT/cap.pcap $PORT 2>/dev/null | head -1
