# Sourced by smoke.sh and soak.sh: a local unbound DoT upstream on 127.0.0.1 with the test PKI
# (certificate dot.test, CA src/test/resources/tls/test-ca.pem) that refuses every name but the
# zone lines given; it never recurses, so no query leaves the machine.
# write_test_upstream_conf WORKDIR PORT ZONE_LINES   then   start_test_upstream WORKDIR  (sets UNBOUND_PID)
write_test_upstream_conf() {
  local work=$1 port=$2 zone=$3 tls
  tls="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/src/test/resources/tls"
  cat > "$work/unbound.conf" <<CONF
server:
  verbosity: 0
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: ""
  use-syslog: no
  num-threads: 1
  interface: 127.0.0.1@$port
  tls-port: $port
  tls-service-key: "$tls/dot.test.key"
  tls-service-pem: "$tls/dot.test.pem"
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  incoming-num-tcp: 100
  local-zone: "." refuse
$zone
CONF
}

start_test_upstream() {
  unbound -d -c "$1/unbound.conf" > "$1/unbound.log" 2>&1 &
  UNBOUND_PID=$!
}
