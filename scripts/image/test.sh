#!/usr/bin/env bash
# Tests the built image, target/dnsgate-image.tar, from the tarball alone: it does not trust the
# build. 1) Has skopeo (podman's loader) copy it, reads the manifest and config (layer digests, a
# non-root user, entrypoint, ports, working directory, environment, labels, a JDK 25 runtime and
# the AOT cache its JVM options name) and checks that the Dockerfile, the Kubernetes manifests and
# the systemd unit say the same. 2) Unpacks the layers
# into a folder, adds what a container runtime adds (/proc, /dev/null, zero, random, urandom,
# /etc/hosts, a mounted CA file) and starts the image's own entrypoint there with the config's Env,
# as the image's user, in new mount and PID namespaces (unshare --root --setuid --setgid), its root
# read-only and /tmp a tmpfs as in the Kubernetes manifests, on high ports: first with
# -XX:AOTMode=on, which refuses to start on an AOT cache that does not fit the runtime or the JVM
# options, and a log of where each class came from (the application's must come from the cache),
# then as the image is, reporting its start-up line. A local unbound serves
# DNS over TLS with the project's test PKI (scripts/lib/test-upstream.sh); real dig/kdig queries
# over UDP and TCP must get the shipped split-horizon rule's answer and the upstream's, and health
# and metrics must say so. Step 2 needs root and namespaces; without them it is skipped with the
# reason, never faked.
# Usage: scripts/image/test.sh [IMAGE.tar]   (DNS_PORT=5395 HTTP_PORT=8095 UPSTREAM_PORT=8895)
# Needs: jq, skopeo, dig, kdig, unbound, curl, unshare, pgrep (apt-get installs them when run as root).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
IMAGE=${1:-target/dnsgate-image.tar}
DNS_PORT=${DNS_PORT:-5395}; HTTP_PORT=${HTTP_PORT:-8095}; UPSTREAM_PORT=${UPSTREAM_PORT:-8895}

[ -f "$IMAGE" ] || { echo "no $IMAGE: build it first with scripts/image/build.sh"; exit 1; }
declare -A package_of=([jq]=jq [dig]=dnsutils [kdig]=knot-dnsutils [unbound]=unbound [curl]=curl
                       [unshare]=util-linux [pgrep]=procps [sha256sum]=coreutils [gzip]=gzip
                       [skopeo]=skopeo)
missing=()
for tool in "${!package_of[@]}"; do command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}"); done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null 2>&1 || true
  missing=()
  for tool in "${!package_of[@]}"; do command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}"); done
fi
[ ${#missing[@]} -eq 0 ] || { echo "missing tools: apt-get update && apt-get install ${missing[*]}"; exit 1; }

WORK=$(mktemp -d /tmp/dnsgate-image-test.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
passed=0; failed=0; skipped=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
check() {  # check NAME COMMAND... : the command must succeed
  local name=$1; shift
  if "$@" > "$WORK/check.out" 2>&1; then ok "$name"; else bad "$name" "$(head -c 300 "$WORK/check.out" | tr '\n' ' ')"; fi
}
same() {  # same NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected '$2', got '$3'"; fi
}
finish() {
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}

# ---- 1. the tarball as a container engine reads it -------------------------------------------
tar -xf "$IMAGE" -C "$WORK" manifest.json || { echo "FAIL $IMAGE has no manifest.json"; exit 1; }
MANIFEST=$WORK/manifest.json
config_name=$(jq -r '.[0].Config' "$MANIFEST")
tar -xf "$IMAGE" -C "$WORK" "$config_name" || { echo "FAIL $IMAGE lacks its config $config_name"; exit 1; }
CONFIG=$WORK/$config_name
mapfile -t layers < <(jq -r '.[0].Layers[]' "$MANIFEST")
mapfile -t diff_ids < <(jq -r '.rootfs.diff_ids[]' "$CONFIG")
tag=$(jq -r '.[0].RepoTags[0]' "$MANIFEST")
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
cfg() { jq -r "$1" "$CONFIG"; }
env_of() { jq -r --arg k "$1" '.config.Env[] | select(startswith($k + "=")) | sub("^[^=]*="; "")' "$CONFIG"; }

check "one image, tagged dnsgate:$version" test "$(jq length "$MANIFEST")" = 1 -a "$tag" = "dnsgate:$version"
# podman load reads archives with the library of skopeo (containers/image), which checks every digest
check "skopeo reads and copies it as podman load would" \
  skopeo --insecure-policy copy -q "docker-archive:$IMAGE" "oci:$WORK/oci:dnsgate"
rm -rf "$WORK/oci"
check "as many layers as diff_ids (${#layers[@]})" test "${#layers[@]}" -gt 0 -a "${#layers[@]}" = "${#diff_ids[@]}"
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS" && chmod 755 "$ROOTFS"
unpacked=0; digests_ok=true; whiteouts=false
for i in "${!layers[@]}"; do
  tar -xf "$IMAGE" -C "$WORK" "${layers[$i]}"
  layer=$WORK/${layers[$i]}
  if gzip -t "$layer" 2>/dev/null; then gzip -dc "$layer" > "$WORK/layer.tar"; else mv "$layer" "$WORK/layer.tar"; fi
  [ "sha256:$(sha256sum "$WORK/layer.tar" | cut -c1-64)" = "${diff_ids[$i]}" ] || digests_ok=false
  ! tar --warning=no-unknown-keyword -tf "$WORK/layer.tar" | grep -q '\(^\|/\)\.wh\.' || whiteouts=true
  unpacked=$((unpacked + $(stat -c %s "$WORK/layer.tar")))
  tar --warning=no-unknown-keyword --numeric-owner -xpf "$WORK/layer.tar" -C "$ROOTFS"
  rm -f "$WORK/layer.tar" "$layer"
done
check "every layer's digest is its diff_id" $digests_ok
check "no whiteouts (layers unpack by plain extraction)" test $whiteouts = false
echo "     image $tag: $(($(stat -c %s "$IMAGE") / 1048576)) MB file, $((unpacked / 1048576)) MB unpacked, ${#layers[@]} layers"
check "unpacked under 150 MB" test "$unpacked" -lt $((150 * 1048576))

user=$(cfg '.config.User // ""')
uid=${user%%:*}; gid=${user#*:}; [ "$gid" != "$user" ] || gid=""
if ! [[ "$uid" =~ ^[0-9]+$ ]]; then uid=$(awk -F: -v n="$uid" '$1 == n {print $3}' "$ROOTFS/etc/passwd"); fi
[ -n "$gid" ] || gid=$(awk -F: -v u="$uid" '$3 == u {print $4}' "$ROOTFS/etc/passwd")
if ! [[ "$gid" =~ ^[0-9]+$ ]]; then gid=$(awk -F: -v n="$gid" '$1 == n {print $3}' "$ROOTFS/etc/group"); fi
check "user '$user' is not root (uid ${uid:-?}, gid ${gid:-?})" test -n "$uid" -a "${uid:-0}" != 0 -a -n "$gid" -a "${gid:-0}" != 0
check "the user is in the image's /etc/passwd" grep -q "^[^:]*:[^:]*:$uid:" "$ROOTFS/etc/passwd"
mapfile -t entrypoint < <(cfg '.config.Entrypoint[]')
jar=${entrypoint[-1]:-}
check "entrypoint ${entrypoint[*]} runs the image's java on the image's quarkus-run.jar" \
  test -x "$ROOTFS${entrypoint[0]:-/missing}" -a "${entrypoint[1]:-}" = -jar -a -f "$ROOTFS$jar" -a "${jar##*/}" = quarkus-run.jar
check "no Cmd to mix into the entrypoint" test "$(cfg '.config.Cmd // [] | length')" = 0
check "exposes 53/udp, 53/tcp and 8053/tcp" test "$(cfg '.config.ExposedPorts | keys | sort | join(" ")')" = "53/tcp 53/udp 8053/tcp"
workdir=$(cfg '.config.WorkingDir // ""')
check "working directory $workdir exists in the image" test -n "$workdir" -a -d "$ROOTFS$workdir"
check "container profile, rules from /rules, downloaded lists in /tmp" \
  test "$(env_of QUARKUS_PROFILE) $(env_of DNSGATE_RULES_DIR) $(env_of DNSGATE_RULES_LIST_CACHE_DIR)" = "container /rules /tmp/dnsgate-lists"
check "the shipped rules are in /rules" test -f "$ROOTFS/rules/10-split-horizon.yaml"
check "/tmp is world-writable and sticky" test "$(stat -c %a "$ROOTFS/tmp")" = 1777
check "labels: version $version, source, revision" test "$(cfg '.config.Labels["org.opencontainers.image.version"]')" = "$version" \
  -a -n "$(cfg '.config.Labels["org.opencontainers.image.source"] // ""')" -a -n "$(cfg '.config.Labels["org.opencontainers.image.revision"] // ""')"
check "/etc/os-release and a package record of libc6 for scanners" \
  bash -c "grep -q '^ID=debian' '$ROOTFS/usr/lib/os-release' && [ -L '$ROOTFS/etc/os-release' ] \
    && grep -qx 'Status: install ok installed' '$ROOTFS/var/lib/dpkg/status.d/libc6'"
check "the Java trust store holds Debian's CA certificates" \
  bash -c "keytool -list -keystore '$ROOTFS/opt/java/lib/security/cacerts' -storepass changeit | grep -Eq 'contains (1[0-9][0-9]) entries'"

# The runtime is JDK 25, and the JVM options name an AOT cache that the image holds, readable by
# its user, trained on the very files of quarkus-app (whether the JVM takes it is for the run step;
# JDK 25.0.3 does not compare the class path's jars with the cache itself: JDK-8377932)
jvm_options=$(env_of JDK_JAVA_OPTIONS)
aot=$(tr ' ' '\n' <<< "$jvm_options" | sed -n 's/^-XX:AOTCache=//p' | tail -1)
runtime_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$ROOTFS$(dirname "$(dirname "${entrypoint[0]:-/missing/bin/java}")")/release" 2>/dev/null)
check "the runtime is JDK 25 or later (${runtime_version:-none})" test "${runtime_version%%.*}" -ge 25
if [ -n "$aot" ] && [ -f "$ROOTFS$aot" ]; then
  echo "     AOT cache $aot: $(($(stat -c %s "$ROOTFS$aot") / 1048576)) MB"
fi
check "JVM options name an AOT cache (-XX:AOTCache=${aot:-none}) that the image holds, readable by all" \
  bash -c "[ -n '$aot' ] && [ -f '$ROOTFS$aot' ] && [ \$((0\$(stat -c %a '$ROOTFS$aot') & 4)) -ne 0 ]"
if [ -n "$aot" ]; then
  check "AOT cache: trained on quarkus-app as the image has it (every file and its bytes, as listed in $(basename "$aot").trained.sha256)" \
    bash -c "cd '$ROOTFS$(dirname "$jar")' && sha256sum -c --quiet '$ROOTFS$aot.trained.sha256' \
      && [ \"\$(find . -type f ! -name '*.aot*' -printf '%P\n' | LC_ALL=C sort)\" = \"\$(sed 's/^[0-9a-f]*  //' '$ROOTFS$aot.trained.sha256')\" ]"
fi
# the options without the cache: what trains it; without what only JDK 25 knows: what JDK 17 runs
training_options=$(tr ' ' '\n' <<< "$jvm_options" | grep -v '^-XX:AOTCache=' | paste -sd' ')
jdk17_options=$(tr ' ' '\n' <<< "$training_options" | grep -vx -e '-XX:+UseCompactObjectHeaders' | paste -sd' ')

# The Dockerfile builds the same image for those with a Docker engine.
df_json() { sed -n "s/^$1 //p" Dockerfile; }
check "Dockerfile: same user" test "$(df_json USER)" = "$user"
check "Dockerfile: same entrypoint" test "$(df_json ENTRYPOINT | jq -c .)" = "$(cfg '.config.Entrypoint' | jq -c .)"
check "Dockerfile: same ports" test "$(df_json EXPOSE | tr ' ' '\n' | sort | paste -sd' ')" = "53/tcp 53/udp 8053/tcp"
check "Dockerfile: same working directory" test "$(df_json WORKDIR)" = "$workdir"
check "Dockerfile: same environment" test "$(sed -n 's/^ENV \([A-Z_]*\)="\(.*\)"$/\1=\2/p' Dockerfile | sort)" = "$(cfg '.config.Env[]' | sort)"
read -r -a df_training <<< "$(sed -n 's:.*/src/scripts/lib/aot-train\.sh \([^\\&]*\).*:\1:p' Dockerfile | head -1)"
check "Dockerfile: trains the AOT cache with the entrypoint's java and jar and the other JVM options, into -XX:AOTCache" \
  test "${df_training[0]:-} ${df_training[1]:-} ${df_training[2]:-}|${df_training[*]:3}" = "${entrypoint[0]:-} $aot $jar|$training_options"
# The Kubernetes manifests run this image as its user with its rules folder; systemd runs the same jar.
for manifest in deploy/kubernetes/*.yaml; do
  check "$manifest: image $tag" grep -q "^ *image: $tag$" "$manifest"
  check "$manifest: runAsUser $uid, rules at /rules" bash -c "grep -q '^ *runAsUser: $uid$' '$manifest' && grep -q '^ *mountPath: /rules$' '$manifest'"
done
check "deploy/systemd/dnsgate.service: the image's jar path and JVM options, less JDK 25's (the host's java may be 17)" bash -c \
  "grep -q ' -jar $jar' deploy/systemd/dnsgate.service && grep -qx 'Environment=\"JDK_JAVA_OPTIONS=$jdk17_options\"' deploy/systemd/dnsgate.service"

# ---- 2. run the image's entrypoint as its user ------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP run step: starting the image needs root (unshare --root, --setuid): sudo $0"; skipped=1; finish
fi
if ! reason=$(unshare -m -p -f --mount-proc true 2>&1); then
  echo "SKIP run step: this machine cannot create mount and PID namespaces (unshare: $reason)"; skipped=1; finish
fi

# what a container runtime adds: mount points, device nodes, /etc/hosts, a mounted secret
mkdir -p "$ROOTFS/proc" "$ROOTFS/dev" "$ROOTFS/run/secrets"
for node in null:3 zero:5 random:8 urandom:9; do
  if ! reason=$(mknod -m 666 "$ROOTFS/dev/${node%:*}" c 1 "${node#*:}" 2>&1); then
    echo "SKIP run step: cannot create device nodes here, as in a user namespace ($reason)"; skipped=1; finish
  fi
done
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\tdnsgate-test\n' > "$ROOTFS/etc/hosts"
cp src/test/resources/tls/test-ca.pem "$ROOTFS/run/secrets/upstream-ca.pem"
chmod 644 "$ROOTFS/etc/hosts" "$ROOTFS/run/secrets/upstream-ca.pem"

. scripts/lib/test-upstream.sh
write_test_upstream_conf "$WORK" "$UPSTREAM_PORT" '  local-zone: "image.test." static
  local-data: "udp.image.test. 300 IN A 192.0.2.80"
  local-data: "tcp.image.test. 300 IN A 192.0.2.81"'
start_test_upstream "$WORK"; PIDS+=("$UNBOUND_PID")

mapfile -t image_env < <(cfg '.config.Env[]')
run_env=("${image_env[@]}"   # then what `docker run -e` would add:
  "DNSGATE_LISTEN_ADDRESS=127.0.0.1" "DNSGATE_LISTEN_PORT=$DNS_PORT"
  "QUARKUS_HTTP_HOST=127.0.0.1" "QUARKUS_HTTP_PORT=$HTTP_PORT"
  "DNSGATE_UPSTREAM_SERVERS=127.0.0.1:$UPSTREAM_PORT#dot.test"
  "DNSGATE_UPSTREAM_CA_FILE=/run/secrets/upstream-ca.pem")
# As the Kubernetes manifests run it: the image's root read-only, an empty writable /tmp. The outer
# unshare makes a private mount namespace for that and execs (same PID) the inner one, which forks
# the entrypoint in new mount and PID namespaces.
UNSHARE=$(command -v unshare)
start_image() {  # start_image LOG [NAME=VALUE...]: the entrypoint in the background, the environment
                 # the image's, run_env's and these; sets UNSHARE_PID
  local log=$1; shift
  # shellcheck disable=SC2016  # $1 and $@ are the inner shell's
  "$UNSHARE" -m -- /bin/sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" \
      && mount -t tmpfs -o mode=1777,size=64m tmpfs "$1/tmp" && shift && exec "$@"' sh "$ROOTFS" \
    env -i "${run_env[@]}" "$@" "$UNSHARE" -p -f --kill-child --mount-proc=/proc \
    --root="$ROOTFS" --wd="$workdir" --setgid "$gid" --setuid "$uid" -- "${entrypoint[@]}" \
    > "$log" 2>&1 &
  UNSHARE_PID=$!; PIDS+=("$UNSHARE_PID")
}
stop_image() {  # stop_image: SIGTERM to the JVM, then wait up to 15 s for it; fails if it stays
  local java_pid
  java_pid=$(pgrep -P "$UNSHARE_PID" | head -1)
  [ -z "$java_pid" ] || kill -TERM "$java_pid"
  for _ in $(seq 1 75); do kill -0 "$UNSHARE_PID" 2>/dev/null || return 0; sleep 0.2; done
  return 1
}

# The AOT cache, run as the image's user on its read-only root, with -XX:AOTMode=on: the JVM refuses
# to start when the cache does not fit its build or its options (nor, once JDK-8377932 is fixed,
# the class path: quarkus-run.jar and the lib/boot jars of its manifest, by size and time), and
# logs each class it loads with its source. The classes of quarkus-app's other jars (dnsgate's,
# the framework's, the libraries'), which Quarkus's own class loader defines, come from the cache
# only while their bytes are those it was trained on. Ports 0: this run only starts, and stops.
if [ -n "$aot" ]; then
  start_image "$WORK/aot.log" "JDK_JAVA_OPTIONS=$jvm_options -XX:AOTMode=on -Xlog:class+load=info" \
    DNSGATE_LISTEN_PORT=0 QUARKUS_HTTP_PORT=0
  for _ in $(seq 1 300); do
    grep -q 'start-up: listening' "$WORK/aot.log" && break
    kill -0 "$UNSHARE_PID" 2>/dev/null || break
    sleep 0.2
  done
  if grep -q 'start-up: listening' "$WORK/aot.log"; then
    ok "AOT cache: the image's JVM starts on it with -XX:AOTMode=on (it fits the runtime and the options)"
  else
    bad "AOT cache: the image's JVM starts on it with -XX:AOTMode=on" \
      "$(grep -v '\[class,load\]' "$WORK/aot.log" | grep -i -m3 -e aot -e error -e unable | tr '\n' ' ')"
  fi
  stop_image || true
  # named classes only (not lambdas, hidden classes, proxies) and not the JDK's, by name
  read -r own_cached own_all other_cached other_all all_cached all_loaded < <(awk '
    /\[class,load\] / {
      name = $2; source = $0; sub(/.* source: /, "", source); loaded++
      if (source == "shared objects file") cached++
      if (name ~ /\$\$Lambda|\/0x/ || source ~ /^(__|jrt:)/ || name ~ /^(java|javax|jdk|sun|com\.sun)\./) next
      if (source != "shared objects file" && source !~ /^file:\/opt\/dnsgate\//) next
      hit = source == "shared objects file"
      if (name ~ /^dev\.dnsgate\./) { own++; own_hit += hit } else { other++; other_hit += hit }
    }
    END { print own_hit + 0, own + 0, other_hit + 0, other + 0, cached + 0, loaded + 0 }' "$WORK/aot.log")
  echo "     AOT cache: $all_cached of $all_loaded classes loaded at start came from it; dnsgate's $own_cached of $own_all, the framework's and libraries' $other_cached of $other_all"
  check "AOT cache: 9 in 10 of dnsgate's classes come from it (a stale cache: none)" \
    test "$own_all" -gt 100 -a $((own_cached * 10)) -ge $((own_all * 9))
  check "AOT cache: 9 in 10 of the framework's and libraries' classes come from it" \
    test "$other_all" -gt 1000 -a $((other_cached * 10)) -ge $((other_all * 9))
else
  bad "AOT cache: the image's JVM options name none" "built without one? (scripts/image/build.sh says why)"
fi

# The image as it is
start_image "$WORK/dnsgate.log"
ready=false
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" > /dev/null 2>&1; then ready=true; break; fi
  kill -0 "$UNSHARE_PID" 2>/dev/null || break
  sleep 0.2
done
check "the entrypoint starts and reports ready" $ready
if ! $ready; then echo "--- dnsgate log"; tail -20 "$WORK/dnsgate.log"; finish; fi
echo "     $(grep -o 'start-up: listening.*' "$WORK/dnsgate.log" || echo 'no start-up line in the log')"
JAVA_PID=$(pgrep -P "$UNSHARE_PID" | head -1)
ids=$(grep -E '^(Uid|Gid|Groups|CapEff):' "/proc/$JAVA_PID/status" | tr -s '\t ' ' ' | sed 's/ $//' | paste -sd'|')
same "runs as uid $uid and gid $gid, no other groups, no capabilities" \
  "Uid: $uid $uid $uid $uid|Gid: $gid $gid $gid $gid|Groups:|CapEff: 0000000000000000" "$ids"
same "read-only root filesystem, /tmp a tmpfs" "ro tmpfs" \
  "$(awk '$5 == "/" { split($6, o, ","); root = o[1] } $5 == "/tmp" { tmp = $9 } END { print root, tmp }' "/proc/$JAVA_PID/mountinfo")"
check "inside the unpacked image, as the entrypoint" bash -c \
  "[ \"\$(readlink /proc/$JAVA_PID/root)\" = '$ROOTFS' ] && [ \"\$(tr '\0' ' ' < /proc/$JAVA_PID/cmdline)\" = '${entrypoint[*]} ' ]"

check "UDP: local answer of the shipped split-horizon rule" bash -c "[ \"\$(dig +short +time=3 +tries=1 @127.0.0.1 -p $DNS_PORT wiki.corp.test A)\" = 10.20.0.5 ]"
check "TCP: local answer of the shipped split-horizon rule" bash -c "[ \"\$(kdig +tcp +short +time=3 @127.0.0.1 -p $DNS_PORT git.corp.test A)\" = 10.20.0.6 ]"
check "UDP: forwarded over TLS to the test upstream" bash -c "[ \"\$(dig +short +time=3 +tries=1 @127.0.0.1 -p $DNS_PORT udp.image.test A)\" = 192.0.2.80 ]"
check "TCP: forwarded over TLS to the test upstream" bash -c "[ \"\$(dig +tcp +short +time=3 +tries=1 @127.0.0.1 -p $DNS_PORT tcp.image.test A)\" = 192.0.2.81 ]"
check "shipped block rule: NXDOMAIN" bash -c "dig +time=3 +tries=1 @127.0.0.1 -p $DNS_PORT ads.example A | grep -q 'status: NXDOMAIN'"
curl -s "http://127.0.0.1:$HTTP_PORT/q/health/ready" > "$WORK/ready.json"
check "health: ready, the upstream up" jq -e '.status == "UP" and (tostring | contains("127.0.0.1:'"$UPSTREAM_PORT"'"))' "$WORK/ready.json"
check "health: live" bash -c "curl -s http://127.0.0.1:$HTTP_PORT/q/health/live | jq -e '.status == \"UP\"'"
curl -s "http://127.0.0.1:$HTTP_PORT/q/metrics" > "$WORK/metrics.txt"
metric() {  # metric NAME [LABEL]: the sum of the series of NAME whose labels contain LABEL
  grep "^$1{" "$WORK/metrics.txt" | grep -F "${2:-}" | awk '{ s += $NF } END { print s + 0 }'
}
check "metrics: local answers counted" awk -v n="$(metric dnsgate_queries_total 'source="local"')" 'BEGIN { exit !(n >= 2) }'
check "metrics: upstream answers counted" awk -v n="$(metric dnsgate_queries_total 'source="upstream"')" 'BEGIN { exit !(n >= 2) }'
check "metrics: the upstream is up" awk -v n="$(metric dnsgate_upstream_up)" 'BEGIN { exit !(n >= 1) }'
check "log: TLS by BoringSSL, no fall-back to the JDK's (netty-tcnative loads in the trimmed runtime)" bash -c "! grep -q 'native library cannot load' '$WORK/dnsgate.log'"
check "log: no ERROR and no missing class (trimmed runtime)" bash -c "! grep -E ' ERROR |NoClassDefFoundError|ClassNotFoundException' '$WORK/dnsgate.log'"

check "SIGTERM: stops within 15 s" stop_image
[ "$failed" -eq 0 ] || { echo "--- dnsgate log"; tail -20 "$WORK/dnsgate.log"; }
finish
