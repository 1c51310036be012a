#!/usr/bin/env bash
. /work/main/scripts/lib/java.sh
export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java AOT_CACHE=/tmp/s13/app.aot
for i in 1 2 3; do
  order="base cic"; [ $((i % 2)) = 0 ] && order="cic base"
  for side in $order; do
    x=""; [ $side = cic ] && x="-XX:CICompilerCount=${CIC:-4}"
    JVM_OPTS="$DNSGATE_JVM_OPTS -XX:+UseCompactObjectHeaders $x" OUT=/tmp/s13/cic-$side-$i ROUNDS=1 ./coldcurve.sh 2>&1 | sed "s/^/$side $i /"
  done
done
