#!/usr/bin/env bash
# threadcpu.sh PID SECS: CPU % per thread over SECS (utime+stime from /proc), plus voluntary/involuntary switches
pid=$1; secs=$2
snap() { for t in /proc/$pid/task/*; do n=$(cat $t/comm); s=($(sed 's/^.*) //' $t/stat)); nv=$(awk '/^nonvoluntary/{print $2}' $t/status); echo "$(basename $t) $((s[11]+s[12])) $nv $n"; done; }
snap > /tmp/s12/tc.a; sleep $secs; snap > /tmp/s12/tc.b
join <(sort /tmp/s12/tc.a) <(sort /tmp/s12/tc.b) | awk -v s=$secs '{cpu=($5-$2)/s; if (cpu>1) printf "%5.1f%% invol_cs/s=%d %s %s\n", cpu, ($6-$3)/s, $4, $1}' | sort -rn
