#!/usr/bin/env bash
# Writes an AOT cache (JDK 25 or later: JEP 483 classes loaded and linked, JEP 515 method profiles)
# for dnsgate from a training run: the jar starts with a small block list and local hosts rule (so
# that their loaders are in the cache), runs its own warm-up (made-up
# queries over loopback TLS through the forwarding code, dev.dnsgate.warmup) and is stopped once the
# warm-up is done; the JVM then assembles the cache. A later start with -XX:AOTCache=OUT loads the
# classes ready-made (the framework starts 10-30 % sooner) and has the training's method profiles
# (which did not measurably speed up the first seconds of traffic: BENCHMARKS.md, JDK 25).
# The cache fits only the same JVM, the same jar path as given here (run from the same folder) and
# the same object-header layout (-XX:+UseCompactObjectHeaders or not); a JVM that finds it does not
# fit ignores it and says so. Train again after every build: JDK 25.0.3 does not check the jars
# against the cache (JDK-8377932): the classes of quarkus-run.jar's class path (lib/boot) would come
# from the build it was trained on (dnsgate's and the libraries' own only while their bytes match).
# Usage: scripts/lib/aot-train.sh JAVA OUT.aot JAR [JVM_OPTION...]
#        (from the folder the production run starts in; JAR exactly as that run names it)
# Env: AOT_TRAIN_SECS=5 (warm-up length)
set -euo pipefail
JAVA=${1:?usage: aot-train.sh JAVA OUT.aot JAR [JVM_OPTION...]}; OUT=${2:?}; JAR=${3:?}; shift 3
rules=$(mktemp -d /tmp/dnsgate-aot-rules.XXXXXX)
log="$OUT.train.log"
tmp="$OUT.tmp.$$"   # written beside OUT, then renamed: a reader never sees half a cache
pid=""
# the training JVM goes with this script, however it ends (a background job ignores Ctrl-C)
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$rules" "$tmp" "$tmp.config"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
printf 'ads.aot-training.invalid\ntracker.aot-training.invalid\n' > "$rules/block.txt"
printf '192.0.2.1 host.aot-training.invalid\n' > "$rules/hosts"
cat > "$rules/training.yaml" <<YAML
rules:
  - name: training-local
    action: local
    hosts: $rules/hosts
  - name: training-block
    match:
      list: $rules/block.txt
    action: block
YAML
"$JAVA" -XX:AOTCacheOutput="$tmp" "$@" -Ddnsgate.rules.dir="$rules" \
  -Ddnsgate.warm-up.duration="${AOT_TRAIN_SECS:-5}s" -Ddnsgate.listen.port=0 \
  -Dquarkus.http.port=0 -Ddnsgate.upstream.servers=127.0.0.1:1#aot-training.invalid \
  -jar "$JAR" > "$log" 2>&1 &
pid=$!
# the warm-up logs one line when it ends; stopping the JVM then is what makes it write the cache
done_line='warm-up: [0-9]+ made-up queries over loopback TLS, [1-9][0-9]* answered'
for _ in $(seq 1 600); do
  grep -Eq "$done_line" "$log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
grep -Eq "$done_line" "$log" \
  || { echo "aot-train.sh: the training run did not finish a warm-up with answers (log: $log)" >&2; exit 1; }
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""
grep -q 'AOTCache creation is complete' "$log" && [ -s "$tmp" ] \
  || { echo "aot-train.sh: no AOT cache written (log: $log)" >&2; exit 1; }
# readable by the service's own user (the image's 10053, a systemd DynamicUser) whatever the umask
chmod 644 "$tmp"
mv -f "$tmp" "$OUT"
