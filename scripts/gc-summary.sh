#!/usr/bin/env bash
# Summarises collector pauses from JVM unified GC logs (-Xlog:gc:file=...): count, p50/p99/max and how
# many exceeded 1 ms and 10 ms (issue #15's bounds), one line per file.
# Usage: [SINCE_S=seconds] [UNTIL_S=seconds] scripts/gc-summary.sh GC_LOG...   (only pauses between
#        those JVM uptimes, e.g. to leave out start-up and the list load, or to look at one phase)
set -euo pipefail
for log in "$@"; do
  { grep -hE '\] GC\([0-9]+\) Pause' "$log" || true; } | awk -v since="${SINCE_S:-0}" -v until="${UNTIL_S:-1e9}" -F'[][s]' '$2 + 0 >= since && $2 + 0 < until' \
    | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -g | awk -v f="$log" -v gc="$(grep -m1 -o 'Using [A-Za-z]*' "$log" | cut -d' ' -f2)" '
    {v[NR]=$1; if ($1 > 1) o1++; if ($1 > 10) o10++}
    function q(p) { i=int(p*NR); if (i<1) i=1; return v[i] }
    END { if (NR == 0) { printf "%s (%s): no pauses\n", f, gc; exit }
          printf "%s (%s): %d pauses, p50 %.3f ms, p99 %.3f ms, max %.3f ms, >1 ms: %d, >10 ms: %d\n", f, gc, NR, q(0.5), q(0.99), v[NR], o1, o10 }'
done
