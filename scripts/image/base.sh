#!/usr/bin/env bash
# Builds the base of dnsgate's image as a `docker save` tarball, target/dnsgate-base.tar, with no
# Docker engine and no registry: a Java runtime trimmed by jlink from the build JDK (/opt/java), the
# shared libraries it links, taken from Debian's packages with `apt-get download` and `dpkg-deb -x`
# (no root, no chroot), a Java trust store of Debian's ca-certificates, /etc/passwd with the service
# user 10053, and /tmp with mode 1777. build.sh puts the application on it with Jib; the Dockerfile
# runs this script in its first stage and copies target/image-base/rootfs.
# The image's JVM options (pom.xml, image profile) are JDK 25's: a JDK 25 runtime with an AOT cache
# (JEP 483/515) that build.sh trains on the image's own layout.
# Usage: scripts/image/base.sh     (JAVA_HOME chooses the JDK; default: the newest JDK 25 or later
#        under /usr/lib/jvm, else the one of `java` on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "image base: $*" >&2; exit 1; }

# What dnsgate (java.net.http: block-list downloads; jdk.net: TCP_QUICKACK upstream), Quarkus, Vert.x, Micrometer and TLS use: jdeps
# over target/quarkus-app (JDK 17's and 25's find the same), less the java.desktop and java.compiler
# references of classes never loaded. jdk.crypto.ec is empty from JDK 22 on (its classes are in
# java.base), but JDK 17 runtimes need it.
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
# The libraries libjvm.so and the JDK's own native libraries link (ldd), the CA list, and
# base-files for /etc/os-release (which, with the package records below, lets scanners see them).
PACKAGES=(base-files libc6 libgcc-s1 libstdc++6 zlib1g ca-certificates)
SERVICE_ID=10053
EPOCH=1   # every timestamp in the layer: 1970-01-01T00:00:01Z, as Jib does for the layers above it

major_of() {  # major_of JDK: its feature version (17, 25...) from its release file, or 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | grep . || echo 0
}
if [ -n "${JAVA_HOME:-}" ]; then
  JDK=$JAVA_HOME
else
  # the newest JDK 25 or later with jlink under /usr/lib/jvm (Debian's and Adoptium's packages put
  # theirs there), each once however many links name it
  JDK=""; best=0
  for dir in /usr/lib/jvm/*/; do
    [ -d "$dir" ] || continue   # no /usr/lib/jvm: the glob stays as written
    dir=$(readlink -f "$dir") || continue
    major=$(major_of "$dir")
    if [ -x "$dir/bin/jlink" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best" ]; then JDK=$dir; best=$major; fi
  done
  if [ -n "$JDK" ]; then
    echo "image base: JAVA_HOME is unset: using JDK $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release") in $JDK (the newest JDK 25 or later under /usr/lib/jvm)"
  elif command -v java >/dev/null; then
    JDK=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    echo "image base: JAVA_HOME is unset and no JDK 25 or later is under /usr/lib/jvm: using $JDK (java on PATH, JDK $(major_of "$JDK")); the image's JVM options and AOT cache need JDK 25"
  else
    fail "no JDK found: install a JDK 25 (Temurin 25), or set JAVA_HOME to a JDK"
  fi
fi
JDK_MAJOR=$(major_of "$JDK")
[ -x "$JDK/bin/jlink" ] || fail "no jlink in $JDK/bin: set JAVA_HOME to a full JDK, not a JRE"
# jlink links from the JDK's jmods/ or, in a JDK 24+ built for it (JEP 493, as Temurin's 25 is),
# from the JDK's own run-time image; a JDK with neither (a JRE-like or stripped JDK) cannot.
if [ -d "$JDK/jmods" ]; then
  link_source="$JDK/jmods"
elif "$JDK/bin/jlink" -J-Duser.language=en --help 2>/dev/null | grep -q 'Linking from run-time image enabled'; then
  link_source="the run-time image of $JDK (JEP 493)"
else
  fail "$JDK has no jmods folder and its jlink cannot link from its run-time image (JEP 493: JDK 24 or later built with --enable-linkable-runtime, as Temurin's are): use such a JDK (Temurin 25), or one with jmods/ (Debian: openjdk-17-jdk-headless)"
fi
for tool in apt-get dpkg dpkg-deb sha256sum tar; do
  command -v "$tool" >/dev/null || fail "$tool not found: the libraries come from Debian packages, so this runs on Debian or Ubuntu (apt and dpkg)"
done
case "$(dpkg --print-architecture)" in
  amd64) ARCH=amd64 ;;
  arm64) ARCH=arm64 ;;
  *) fail "Debian architecture $(dpkg --print-architecture) not supported: amd64 or arm64" ;;
esac

WORK=target/image-base
ROOT=$WORK/rootfs
rm -rf "$WORK"
mkdir -p "$WORK/debs" "$WORK/pkgs" "$WORK/out" "$ROOT/etc" "$ROOT/tmp" "$ROOT/opt"

# 1. Debian packages, unpacked side by side into one tree
apt_options=()
[ "$(id -u)" -ne 0 ] || apt_options=(-o APT::Sandbox::User=root)   # root: no _apt sandbox warning
for pkg in "${PACKAGES[@]}"; do
  if ! (cd "$WORK/debs" && apt-get download "${apt_options[@]}" "$pkg") > "$WORK/apt.log" 2>&1; then
    reason=$(grep -m1 -E '^(E|W): ' "$WORK/apt.log" | cut -c1-200 || true)
    fail "could not download the Debian package $pkg (${reason:-apt-get download failed}): this machine must reach its Debian archive; run apt-get update, then retry"
  fi
done
versions=()
mkdir -p "$ROOT/var/lib/dpkg/status.d"
for deb in "$WORK"/debs/*.deb; do
  dpkg-deb -x "$deb" "$WORK/pkgs" || fail "could not unpack $deb (dpkg-deb -x failed): delete target/image-base and retry"
  pkg=$(dpkg-deb -f "$deb" Package)
  versions+=("$pkg=$(dpkg-deb -f "$deb" Version)")
  # a package record per package, as distroless images keep them, for vulnerability scanners
  { echo "Package: $pkg"; echo "Status: install ok installed"; dpkg-deb -f "$deb" \
      Source Version Architecture Maintainer Installed-Size Depends Section Priority Multi-Arch Homepage; } \
    > "$ROOT/var/lib/dpkg/status.d/$pkg"
done

# 2. the libraries (not glibc's character-set converters: Java has its own), their licences
for dir in lib lib64 usr/lib; do
  [ ! -d "$WORK/pkgs/$dir" ] || { mkdir -p "$ROOT/$(dirname "$dir")"; cp -a "$WORK/pkgs/$dir" "$ROOT/$dir"; }
done
rm -rf "$ROOT"/usr/lib/*/gconv
cp -a "$WORK/pkgs/etc/os-release" "$ROOT/etc/os-release"   # -> ../usr/lib/os-release
for copyright in "$WORK"/pkgs/usr/share/doc/*/copyright; do
  pkg_doc=$ROOT/usr/share/doc/$(basename "$(dirname "$copyright")")
  mkdir -p "$pkg_doc" && cp "$copyright" "$pkg_doc/"
done

# 3. the Java runtime, trusting the certificates of Debian's ca-certificates (as Debian's JDK does)
# (--strip-java-debug-attributes, not --strip-debug: that also strips native symbols with objcopy,
# which a machine with only a JDK lacks; Debian's JDK ships its libraries stripped already, and
# Temurin's keep only the symbol tables that crash reports name functions with)
# Before JDK 25, --generate-cds-archive: the JDK's own class-data archive, which a jlink runtime
# lacks otherwise; with it the framework starts ~20 % sooner (BENCHMARKS.md, Start-up); only the
# compressed-oops one is kept, the heap being far below 32 GB. From JDK 25 on, none: the image's
# AOT cache (build.sh) holds the JDK's classes as well as the application's, and jlink's archive,
# made for the default object-header layout, would not even map under the image's
# -XX:+UseCompactObjectHeaders: 14 MB for nothing. (An image that build.sh could not train a cache
# for starts without any archive, and says so.)
jlink_options=(--add-modules "$MODULES" --strip-java-debug-attributes --no-header-files --no-man-pages)
if [ "$JDK_MAJOR" -ge 21 ]; then jlink_options+=(--compress=zip-6); else jlink_options+=(--compress=2); fi   # the same, named anew in 21
[ "$JDK_MAJOR" -ge 25 ] || jlink_options+=(--generate-cds-archive)
"$JDK/bin/jlink" "${jlink_options[@]}" --output "$ROOT/opt/java" > "$WORK/jlink.log" 2>&1 \
  || fail "jlink in $JDK (from $link_source) failed: $(head -c 300 "$WORK/jlink.log" | tr '\n' ' ')"
rm -f "$ROOT/opt/java/lib/server/classes_nocoops.jsa"
# a JDK linked from its run-time image copies its trust store, which may be the host's; never
# write through a link
rm -f "$ROOT/opt/java/lib/security/cacerts"
certs=("$WORK"/pkgs/usr/share/ca-certificates/mozilla/*.crt)
[ -f "${certs[0]}" ] || fail "no certificates in the ca-certificates package: delete target/image-base and retry"
cat "${certs[@]}" > "$WORK/ca-bundle.pem"
"$JDK/bin/java" scripts/image/TrustStore.java "$WORK/ca-bundle.pem" "$ROOT/opt/java/lib/security/cacerts" \
  > "$WORK/truststore.log" 2>&1 || fail "could not write the trust store: $(head -c 300 "$WORK/truststore.log" | tr '\n' ' ')"

# 4. the service user, /tmp for the JVM and downloaded block lists
printf 'root:x:0:0:root:/root:/sbin/nologin\ndnsgate:x:%s:%s:dnsgate:/nonexistent:/sbin/nologin\n' \
  "$SERVICE_ID" "$SERVICE_ID" > "$ROOT/etc/passwd"
printf 'root:x:0:\ndnsgate:x:%s:\n' "$SERVICE_ID" > "$ROOT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
chmod 755 "$ROOT" "$ROOT/etc" "$ROOT/opt"
chmod 644 "$ROOT"/etc/passwd "$ROOT"/etc/group "$ROOT"/etc/nsswitch.conf "$ROOT"/var/lib/dpkg/status.d/*
chmod 1777 "$ROOT/tmp"

# 5. one layer, its config and manifest, and the `docker save` tarball around them (entry names
#    without a leading ./, which Jib would refuse as outside its destination)
tar_flags=(--sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH")
mapfile -t top < <(ls -A "$ROOT")
tar -C "$ROOT" "${tar_flags[@]}" -cf "$WORK/layer.tar" "${top[@]}"
diff_id=$(sha256sum "$WORK/layer.tar" | cut -c1-64)
created=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
cat > "$WORK/config.json" <<JSON
{"architecture":"$ARCH","os":"linux","created":"$created",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"scripts/image/base.sh","comment":"jlink $MODULES from $("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); ${versions[*]}"}]}
JSON
config_id=$(sha256sum "$WORK/config.json" | cut -c1-64)
mkdir "$WORK/out/$diff_id"
mv "$WORK/layer.tar" "$WORK/out/$diff_id/layer.tar"
mv "$WORK/config.json" "$WORK/out/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["dnsgate-base:local"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" > "$WORK/out/manifest.json"
tar -C "$WORK/out" "${tar_flags[@]}" -cf target/dnsgate-base.tar manifest.json "$config_id.json" "$diff_id"
echo "target/dnsgate-base.tar: $(du -m target/dnsgate-base.tar | cut -f1) MB (runtime $(du -sm "$ROOT/opt/java" | cut -f1) MB; ${versions[*]})"
