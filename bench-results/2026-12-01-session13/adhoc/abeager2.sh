#!/usr/bin/env bash
. /work/main/scripts/lib/java.sh
export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java AOT_CACHE=/tmp/s13/app.aot JVM_OPTS="$DNSGATE_JVM_OPTS -XX:+UseCompactObjectHeaders"
for i in 1 2 3; do
  order="1 0"; [ $((i % 2)) = 0 ] && order="0 1"
  for e in $order; do
    AOT_EAGER=$e OUT=/tmp/s13/ab2-$e-$i ROUNDS=1 ./coldcurve.sh 2>&1 | sed "s/^/eager=$e $i /"
  done
done
