# dnsgate's image for those with a Docker (or Podman) engine: the image that scripts/image/build.sh
# writes without one, made the same way. The first stage runs scripts/image/base.sh on Debian 12
# with Temurin's JDK 25 (from its official image): a jlink runtime and Debian's libraries. The
# second trains the AOT cache (JEP 483/515, scripts/lib/aot-train.sh: the built-in warm-up over
# loopback) with that runtime and the image's JVM options on the image's own paths. The last puts
# the runtime, target/quarkus-app, rules/ and the cache together.
# User, entrypoint, ports, working directory and environment are those of the "image" profile in
# pom.xml, and the training's JVM options are its JDK_JAVA_OPTIONS less -XX:AOTCache;
# scripts/image/test.sh checks that the two agree. Build (README, Deploy):
#   ./mvnw -B package -DskipTests && docker build -t dnsgate:0.1.0-SNAPSHOT .
FROM eclipse-temurin:25-jdk AS jdk

FROM debian:12-slim AS base
COPY --from=jdk /opt/java/openjdk /opt/temurin-25
COPY scripts/image/ /src/scripts/image/
RUN apt-get update && JAVA_HOME=/opt/temurin-25 /src/scripts/image/base.sh

# The cache fits only the runtime, the JVM options and the class path (the jars' paths, sizes and
# times) it was trained with: the runtime at /opt/java and quarkus-app at /opt/dnsgate/quarkus-app,
# as in the image, whose last stage copies both from here.
FROM base AS train
RUN cp -a /src/target/image-base/rootfs/opt/java /opt/java
COPY target/quarkus-app/ /opt/dnsgate/quarkus-app/
COPY scripts/lib/aot-train.sh /src/scripts/lib/
# (and the list of those files, as build.sh writes it: the image carries it for scripts/image/test.sh)
RUN cd /opt/dnsgate/quarkus-app && rm -f app-cds.jsa \
    && find . -type f ! -name '*.aot*' -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > app.aot.trained.sha256 \
    && /src/scripts/lib/aot-train.sh /opt/java/bin/java /opt/dnsgate/quarkus-app/app.aot /opt/dnsgate/quarkus-app/quarkus-run.jar -Xms144m -Xmx144m -Xmn36m -XX:SurvivorRatio=10 -XX:-UseAdaptiveSizePolicy -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:+UseCompactObjectHeaders \
    && chmod 644 app.aot app.aot.trained.sha256

FROM scratch
COPY --from=base /src/target/image-base/rootfs/ /
# layers as Jib makes them: libraries, rules, dnsgate's own code (changes with every build), the cache
COPY --from=train /opt/dnsgate/quarkus-app/lib/ /opt/dnsgate/quarkus-app/lib/
COPY rules/ /rules/
COPY --from=train /opt/dnsgate/quarkus-app/app/ /opt/dnsgate/quarkus-app/app/
COPY --from=train /opt/dnsgate/quarkus-app/quarkus/ /opt/dnsgate/quarkus-app/quarkus/
COPY --from=train /opt/dnsgate/quarkus-app/quarkus-run.jar /opt/dnsgate/quarkus-app/quarkus-app-dependencies.txt /opt/dnsgate/quarkus-app/
COPY --from=train /opt/dnsgate/quarkus-app/app.aot /opt/dnsgate/quarkus-app/app.aot.trained.sha256 /opt/dnsgate/quarkus-app/
USER 10053:10053
WORKDIR /opt/dnsgate
EXPOSE 53/udp 53/tcp 8053/tcp
ENV PATH="/opt/java/bin:/usr/bin:/bin"
ENV JAVA_HOME="/opt/java"
ENV JDK_JAVA_OPTIONS="-Xms144m -Xmx144m -Xmn36m -XX:SurvivorRatio=10 -XX:-UseAdaptiveSizePolicy -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:+UseCompactObjectHeaders -XX:AOTCache=/opt/dnsgate/quarkus-app/app.aot"
ENV QUARKUS_PROFILE="container"
ENV DNSGATE_RULES_DIR="/rules"
ENV DNSGATE_RULES_LIST_CACHE_DIR="/tmp/dnsgate-lists"
# Port 53 as a non-root user: the net.ipv4.ip_unprivileged_port_start sysctl of the container's
# network namespace (README, Deploy). No shell in the image: JDK_JAVA_OPTIONS carries JVM flags.
ENTRYPOINT ["/opt/java/bin/java", "-jar", "/opt/dnsgate/quarkus-app/quarkus-run.jar"]
