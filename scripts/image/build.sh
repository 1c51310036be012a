#!/usr/bin/env bash
# Builds dnsgate's container image as target/dnsgate-image.tar (`docker save` format: `docker load`,
# `podman load`), on a Debian or Ubuntu machine with a JDK, without a Docker engine or a registry:
# base.sh writes the base (jlink runtime + Debian libraries), then Maven's `image` profile (Jib)
# puts target/quarkus-app and rules/ on it. Tests are not run here: ./mvnw -B test, and
# scripts/image/test.sh for the image itself.
# Usage: scripts/image/build.sh     (JAVA_HOME chooses the JDK, as for base.sh and ./mvnw)
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/image/base.sh

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || revision="$revision-dirty"
source=$(git remote get-url origin 2>/dev/null || echo "unpublished git repository")
./mvnw -B -q package -Pimage -DskipTests -Djib.disableUpdateChecks=true \
  "-Dimage.revision=$revision" "-Dimage.source=$source" \
  || { echo "image build: ./mvnw package -Pimage failed (its output is above)" >&2; exit 1; }

unpacked=0
while read -r layer; do
  bytes=$(tar -xOf target/dnsgate-image.tar "$layer" | gzip -dc | wc -c)
  unpacked=$((unpacked + bytes))
done < <(tar -xOf target/dnsgate-image.tar manifest.json | grep -o '[0-9a-f]\{64\}\.tar\.gz')
tag=$(tar -xOf target/dnsgate-image.tar manifest.json | grep -o '"RepoTags":\["[^"]*' | cut -d'"' -f4)
echo "target/dnsgate-image.tar: image $tag, $(($(stat -c %s target/dnsgate-image.tar) / 1048576)) MB file" \
  "(gzip layers), $((unpacked / 1048576)) MB unpacked; load it with: docker load -i target/dnsgate-image.tar"
