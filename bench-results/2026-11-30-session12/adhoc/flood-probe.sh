#!/usr/bin/env bash
# ad-hoc: flood with a hot-name client, sampling the listening socket's Recv-Q and per-thread CPU
# Env: DIR (build, default /work/main), FLOOD_Q (dnsperf -Q for the flood; empty = full rate), TAG
set -uo pipefail
ROOT=${DIR:-/work/main}; BENCH=/work/shared/bench; TAG=${TAG:-x}
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=/tmp/s12/probe-$TAG; mkdir -p $OUT; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=48853; PLAIN_PORT=48054; PORT=48153; UPW=/tmp/s12/up
. /work/main/scripts/lib/flood.sh; . /work/main/scripts/lib/systems.sh
[ -f $UPW/unbound.pid ] && kill -0 $(cat $UPW/unbound.pid) 2>/dev/null || DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
FLOOD=$QDIR/flood.txt; flood_queries $FLOOD
SYS=${SYS:-dnsgate}
start_system $SYS $PORT || exit 1
echo "server $SERVER"
jcmd $SERVER Thread.print | grep -o '"vert.x-eventloop-thread-[0-9]*".*nid=0x[0-9a-f]*' | sed 's/".*\(thread-[0-9]*\)".*nid=0x/\1 /' > $OUT/loops.txt
while read name hex; do echo "$name $((16#$hex))"; done < $OUT/loops.txt > $OUT/loop-tids.txt; cat $OUT/loop-tids.txt
if [ -n "${SLICE_NS:-}" ]; then for t in $(awk -v w="${SLICE_LOOPS:-thread-0}" 'index(" "w" ", " "$1" ")' $OUT/loop-tids.txt | cut -d" " -f2); do /tmp/s12/slice $t $SLICE_NS; done; fi
flood_warm $PORT $SYS
( for i in $(seq 1 300); do ss -uanm "sport = :$PORT" | awk 'NR>1{print $2}' | head -1; sleep 0.05; done > $OUT/recvq.txt ) &
sampler=$!
( sleep 8; top -H -b -n 1 -d 5 -p $SERVER | head -30 > $OUT/top-threads.txt; top -b -n 2 -d 4 | sed -n '/^top/h; $!d; x; p' >/dev/null ) &
qopt=""; [ -n "${FLOOD_Q:-}" ] && qopt="-Q $FLOOD_Q"
cap=""; if [ -n "${CAPTURE:-}" ]; then tcpdump -i lo -s 128 -B 65536 -w $OUT/cap.pcap "udp port $PORT" 2>$OUT/tcpdump.err & cap=$!; sleep 1; fi
dnsperf -s 127.0.0.1 -p $PORT -d $FLOOD -n 1 -l 20 -c 16 -q 256 -T 1 -t 2 $qopt > $OUT/flood.log 2>&1 &
flooder=$!
sleep 4; /tmp/s12/threadcpu.sh $SERVER 10 > $OUT/threads.txt &
if [ -n "${PROFILE:-}" ]; then ( jcmd $SERVER JVMTI.agent_load /tmp/s9/ap/linux-x64/libasyncProfiler.so "start,event=cpu,interval=200us,threads" > $OUT/ap-start.txt 2>&1; sleep 10; jcmd $SERVER JVMTI.agent_load /tmp/s9/ap/linux-x64/libasyncProfiler.so "stop,file=$OUT/profile.collapsed,collapsed,threads" > $OUT/ap-stop.txt 2>&1 ) & fi
RATE=200 LABEL=$SYS TARGET_PID=$SERVER $BENCH/run.sh $PORT cache-hit 18 | grep '^RESULT'
while kill -0 $flooder 2>/dev/null; do sleep 0.2; done
grep -E "Queries (sent|completed|lost)|per second" $OUT/flood.log
kill $sampler 2>/dev/null
if [ -n "$cap" ]; then kill $cap; sleep 1; grep -i drop $OUT/tcpdump.err; python3 /tmp/s12/hitcap.py $OUT/cap.pcap $PORT; rm -f $OUT/cap.pcap; fi
sort -n $OUT/recvq.txt | awk '{a[NR]=$1} END{print "recvq bytes p50", a[int(NR/2)], "p90", a[int(NR*0.9)], "max", a[NR]}'
stop_system
