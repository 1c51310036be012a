# Starts and stops one system under test beside the harness upstream (sourced by
# scripts/bench-latency.sh). Needs ROOT, BENCH, QDIR, OUT, UPW (upstream workdir), DOT_PORT; sets SERVER (its PID).

# start_system NAME PORT: dnsgate (scripts/bench-proxy.sh, JVM_OPTS honoured), dnsdist or unbound
start_system() {
  local name=$1 port=$2 pidfile
  case "$name" in
    dnsgate)
      PORT=$port UPSTREAM_CA="$UPW/ca.pem" UPSTREAM_ADDR="127.0.0.1:$DOT_PORT" UPSTREAM_NAME=dot.test \
        BLOCKLIST="$QDIR/blocklist-1m.txt" LOCAL_RECORDS="$QDIR/local-hosts.txt" \
        "$ROOT/scripts/bench-proxy.sh" > "$OUT/dnsgate.log" 2>&1 &
      SERVER=$!
      for _ in $(seq 1 900); do
        dig +time=1 +tries=1 +short @127.0.0.1 -p "$port" www.bench.test A 2>/dev/null | grep -q 192.0.2.10 && return 0
        sleep 0.1
      done
      echo "dnsgate did not answer; see $OUT/dnsgate.log" >&2; return 1 ;;
    dnsdist|unbound)
      pidfile=$(UPSTREAM_PORT=$DOT_PORT "$BENCH/peers/$name.sh" "$port" "$UPW" 2>>"$OUT/$name.log")
      SERVER=$(cat "$pidfile") ;;
    *) echo "unknown system $name" >&2; return 1 ;;
  esac
}

# stop_system: stops SERVER and waits until it is gone (peers are not children of this shell, so
# `wait` alone would let the next system start while the port is still held); never fails.
stop_system() {
  if [ -n "${SERVER:-}" ]; then
    kill "$SERVER" 2>/dev/null || true
    while kill -0 "$SERVER" 2>/dev/null; do sleep 0.1; done
  fi
  SERVER=""
}
