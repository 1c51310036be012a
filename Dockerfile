# dnsgate's image for those with a Docker (or Podman) engine: the image that scripts/image/build.sh
# writes without one, made the same way. The first stage runs scripts/image/base.sh on Debian 12
# (a jlink runtime and Debian's libraries); the second puts target/quarkus-app and rules/ on it.
# User, entrypoint, ports, working directory and environment are those of the "image" profile in
# pom.xml; scripts/image/test.sh checks that the two agree. Build (README, Deploy):
#   ./mvnw -B package -DskipTests && docker build -t dnsgate:0.1.0-SNAPSHOT .
FROM debian:12-slim AS base
COPY scripts/image/ /src/scripts/image/
# (slim images lack the man folders that the JDK's update-alternatives links point into)
RUN mkdir -p /usr/share/man/man1 && apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
    && /src/scripts/image/base.sh

FROM scratch
COPY --from=base /src/target/image-base/rootfs/ /
# layers as Jib makes them: libraries, rules, then dnsgate's own code (changes with every build)
COPY target/quarkus-app/lib/ /opt/dnsgate/quarkus-app/lib/
COPY rules/ /rules/
COPY target/quarkus-app/app/ /opt/dnsgate/quarkus-app/app/
COPY target/quarkus-app/quarkus/ /opt/dnsgate/quarkus-app/quarkus/
COPY target/quarkus-app/quarkus-run.jar target/quarkus-app/quarkus-app-dependencies.txt /opt/dnsgate/quarkus-app/
USER 10053:10053
WORKDIR /opt/dnsgate
EXPOSE 53/udp 53/tcp 8053/tcp
ENV PATH="/opt/java/bin:/usr/bin:/bin"
ENV JAVA_HOME="/opt/java"
ENV JDK_JAVA_OPTIONS="-Xms64m -Xmx144m -XX:+UseParallelGC"
ENV QUARKUS_PROFILE="container"
ENV DNSGATE_RULES_DIR="/rules"
ENV DNSGATE_RULES_LIST_CACHE_DIR="/tmp/dnsgate-lists"
# Port 53 as a non-root user: the net.ipv4.ip_unprivileged_port_start sysctl of the container's
# network namespace (README, Deploy). No shell in the image: JDK_JAVA_OPTIONS carries JVM flags.
ENTRYPOINT ["/opt/java/bin/java", "-jar", "/opt/dnsgate/quarkus-app/quarkus-run.jar"]
