#!/usr/bin/env bash
# DoH/DoT hit A/B: base vs new, alternated
set -euo pipefail
BENCH=/work/shared/bench
export UNIQUE_N=1000000 QDIR=/tmp/bench-q-1000000
OUT=/tmp/s8/dohab; mkdir -p $OUT; export LOGDIR=$OUT/logs PEERDIR=$OUT/peers
DOT_PORT=39893; PLAIN_PORT=39094; PORT=39193; export DOT_PORT_CLIENT=39194 DOH_PORT_CLIENT=39195
. /work/main/scripts/lib/systems.sh
UPW=$OUT/upstream; DOT_PORT=$DOT_PORT PLAIN_PORT=$PLAIN_PORT $BENCH/upstream/start.sh $UPW >/dev/null
export TLS_CERT=$UPW/dot.test.pem TLS_KEY=$UPW/dot.test.key
trap 'stop_system; kill "$(cat "$UPW/unbound.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
for round in 1 2 3; do for side in base new; do
  d=/work/main; [ $side = base ] && d=/tmp/s8/base
  dnsgate_start $d $PORT $OUT/$side-$round.log; dnsgate_ready $PORT 0.1 900
  LABEL=warm $BENCH/run.sh $PORT cache-hit 5 >/dev/null
  for s in "doh-hit $DOH_PORT_CLIENT" "dot-hit $DOT_PORT_CLIENT"; do set -- $s
    echo "$side $round $1 $(LABEL=$side $BENCH/run.sh $2 $1 10 | grep -o 'qps=[0-9.]*\|lost_pct=[0-9.]*' | tr '\n' ' ')"
  done
  stop_system
done; done
