# For those with a Docker engine: docker build -t dnsgate . (after ./mvnw -B package -DskipTests)
# Without one, the Maven "container" profile builds the same image as an OCI tarball with Jib.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10053 --no-create-home --shell /usr/sbin/nologin dnsgate
WORKDIR /app
COPY --chown=root:root target/quarkus-app/lib/ /app/lib/
COPY --chown=root:root target/quarkus-app/*.jar /app/
COPY --chown=root:root target/quarkus-app/app/ /app/app/
COPY --chown=root:root target/quarkus-app/quarkus/ /app/quarkus/
COPY --chown=root:root rules/ /rules/
USER 10053
EXPOSE 53/udp 53/tcp 8053/tcp
# Port 53 without root: the container runtime grants NET_BIND_SERVICE (see deploy/kubernetes).
ENV JAVA_OPTS="-Xms64m -Xmx144m -XX:+UseParallelGC" \
    QUARKUS_PROFILE=container \
    DNSGATE_RULES_DIR=/rules \
    DNSGATE_RULES_LIST_CACHE_DIR=/tmp/dnsgate-lists
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
