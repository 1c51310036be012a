#!/usr/bin/env bash
# reload.sh TAG JVM_OPTS: dnsgate (JDK 25) with a 1M-name list, 5 s of hits, then the list file replaced by
# another 1M-name list (hot reload), then 10 s of hits; counts the full collections after the reload
TAG=$1; OPTS=$2
OUT=/tmp/s12/reload-$TAG; rm -rf $OUT; mkdir -p $OUT
cp /tmp/bench-q-1000000/blocklist-1m.txt $OUT/list.txt
cd /work/main
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JVM_OPTS="$OPTS" \
PORT=48253 UPSTREAM_CA=/tmp/s12/up/ca.pem UPSTREAM_ADDR=127.0.0.1:48853 UPSTREAM_NAME=dot.test BLOCKLIST=$OUT/list.txt LOCAL_RECORDS=/tmp/bench-q-1000000/local-hosts.txt \
  PROXY_EXTRA_OPTS="-Xlog:gc:file=$OUT/gc.log" scripts/bench-proxy.sh > $OUT/dnsgate.log 2>&1 &
S=$!
for i in $(seq 1 200); do dig +time=1 +tries=1 +short @127.0.0.1 -p 48253 www.bench.test A 2>/dev/null | grep -q 192.0.2.10 && break; sleep 0.1; done
R="LABEL=$TAG UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000 LOGDIR=$OUT"
env $R /work/shared/bench/run.sh 48253 cache-hit 5 | grep -o " qps=[0-9]*" | head -1
before=$(grep -c "loaded" $OUT/dnsgate.log)
cp /tmp/s12/bl-variant.txt $OUT/list.new && mv $OUT/list.new $OUT/list.txt
for i in $(seq 1 300); do [ "$(grep -c "loaded" $OUT/dnsgate.log)" -gt "$before" ] && break; sleep 0.1; done
grep "loaded" $OUT/dnsgate.log | tail -1 | cut -c1-160
n0=$(grep -c 'Pause Full' $OUT/gc.log)
env $R /work/shared/bench/run.sh 48253 cache-hit 10 | grep -o " qps=[0-9]*" | head -1
dig +short @127.0.0.1 -p 48253 d0000005.adz.example A | head -1
kill $S; while kill -0 $S 2>/dev/null; do sleep 0.1; done
echo "$TAG: full collections before the reload's end $n0, after it $(( $(grep -c 'Pause Full' $OUT/gc.log) - n0 )), young $(grep -c 'Pause Young' $OUT/gc.log)"
