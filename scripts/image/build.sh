#!/usr/bin/env bash
# Builds dnsgate's container image as target/dnsgate-image.tar (`docker save` format: `docker load`,
# `podman load`), on a Debian or Ubuntu machine with a JDK, without a Docker engine or a registry:
# 1. base.sh writes the base (a JDK 25 jlink runtime + Debian libraries);
# 2. ./mvnw package builds target/quarkus-app, once: the image gets these very files;
# 3. the image's AOT cache (JEP 483/515) is trained by the built-in warm-up
#    (scripts/lib/aot-train.sh), with the image's own runtime and JVM options, on the image's
#    layout: the base layer and quarkus-app unpacked into a folder, their timestamps those of the
#    image (Jib's 1970-01-01T00:00:01Z), the JVM run in that folder as its root (unshare --root,
#    which needs root and mount namespaces; without them the image is built without the cache,
#    and says so);
# 4. Jib (Maven's `image` profile, its goal alone: nothing is rebuilt) puts quarkus-app, rules/ and
#    the cache on the base.
# Tests are not run here: ./mvnw -B test, and scripts/image/test.sh for the image itself.
# Usage: scripts/image/build.sh     (JAVA_HOME chooses the JDK, as for base.sh and ./mvnw; unset,
#        base.sh takes a JDK 25 under /usr/lib/jvm and ./mvnw the java on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "image build: $*" >&2; exit 1; }

scripts/image/base.sh
RUNTIME=target/image-base/rootfs/opt/java
runtime_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$RUNTIME/release")

./mvnw -B -q package -DskipTests \
  || fail "./mvnw package failed (its output is above)"

# The image's JVM options have one place, pom.xml (image profile, image.jvm.options); the AOT cache
# is where their -XX:AOTCache= says, and is trained with all the others.
jvm_options=$(sed -n 's:^ *<image.jvm.options>\(.*\)</image.jvm.options>$:\1:p' pom.xml)
[ -n "$jvm_options" ] || fail "no <image.jvm.options> line in pom.xml (the image profile)"
aot_path=""; options=()
for option in $jvm_options; do
  case $option in
    -XX:AOTCache=*) aot_path=${option#-XX:AOTCache=} ;;
    *) options+=("$option") ;;
  esac
done
AOT_DIR=target/image-aot     # Jib copies it to the image's root, as laid out here
rm -rf "$AOT_DIR"; mkdir -p "$AOT_DIR"

no_cache=""   # why the image gets no cache, and what follows
cold="It works, but its framework starts ~30 % later, about as the former JDK 17 image did (BENCHMARKS.md, Start-up)"
if [ "$runtime_major" -lt 25 ]; then
  # an older runtime (JAVA_HOME or java on PATH older than 25): only the options it knows
  kept=()
  for option in "${options[@]}"; do
    if "$RUNTIME/bin/java" "$option" -version > /dev/null 2>&1; then kept+=("$option")
    else echo "image build: the JDK $runtime_major runtime refuses $option: left out of the image's JVM options" >&2; fi
  done
  options=("${kept[@]}")
  no_cache="its runtime is JDK $runtime_major; AOT caches need JDK 25 (JAVA_HOME to a JDK 25). It works, with the JDK's own class-data archive (jlink) as before JDK 25"
elif [ -z "$aot_path" ]; then
  no_cache="pom.xml's image.jvm.options name no -XX:AOTCache. $cold"
elif [ "$(id -u)" -ne 0 ]; then
  no_cache="training it on the image's layout needs root (unshare --root): sudo $0. $cold"
elif ! reason=$(unshare -m true 2>&1); then
  no_cache="training it on the image's layout needs mount namespaces, which this machine refuses (unshare: $reason). $cold"
fi
# the files the cache is trained on, as `sha256sum -c` reads them in quarkus-app: the image carries
# the list beside the cache (JDK 25.0.3 does not compare the class path's jars with the cache
# itself, JDK-8377932; scripts/image/test.sh does)
trained_on() {
  (cd target/quarkus-app && find . -type f ! -name app-cds.jsa ! -name '*.aot*' -printf '%P\n' \
    | LC_ALL=C sort | xargs -d '\n' sha256sum)
}

if [ -z "$no_cache" ]; then
  # The image's file tree as a container sees it: the base layer from its tarball, and quarkus-app
  # as Jib lays it (the same files, less the AppCDS archive its layer filter drops, every timestamp
  # 1970-01-01T00:00:01Z): the cache records the jars' sizes and times and the runtime's build.
  STAGE=target/image-aot-train
  ROOT=$STAGE/root
  rm -rf "$STAGE"; mkdir -p "$ROOT"; chmod 755 "$ROOT"
  base_layer=$(tar -xOf target/dnsgate-base.tar manifest.json | grep -o '[0-9a-f]\{64\}/layer.tar')
  tar -xOf target/dnsgate-base.tar "$base_layer" | tar --numeric-owner -xpf - -C "$ROOT"
  mkdir -p "$ROOT/opt/dnsgate"
  cp -a target/quarkus-app "$ROOT/opt/dnsgate/quarkus-app"
  rm -f "$ROOT/opt/dnsgate/quarkus-app/app-cds.jsa"
  find "$ROOT/opt/dnsgate" -exec touch -h -d @1 {} +
  trained_on > "$STAGE/trained.sha256"
  # what a container runtime adds: /proc, device nodes, /etc/hosts
  mkdir -p "$ROOT/proc" "$ROOT/dev"
  for node in null:3 zero:5 random:8 urandom:9; do mknod -m 666 "$ROOT/dev/${node%:*}" c 1 "${node#*:}"; done
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$ROOT/etc/hosts"
  # The image's java, run inside that tree (as root: the cache does not depend on the user), with
  # this machine's /tmp at its /tmp, where aot-train.sh writes the rules and the cache. exec all the
  # way down: aot-train.sh's SIGTERM reaches the JVM itself.
  OUT=$(mktemp -d /tmp/dnsgate-image-aot.XXXXXX)
  cat > "$STAGE/java" <<SH
#!/bin/sh
exec unshare -m -- /bin/sh -c 'mount -t proc proc "\$0/proc" && mount --bind /tmp "\$0/tmp" && exec "\$@"' \\
  "$(readlink -f "$ROOT")" env -i PATH=/opt/java/bin:/usr/bin:/bin \\
  unshare --root="$(readlink -f "$ROOT")" --wd=/opt/dnsgate -- /opt/java/bin/java "\$@"
SH
  chmod 755 "$STAGE/java"
  echo "image build: training the AOT cache with the image's runtime (JDK $runtime_major) and options: ${options[*]} (~15 s)"
  trained=true
  scripts/lib/aot-train.sh "$STAGE/java" "$OUT/app.aot" /opt/dnsgate/quarkus-app/quarkus-run.jar "${options[@]}" || trained=false
  cp "$OUT/app.aot.train.log" target/image-aot.train.log 2>/dev/null || true
  $trained || { rm -rf "$OUT"; fail "the AOT cache's training run failed: its log is target/image-aot.train.log"; }
  mkdir -p "$AOT_DIR$(dirname "$aot_path")"
  mv "$OUT/app.aot" "$AOT_DIR$aot_path"
  cp "$STAGE/trained.sha256" "$AOT_DIR$aot_path.trained.sha256"
  chmod 644 "$AOT_DIR$aot_path" "$AOT_DIR$aot_path.trained.sha256"
  rm -rf "$OUT"
  options+=("-XX:AOTCache=$aot_path")
else
  echo "image build: WARNING: the image is built WITHOUT its AOT cache: $no_cache." >&2
fi

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || revision="$revision-dirty"
source=$(git remote get-url origin 2>/dev/null || echo "unpublished git repository")
# jib:buildTar alone, not the package phase: the quarkus-app just trained on goes in as it is
./mvnw -B -q -Pimage jib:buildTar -Djib.disableUpdateChecks=true \
  "-Dimage.jvm.options=${options[*]}" "-Dimage.revision=$revision" "-Dimage.source=$source" \
  || fail "./mvnw -Pimage jib:buildTar failed (its output is above)"
if [ -n "${STAGE:-}" ]; then
  # nothing rebuilt quarkus-app between the training and Jib
  if ! trained_on | cmp -s - "$STAGE/trained.sha256"; then
    rm -f target/dnsgate-image.tar
    fail "target/quarkus-app changed between the AOT training and Jib: the cache would not fit; run this script again"
  fi
  rm -rf "$STAGE"
fi

unpacked=0
while read -r layer; do
  bytes=$(tar -xOf target/dnsgate-image.tar "$layer" | gzip -dc | wc -c)
  unpacked=$((unpacked + bytes))
done < <(tar -xOf target/dnsgate-image.tar manifest.json | grep -o '[0-9a-f]\{64\}\.tar\.gz')
tag=$(tar -xOf target/dnsgate-image.tar manifest.json | grep -o '"RepoTags":\["[^"]*' | cut -d'"' -f4)
cache="no AOT cache"
[ -z "$no_cache" ] && cache="AOT cache $aot_path $(($(stat -c %s "$AOT_DIR$aot_path") / 1048576)) MB"
echo "target/dnsgate-image.tar: image $tag, $(($(stat -c %s target/dnsgate-image.tar) / 1048576)) MB file" \
  "(gzip layers), $((unpacked / 1048576)) MB unpacked, $cache; load it with: docker load -i target/dnsgate-image.tar"
