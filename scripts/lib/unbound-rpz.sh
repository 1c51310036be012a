# Sourced by the RPZ scripts: writes the unbound.conf that both start from. One thread on
# 127.0.0.1@PORT with the respip and iterator modules, everything forwarded over DoT to the harness
# upstream; the caller's further server options and its rpz: clause come on standard input.
#   unbound_rpz_conf WORKDIR PORT UPSTREAM_WORKDIR DOT_PORT <<CONF ... CONF
unbound_rpz_conf() {
  local w="$1" port="$2" up="$3" dot="$4"
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
  module-config: "respip iterator"
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
