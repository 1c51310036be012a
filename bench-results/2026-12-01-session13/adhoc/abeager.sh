#!/usr/bin/env bash
B="-Xms144m -Xmx144m -Xmn36m -XX:SurvivorRatio=10 -XX:-UseAdaptiveSizePolicy -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:+UseCompactObjectHeaders"
export JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java AOT_CACHE=/tmp/s13/app.aot
for i in 1 2 3 4; do
  for side in plain eager; do
    if [ $side = eager ]; then x="-XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly"; else x=""; fi
    if [ $((i % 2)) = 0 ] && [ $side = plain ]; then continue; fi
    JVM_OPTS="$B $x" OUT=/tmp/s13/ab-$side-$i ROUNDS=1 ./coldcurve.sh 2>&1 | sed "s/^/$side $i /"
    if [ $((i % 2)) = 0 ] && [ $side = eager ]; then JVM_OPTS="$B" OUT=/tmp/s13/ab-plain-$i ROUNDS=1 ./coldcurve.sh 2>&1 | sed "s/^/plain $i /"; fi
  done
done
