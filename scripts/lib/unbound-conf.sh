# Sourced by the scripts that run unbound beside dnsgate (bench-rpz.sh, compare-rpz-unbound.sh,
# bench-dnssec.sh): writes the unbound.conf they all start from. One thread on 127.0.0.1@PORT with
# the given modules, everything forwarded over DoT to the harness upstream; the caller's further server
# options (and clauses such as rpz:) come on standard input.
#   unbound_forwarder_conf WORKDIR PORT UPSTREAM_WORKDIR DOT_PORT "MODULES" <<CONF ... CONF
unbound_forwarder_conf() {
  local w="$1" port="$2" up="$3" dot="$4" modules="$5"
  {
    cat <<CONF
server:
  verbosity: 0
  username: ""
  chroot: ""
  directory: "$w"
  pidfile: "$w/unbound.pid"
  use-syslog: no
  logfile: ""
  num-threads: 1
  interface: 127.0.0.1@$port
  so-reuseport: no
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  module-config: "$modules"
  tls-cert-bundle: "$up/ca.pem"
CONF
    cat
    cat <<CONF
forward-zone:
  name: "."
  forward-tls-upstream: yes
  forward-addr: 127.0.0.1@$dot#dot.test
CONF
  } > "$w/unbound.conf"
}
