#!/usr/bin/env bash
# margin.sh TAG [JVM opts]: dnsgate (1M list) on JDK 25 + compact headers, 5 s of cache-hit; prints the first scavenge decisions after the System.gc
TAG=$1; shift
OUT=/tmp/s12/margin-$TAG; mkdir -p $OUT
cd /work/main
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} JVM_OPTS="${BASE_OPTS:--Xms144m -Xmx144m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders}" \
PORT=48253 UPSTREAM_CA=/tmp/s12/up/ca.pem UPSTREAM_ADDR=127.0.0.1:48853 UPSTREAM_NAME=dot.test BLOCKLIST=/tmp/bench-q-1000000/blocklist-1m.txt LOCAL_RECORDS=/tmp/bench-q-1000000/local-hosts.txt \
  PROXY_EXTRA_OPTS="$* -Xlog:gc,gc+ergo=trace:file=$OUT/gc.log" scripts/bench-proxy.sh > $OUT/dnsgate.log 2>&1 &
S=$!
for i in $(seq 1 200); do dig +time=1 +tries=1 +short @127.0.0.1 -p 48253 www.bench.test A 2>/dev/null | grep -q 192.0.2.10 && break; sleep 0.1; done
LABEL=$TAG UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000 LOGDIR=$OUT /work/shared/bench/run.sh 48253 cache-hit 5 | grep -o " qps=[0-9]*" | head -1
kill $S; while kill -0 $S 2>/dev/null; do sleep 0.1; done
echo "$TAG: $(grep -c 'Pause Full' $OUT/gc.log) full, $(grep -c 'Pause Young' $OUT/gc.log) young"
grep -A30 'System.gc' $OUT/gc.log | grep -m3 -E "scavenge:" | sed 's/.*\(Do\|Skip\) scavenge/\1 scavenge/'
