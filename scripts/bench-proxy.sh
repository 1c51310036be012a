#!/usr/bin/env bash
# Starts the packaged dnsgate the way ../shared/bench/compare.sh expects (its PROXY_CMD): in the
# foreground, on $PORT, forwarding to $UPSTREAM_ADDR (TLS name $UPSTREAM_NAME, CA $UPSTREAM_CA), with
# rules for the local (hosts file $LOCAL_RECORDS) and blocked-1m ($BLOCKLIST) scenarios. With ENC=1,
# compare.sh also passes DOT_PORT_CLIENT / DOH_PORT_CLIENT and TLS_CERT / TLS_KEY: DoT and DoH for
# clients are then enabled on those ports with that certificate (dot-hit, doh-hit).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/scripts/lib/java.sh"
RULES="$(mktemp -d /tmp/dnsgate-bench-rules.XXXXXX)"
cat > "$RULES/bench.yaml" <<YAML
rules:
  - name: bench-local
    action: local
    hosts: $LOCAL_RECORDS
  - name: bench-block
    match:
      list: $BLOCKLIST
    action: block
YAML
ENC_OPTS=()
if [ -n "${DOT_PORT_CLIENT:-}${DOH_PORT_CLIENT:-}" ]; then
  ENC_OPTS+=(-Ddnsgate.listen.tls.cert-file="$TLS_CERT" -Ddnsgate.listen.tls.key-file="$TLS_KEY")
fi
if [ -n "${DOT_PORT_CLIENT:-}" ]; then
  ENC_OPTS+=(-Ddnsgate.listen.dot.enabled=true -Ddnsgate.listen.dot.port="$DOT_PORT_CLIENT")
fi
if [ -n "${DOH_PORT_CLIENT:-}" ]; then
  ENC_OPTS+=(-Ddnsgate.listen.doh.enabled=true -Ddnsgate.listen.doh.port="$DOH_PORT_CLIENT")
fi
if [ -n "${AOT_CACHE:-}" ]; then
  [ -f "$AOT_CACHE" ] || { echo "bench-proxy.sh: no AOT cache $AOT_CACHE" >&2; exit 1; }
  AOT_CACHE=$(realpath "$AOT_CACHE")
fi
# From the app's folder: the AppCDS archive (./mvnw package makes it) names the jar relative to it.
cd "$ROOT/target/quarkus-app"
# JAVA chooses another JVM (e.g. a newer JDK's bin/java); the archive is then the one ./mvnw made for
# the build JDK, which another JVM would reject, so it is left out. AOT_CACHE (JDK 25 or later) names
# an AOT cache that scripts/lib/aot-train.sh wrote from this folder for `-jar quarkus-run.jar`.
CDS_OPTS=()
if [ -n "${AOT_CACHE:-}" ]; then
  # JDK 25.0.3 does not check the jars against such a cache (JDK-8377932): an older one would bring
  # lib/boot's classes of an older build without a word. AOTMode=on: a cache that does not fit the
  # options (compact headers on one side only) stops the run instead of running it without.
  if [ -n "$(find . -type f -newer "$AOT_CACHE" ! -name app-cds.jsa ! -name '*.aot*' -print -quit)" ]; then
    echo "bench-proxy.sh: $AOT_CACHE is older than target/quarkus-app: train it again (scripts/lib/aot-train.sh)" >&2; exit 1
  fi
  CDS_OPTS=(-XX:AOTCache="$AOT_CACHE" -XX:AOTMode=on)
elif [ -f app-cds.jsa ] && [ -z "${JAVA:-}" ]; then
  CDS_OPTS=(-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto)
fi
exec "${JAVA:-java}" ${JVM_OPTS:-$DNSGATE_JVM_OPTS} "${CDS_OPTS[@]}" \
  -Ddnsgate.listen.port="$PORT" \
  -Ddnsgate.upstream.servers="$UPSTREAM_ADDR#$UPSTREAM_NAME" -Ddnsgate.upstream.ca-file="$UPSTREAM_CA" \
  -Ddnsgate.rules.dir="$RULES" -Dquarkus.http.port=0 "${ENC_OPTS[@]}" ${PROXY_EXTRA_OPTS:-} \
  -jar quarkus-run.jar
