# Shared by bin/run and the scripts that start dnsgate (sourced).

# The default heap and collector (README, Memory): a fixed 144 MB heap and Parallel. The image
# (pom.xml image.jvm.options, Dockerfile) and the systemd unit cannot source this and repeat it.
# The young generation is fixed at 36 MB (30 of eden) so that the old one (108 MB) keeps more room
# than a young collection could promote: while the start-up's promotions (tens of MB) still weigh on
# Parallel's estimate, it replaces a young collection by a full one whenever the old generation has
# less free space than the eden in use; its own sizing left 36 MB free against 36 MB of eden with the
# 1M-name list and the cache, and 3 of 8 JVMs measured then collected in full (16-54 ms each) for as
# long as they ran. One GC thread: with two on two cores that the traffic also wants, the longest
# pauses were longer, probably while one thread waited for a core (DoT saturation: 5.4-7.1 ms against
# 4.5-10.4). BENCHMARKS.md, "Full collections in a loop", "One collector thread".
# shellcheck disable=SC2034 # read by the scripts that source this
DNSGATE_JVM_OPTS="-Xms144m -Xmx144m -Xmn36m -XX:SurvivorRatio=10 -XX:-UseAdaptiveSizePolicy -XX:+UseParallelGC -XX:ParallelGCThreads=1"

# java_major PROPS: the JVM's major version (17, 25, ...) from the output of
# `java -XshowSettings:properties -version`; empty when PROPS does not name one.
java_major() {
  sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' <<< "$1"
}
