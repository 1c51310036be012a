# Random-subdomain flood with a client of cached names measured during it (sourced by
# scripts/bench-latency.sh and scripts/ab.sh). Needs BENCH (../shared/bench) and dnsperf.

# flood_queries FILE: more never-repeating names under nx.test (NXDOMAIN at the harness upstream)
# than any system answers in a run, so every one is a miss. Each flood_run reads FILE from its first
# line, so a second flood in the same process asks names again; they still miss, as the upstream's
# NXDOMAIN carries no SOA and so is not cached.
flood_queries() {
  [ -s "$1" ] || awk 'BEGIN{srand(15); for(i=1;i<=4000000;i++) printf "f%07d-%06d.nx.test A\n", i, int(rand()*1000000)}' > "$1"
}

# flood_warm PORT LABEL: 5 s of cache-hit at full rate, so that every hot name is cached before a flood.
flood_warm() {
  LABEL=$2 "$BENCH/run.sh" "$1" cache-hit 5 >/dev/null
}

# flood_run PORT LABEL PID FILE SECS CLIENT_RATE LOG_PREFIX [FLOOD_QPS]: floods FILE for SECS, at full
# rate or at most FLOOD_QPS (dnsperf -Q), while a client asks CLIENT_RATE qps of hot names (call
# flood_warm first); prints two RESULT lines, both with flood=max or flood=FLOOD_QPS:
# scenario=hit-during-flood (the client, with p50/p99/p99.9) and scenario=flood (qps, lost, rcodes;
# mode=max, or mode=rateFLOOD_QPS as run.sh names a fixed rate).
flood_run() {
  local port=$1 label=$2 pid=$3 file=$4 secs=$5 rate=$6 prefix=$7 cap=${8:-max} flooder
  local limit=()
  [ "$cap" = max ] || limit=(-Q "$cap")
  dnsperf -s 127.0.0.1 -p "$port" -d "$file" -n 1 -l "$secs" -c 16 -q 256 -T 1 -t 2 "${limit[@]}" > "$prefix-flood.log" 2>&1 &
  flooder=$!
  RATE=$rate LABEL=$label TARGET_PID=$pid "$BENCH/run.sh" "$port" cache-hit "$((secs - 2))" \
    | grep '^RESULT' | sed "s/scenario=cache-hit/scenario=hit-during-flood flood=$cap/"
  wait "$flooder" || true
  awk -v sys="$label" -v cap="$cap" '
    /Queries sent:/ {sent=$3} /Queries lost:/ {gsub(/[()%]/,"",$4); lost=$4}
    /Queries per second:/ {qps=$4} /Response codes:/ {s=$0; sub(/.*Response codes: */,"",s); gsub(/ /,"",s); rc=s}
    END {printf "RESULT system=%s scenario=flood flood=%s mode=%s qps=%.0f lost_pct=%s sent=%d rcodes=%s\n", sys, cap, (cap == "max" ? "max" : "rate" cap), qps, lost, sent, rc}' \
    "$prefix-flood.log"
}
