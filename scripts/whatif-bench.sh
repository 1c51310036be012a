#!/usr/bin/env bash
# Rule what-if speed: 1,000,000 recorded queries replayed through two rule folders that both load a
# 1,000,000-name block list (the format of ../shared/bench/gen-queries.sh), with a bounded heap.
# Usage: scripts/whatif-bench.sh [WORKDIR]   (default target/whatif-bench; JAVA_OPTS default -Xmx256m)
# Prints the what-if's own report head (load and replay times) and the wall time and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
W="${1:-target/whatif-bench}"
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  ./mvnw -B -q package -DskipTests >&2
fi
mkdir -p "$W/current" "$W/candidate" "$W/lists"
export LC_ALL=C
if [ ! -f "$W/lists/blocklist-1m.txt" ]; then
  {
    awk 'BEGIN{for(i=1;i<=900000;i++) printf "0.0.0.0 d%07d.ads.example\n", i}'
    awk 'BEGIN{for(i=1;i<=100000;i++) printf "0.0.0.0 px%02d.t%06d.track.example\n", i%100, i}'
  } > "$W/lists/blocklist-1m.txt"
fi
if [ ! -f "$W/queries.jsonl" ]; then
  # 1,000,000 lines from 250 clients: 500,000 for 20,000 popular names (repeats), 300,000 distinct
  # names, 150,000 for listed names (75,000 distinct), 50,000 that the candidate changes
  awk 'BEGIN{
    srand(7);
    for(i=0;i<1000000;i++){
      c=sprintf("10.0.%d.%d", (i%250)/50, i%50+1); r=i%20;
      if(r<10)      n=sprintf("h%05d.example.test.", (i*7919)%20000);
      else if(r<16) n=sprintf("u%07d.bench.test.", i);
      else if(r<19) n=sprintf("d%07d.ads.example.", ((i*31)%75000)*12+1);
      else          n=sprintf("s%03d.social.test.", i%500);
      t=(i%7==0)?"AAAA":"A";
      printf "{\"time\":\"2026-11-29T10:00:00Z\",\"client\":\"%s\",\"name\":\"%s\",\"type\":\"%s\",\"source\":\"upstream\",\"detail\":\"default\",\"rcode\":\"NOERROR\",\"latency_ms\":1.2}\n", c, n, t
    }}' > "$W/queries.jsonl"
fi
cat > "$W/current/rules.yaml" <<'YAML'
rules:
  - name: big-list
    match: { list: ../lists/blocklist-1m.txt }
    action: block
  - name: office
    match: { suffix: corp.test, clients: [10.0.0.0/8] }
    action: local
    zone: corp.test
    records: ["www 60 IN A 10.0.0.1"]
YAML
cat > "$W/candidate/rules.yaml" <<'YAML'
rules:
  - name: big-list
    match: { list: ../lists/blocklist-1m.txt }
    action: block
  - name: social
    match: { suffix: social.test }
    action: block
  - name: office
    match: { suffix: corp.test, clients: [10.0.0.0/8] }
    action: local
    zone: corp.test
    records: ["www 60 IN A 10.0.0.1"]
YAML
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KB" java ${JAVA_OPTS:--Xmx256m -XX:+UseParallelGC} -jar "$JAR" what-if \
  --current "$W/current" --candidate "$W/candidate" --log "$W/queries.jsonl" --top 3 > "$W/report.txt" 2> "$W/time.txt"
end=$(date +%s.%N)
sed -n '1,12p' "$W/report.txt"
cat "$W/time.txt"
echo "wall $(echo "$end - $start" | bc) s (JVM start, both loads, replay, report)"
