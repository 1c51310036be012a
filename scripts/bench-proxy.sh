#!/usr/bin/env bash
# Starts the packaged dnsgate the way ../shared/bench/compare.sh expects (its PROXY_CMD): in the
# foreground, on $PORT, forwarding to $UPSTREAM_ADDR (TLS name $UPSTREAM_NAME, CA $UPSTREAM_CA), with
# rules for the local (hosts file $LOCAL_RECORDS) and blocked-1m ($BLOCKLIST) scenarios.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
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
exec java ${JVM_OPTS:--Xms64m -Xmx144m -XX:+UseParallelGC} \
  -Ddnsgate.listen.port="$PORT" \
  -Ddnsgate.upstream.servers="$UPSTREAM_ADDR#$UPSTREAM_NAME" -Ddnsgate.upstream.ca-file="$UPSTREAM_CA" \
  -Ddnsgate.rules.dir="$RULES" -Dquarkus.http.port=0 ${PROXY_EXTRA_OPTS:-} \
  -jar "$ROOT/target/quarkus-app/quarkus-run.jar"
