# Shared by bin/run and scripts/bench.sh (sourced).

# java_major PROPS: the JVM's major version (17, 25, ...) from the output of
# `java -XshowSettings:properties -version`; empty when PROPS does not name one.
java_major() {
  sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' <<< "$1"
}
