#!/usr/bin/env bash
# Benchmarks dnsgate beside dnsdist, unbound and stubby in ONE run of ../shared/bench/compare.sh
# (dnsperf on loopback, all forwarding to the same local DoT upstream), then writes the resulting
# table into BENCHMARKS.md between the bench markers, with the command and the machine.
# Usage: scripts/bench.sh                 (FWD_BEST=1 is the default: adds dnsdist-ooo, -ooo-2t, kresd)
#        SECS=5 LAT_SECS=3 PEERS="ceiling unbound" scripts/bench.sh     (quick subset; any compare.sh knob)
#        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JVM_OPTS="... -XX:+UseCompactObjectHeaders" scripts/bench.sh
#          (another JVM, as scripts/bench-proxy.sh takes it; on JDK 25 or later an AOT cache is trained
#          for this build first, unless AOT_CACHE names one)
# Needs: dnsperf dnsdist unbound stubby dnsutils knot-dnsutils [knot-resolver] from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
[ -x "$BENCH/compare.sh" ] || { echo "no benchmark harness at $BENCH (set BENCH_DIR)" >&2; exit 1; }
./mvnw -B -q package -DskipTests
. "$ROOT/scripts/lib/java.sh"
export JVM_OPTS="${JVM_OPTS:-$DNSGATE_JVM_OPTS}"
export PROXY_NAME=dnsgate
export PROXY_CMD="exec $ROOT/scripts/bench-proxy.sh"
export FWD_BEST="${FWD_BEST:-1}"
export OUT="${OUT:-/tmp/dnsgate-bench-$(date +%Y%m%d-%H%M%S)}"
JAVA_BIN=${JAVA:-java}
java_props=$("$JAVA_BIN" -XshowSettings:properties -version 2>&1)
java_major=$(java_major "$java_props")
if [ -n "${JAVA:-}" ] && [ -z "${AOT_CACHE:-}" ] && [ "${java_major:-0}" -ge 25 ]; then
  mkdir -p "$OUT"
  # shellcheck disable=SC2086 # JVM_OPTS holds several options
  (cd target/quarkus-app && "$ROOT/scripts/lib/aot-train.sh" "$JAVA" "$OUT/app.aot" quarkus-run.jar $JVM_OPTS)
  export AOT_CACHE="$OUT/app.aot"
fi
"$BENCH/compare.sh"
{
  echo "<!-- bench:start -->"
  echo "Run $(date -u +%FT%TZ) on $(nproc) shared cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr);"
  echo "JVM: $("$JAVA_BIN" -version 2>&1 | head -1), \`$JVM_OPTS\`${AOT_CACHE:+, with the AOT cache $AOT_CACHE (scripts/lib/aot-train.sh)}. Only ratios within one run compare."
  echo
  echo "Command: \`${JAVA:+JAVA=$JAVA }JVM_OPTS=\"$JVM_OPTS\" FWD_BEST=$FWD_BEST${ENC:+ ENC=$ENC} scripts/bench.sh\` (wraps \`../shared/bench/compare.sh\`; raw results in \`$OUT/results.txt\`)"
  echo
  cat "$OUT/table.md"
  echo "<!-- bench:end -->"
} > "$OUT/section.md"
python3 - "$ROOT/BENCHMARKS.md" "$OUT/section.md" <<'PY'
import re, sys
doc_path, section_path = sys.argv[1], sys.argv[2]
section = open(section_path).read().rstrip("\n")
doc = open(doc_path).read()
doc = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda m: section, doc, flags=re.S)
open(doc_path, "w").write(doc)
PY
echo "BENCHMARKS.md updated from $OUT"
