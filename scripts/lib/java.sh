# Shared by bin/run and the scripts that start dnsgate (sourced).

# The default heap and collector (README, Memory): a fixed 144 MB heap and Parallel. The image
# (pom.xml image.jvm.options, Dockerfile) and the systemd unit cannot source this and repeat it.
# The young generation is fixed at 36 MB (30 of eden) so that the old one (108 MB) keeps more room
# than a young collection could promote: Parallel skips a young collection for a full one whenever
# the old generation has less free space than the eden in use (once the start-up has promoted tens of
# MB), and with the 1M-name list and the cache its sizing left 36 MB against 36 MB of eden: some JVMs
# then made every collection a full one of 20-40 ms (BENCHMARKS.md, "Full collections in a loop").
# shellcheck disable=SC2034 # read by the scripts that source this
DNSGATE_JVM_OPTS="-Xms144m -Xmx144m -Xmn36m -XX:SurvivorRatio=10 -XX:-UseAdaptiveSizePolicy -XX:+UseParallelGC"

# java_major PROPS: the JVM's major version (17, 25, ...) from the output of
# `java -XshowSettings:properties -version`; empty when PROPS does not name one.
java_major() {
  sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' <<< "$1"
}
