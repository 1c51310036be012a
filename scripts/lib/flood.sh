# Random-subdomain flood with a client of cached names measured during it (sourced by
# scripts/bench-latency.sh and scripts/ab.sh). Needs BENCH (../shared/bench) and dnsperf.

# flood_queries FILE: more never-repeating names under nx.test (NXDOMAIN at the harness upstream)
# than any system answers in a run, so every one is a miss.
flood_queries() {
  [ -s "$1" ] || awk 'BEGIN{srand(15); for(i=1;i<=4000000;i++) printf "f%07d-%06d.nx.test A\n", i, int(rand()*1000000)}' > "$1"
}

# flood_warm PORT LABEL: 5 s of cache-hit at full rate, so that every hot name is cached before a flood.
flood_warm() {
  LABEL=$2 "$BENCH/run.sh" "$1" cache-hit 5 >/dev/null
}

# flood_run PORT LABEL PID FILE SECS CLIENT_RATE LOG_PREFIX: floods FILE at full rate for SECS while a
# client asks CLIENT_RATE qps of hot names (call flood_warm first); prints two RESULT lines,
# scenario=hit-during-flood (the client, with p50/p99/p99.9) and scenario=flood (qps, lost, rcodes).
flood_run() {
  local port=$1 label=$2 pid=$3 file=$4 secs=$5 rate=$6 prefix=$7 flooder
  dnsperf -s 127.0.0.1 -p "$port" -d "$file" -n 1 -l "$secs" -c 16 -q 256 -T 1 -t 2 > "$prefix-flood.log" 2>&1 &
  flooder=$!
  RATE=$rate LABEL=$label TARGET_PID=$pid "$BENCH/run.sh" "$port" cache-hit "$((secs - 2))" \
    | grep '^RESULT' | sed 's/scenario=cache-hit/scenario=hit-during-flood/'
  wait "$flooder" || true
  awk -v sys="$label" '
    /Queries sent:/ {sent=$3} /Queries lost:/ {gsub(/[()%]/,"",$4); lost=$4}
    /Queries per second:/ {qps=$4} /Response codes:/ {s=$0; sub(/.*Response codes: */,"",s); gsub(/ /,"",s); rc=s}
    END {printf "RESULT system=%s scenario=flood mode=max qps=%.0f lost_pct=%s sent=%d rcodes=%s\n", sys, qps, lost, sent, rc}' \
    "$prefix-flood.log"
}
