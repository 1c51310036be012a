# Shared by bin/run and the scripts that start dnsgate (sourced).

# The default heap and collector (README, Memory): a fixed 144 MB heap and Parallel. The image
# (pom.xml image.jvm.options, Dockerfile) and the systemd unit cannot source this and repeat it.
# shellcheck disable=SC2034 # read by the scripts that source this
DNSGATE_JVM_OPTS="-Xms144m -Xmx144m -XX:+UseParallelGC"

# java_major PROPS: the JVM's major version (17, 25, ...) from the output of
# `java -XshowSettings:properties -version`; empty when PROPS does not name one.
java_major() {
  sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' <<< "$1"
}
