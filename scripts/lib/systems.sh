# Starts and stops a system under test beside the harness upstream (sourced by bench-latency.sh,
# ab.sh, ab-enc.sh, ab-pauses.sh and bench-startup.sh). Needs BENCH, QDIR, UPW (upstream workdir) and DOT_PORT
# (start_system also ROOT and OUT); sets SERVER (its PID).

# dnsgate_start DIR PORT LOG [PREFIX...]: runs DIR's scripts/bench-proxy.sh in the background with the
# harness's upstream, 1M-name block list and local records; PREFIX wraps it (e.g. `env JVM_OPTS=...
# nice -n -15`). Sets SERVER.
dnsgate_start() {
  local dir=$1 port=$2 log=$3
  shift 3
  PORT=$port UPSTREAM_CA="$UPW/ca.pem" UPSTREAM_ADDR="127.0.0.1:$DOT_PORT" UPSTREAM_NAME=dot.test \
    BLOCKLIST="$QDIR/blocklist-1m.txt" LOCAL_RECORDS="$QDIR/local-hosts.txt" \
    "$@" "$dir/scripts/bench-proxy.sh" > "$log" 2>&1 &
  SERVER=$!
}

# dnsgate_ready PORT POLL_S TRIES [PREFIX...]: 0 as soon as a query forwarded through PORT answers
# (polled every POLL_S, each dig run under PREFIX), 1 after TRIES polls.
dnsgate_ready() {
  local port=$1 poll=$2 tries=$3
  shift 3
  for _ in $(seq 1 "$tries"); do
    "$@" dig +time=1 +tries=1 +short @127.0.0.1 -p "$port" www.bench.test A 2>/dev/null | grep -q 192.0.2.10 && return 0
    sleep "$poll"
  done
  return 1
}

# start_system NAME PORT: dnsgate (scripts/bench-proxy.sh, JVM_OPTS honoured), dnsdist or unbound
start_system() {
  local name=$1 port=$2 pidfile
  case "$name" in
    dnsgate)
      dnsgate_start "$ROOT" "$port" "$OUT/dnsgate.log"
      dnsgate_ready "$port" 0.1 900 && return 0
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

# uptime_s PID: the JVM's uptime in seconds, unrounded (the start of a phase's window in its GC log);
# rounded down, a window took in the last pauses of the full-rate run before it
uptime_s() { jcmd "$1" VM.uptime 2>/dev/null | awk '/s$/{print $1}'; }
