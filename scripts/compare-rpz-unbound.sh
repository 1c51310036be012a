#!/usr/bin/env bash
# Runs dnsgate (action: rpz) and unbound 1.17 (rpz: module, respip) on the same policy zone, both
# forwarding to the harness's DoT upstream, asks both the same queries (every action, wildcards,
# client-IP and response-IP triggers, over UDP and TCP) and diffs what comes back: rcode, TC bit and
# answer records (TTLs left out). Authority sections and EDE options are printed beside, not
# diffed: they are where the two are known to differ (see BENCHMARKS.md, "RPZ against Unbound").
#   Usage: scripts/compare-rpz-unbound.sh   (needs target/quarkus-app; exits 1 when answers differ)
#   Env:   BENCH (../shared/bench) PORT_BASE (39500)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH:-$ROOT/../shared/bench}"
BASE="${PORT_BASE:-39500}"; DOT_PORT=$((BASE + 853)); PLAIN_PORT=$((BASE + 54))
UNBOUND_PORT=$((BASE + 1)); DNSGATE_PORT=$((BASE + 2))
W="$(mktemp -d /tmp/dnsgate-rpz-compare.XXXXXX)"
. "$BENCH/peers/lib.sh"
. "$ROOT/scripts/lib/unbound-conf.sh"
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
for p in $DOT_PORT $PLAIN_PORT $UNBOUND_PORT $DNSGATE_PORT; do port_free "$p" || { echo "port $p busy" >&2; exit 1; }; done

cat > "$W/cmp.rpz" <<'ZONE'
$TTL 300
@ SOA localhost. admin.localhost. 1 3600 600 86400 300
@ NS localhost.
nx.bench.test CNAME .
nodata.bench.test CNAME *.
pass.bench.test CNAME rpz-passthru.
drop.bench.test CNAME rpz-drop.
tcp.bench.test CNAME rpz-tcp-only.
garden.bench.test A 10.6.6.6
garden.bench.test TXT "walled garden"
*.wild.bench.test CNAME .
exact.wild.bench.test A 10.7.7.7
*.deep.wild.bench.test CNAME *.
alias.bench.test CNAME www.bench.test.
32.10.2.0.192.rpz-ip CNAME .
32.2.0.0.127.rpz-client-ip A 10.8.8.8
ns.example.rpz-nsdname CNAME .
ZONE

UPPID=$(DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT "$BENCH/upstream/start.sh" "$W/upstream")
PIDS+=("$(cat "$UPPID")")
UP="$W/upstream"

unbound_forwarder_conf "$W" "$UNBOUND_PORT" "$UP" "$DOT_PORT" "respip iterator" <<CONF
  local-zone: "test." nodefault
  ede: yes
rpz:
  name: cmp.rpz
  zonefile: "$W/cmp.rpz"
CONF
unbound-checkconf "$W/unbound.conf" >/dev/null
unbound -c "$W/unbound.conf" -d -p > "$W/unbound.log" 2>&1 &
PIDS+=("$!")

mkdir -p "$W/rules"
printf 'rules:\n  - {name: cmp, action: rpz, zone: cmp.rpz, file: %s}\n' "$W/cmp.rpz" > "$W/rules/cmp.yaml"
java -Xmx128m -Ddnsgate.listen.port="$DNSGATE_PORT" -Ddnsgate.warm-up.duration=0s \
  -Ddnsgate.upstream.servers="127.0.0.1:$DOT_PORT#dot.test" -Ddnsgate.upstream.ca-file="$UP/ca.pem" \
  -Ddnsgate.rules.dir="$W/rules" -Ddnsgate.rules.list-cache-dir="$W/cache" -Dquarkus.http.port=0 \
  -jar "$ROOT/target/quarkus-app/quarkus-run.jar" > "$W/dnsgate.log" 2>&1 &
PIDS+=("$!")
for port in $UNBOUND_PORT $DNSGATE_PORT; do
  wait_ready "$port" n1.bench.test A '192\.0\.2\.1' 100 || { cat "$W/unbound.log" "$W/dnsgate.log" >&2; exit 1; }
done

# name type transport [source address]
QUERIES="nx.bench.test A udp
nx.bench.test AAAA tcp
nodata.bench.test A udp
nodata.bench.test A tcp
pass.bench.test A udp
drop.bench.test A udp
drop.bench.test A tcp
tcp.bench.test A udp
tcp.bench.test A tcp
garden.bench.test A udp
garden.bench.test TXT tcp
garden.bench.test MX udp
exact.wild.bench.test A udp
x.wild.bench.test A udp
y.x.wild.bench.test A tcp
x.deep.wild.bench.test A udp
wild.bench.test A udp
www.bench.test A udp
www.bench.test A tcp
n7.bench.test A udp
alias.bench.test A udp
anything.bench.test A udp 127.0.0.2
anything.bench.test TXT udp 127.0.0.2"

# ask PORT NAME TYPE TRANSPORT [SOURCE] -> "rcode tc=0|1 answers" ; "authority" and "ede" go to a side file
ask() {
  local port=$1 name=$2 type=$3 proto=$4 source=${5:-127.0.0.1} out
  out=$(dig +tries=1 +time=2 +ignore +nocookie -b "$source" @127.0.0.1 -p "$port" "$name" "$type" \
    $( [ "$proto" = tcp ] && echo +tcp ) 2>&1) || true
  if ! grep -q 'status:' <<<"$out"; then echo "TIMEOUT"; return; fi
  local status tc answers authority ede
  status=$(grep -o 'status: [A-Z]*' <<<"$out" | cut -d' ' -f2)
  tc=$(grep -q 'flags:[^;]* tc' <<<"$out" && echo 1 || echo 0)
  answers=$(awk '/ANSWER SECTION/{f=1;next} /^$/{f=0} f && !/^;/ {$2=""; print}' <<<"$out" | tr -s ' ' | sort | tr '\n' '|')
  authority=$(awk '/AUTHORITY SECTION/{f=1;next} /^$/{f=0} f && !/^;/ {print $4}' <<<"$out" | sort | tr '\n' ',')
  ede=$(grep -o 'EDE: [0-9]*[^;]*' <<<"$out" | head -1)
  echo "$status tc=$tc ${answers:-no-answer}"
  echo "$name $type $proto ${5:-}: authority=[${authority}] ${ede:-no EDE}" >> "$SIDE"
}

for sys in unbound dnsgate; do
  port=$UNBOUND_PORT; [ "$sys" = dnsgate ] && port=$DNSGATE_PORT
  SIDE="$W/$sys.side"; : > "$SIDE"
  while read -r name type proto source; do
    echo "$name $type $proto ${source:-}: $(ask "$port" "$name" "$type" "$proto" $source)"
  done <<<"$QUERIES" > "$W/$sys.answers"
done

echo "== answers (rcode, TC, records without TTL): unbound vs dnsgate"
paste -d'\n' "$W/unbound.answers" "$W/dnsgate.answers" | sed 'n;s/^/   dnsgate: /' | sed '/^   dnsgate/!s/^/unbound: /'
echo "== authority sections and EDE (not diffed)"
paste -d'\n' "$W/unbound.side" "$W/dnsgate.side" | sed 'n;s/^/   dnsgate: /' | sed '/^   dnsgate/!s/^/unbound: /'
if diff -u "$W/unbound.answers" "$W/dnsgate.answers" > "$W/diff.txt"; then
  echo "== same answers for all $(wc -l < "$W/unbound.answers") queries"
else
  echo "== DIFFERENCES"; cat "$W/diff.txt"; exit 1
fi
