#!/usr/bin/env bash
# compare-jars.sh - interleaved A/B rounds of two builds of mlvpn-java on this machine, so that a
# change can be judged against the build before it in the same run (the machines are shared and
# noisy: only figures from one run compare).
#
# Usage: compare-jars.sh OLD_DIR NEW_DIR [ROUNDS]
#   OLD_DIR, NEW_DIR  each holds mlvpn-launcher.jar and benchmarks.jar of one build
#   ROUNDS            interleaved rounds (default 5); the order within a round alternates
#
# Per round and build:
#   - `benchmarks/e2e/run.sh throughput --runs 1` (needs root, iperf3, openvpn) with that build's
#     launcher: its RESULT throughput line (mlvpn_mbit, ratio to OpenVPN in the same run);
#     skipped with COMPARE_E2E=0;
#   - `benchmarks/e2e/run.sh aggregate 50,20 --runs 1` (needs root, iperf3): its efficiency
#     (bonded goodput over the links' raw sum measured in the same run); skipped with
#     COMPARE_AGG=0 (and with COMPARE_E2E=0);
#   - JMH PipelineBenchmark.packet (1400-byte payload, 1 link, 1 fork, 3 x 1 s warm-up,
#     5 x 1 s measured) with that build's benchmarks.jar: packets/s; skipped with COMPARE_JMH=0.
# Output: one line per measurement, then per build and measure the median and the spread
# (min..max) of its rounds, and whether the new median lies inside the old build's spread:
#   AB throughput old round=1 mlvpn_mbit=2204.1
#   AB summary pipeline_pps old median=... min=... max=... | new median=... within_old_spread=yes
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
old=${1:?usage: compare-jars.sh OLD_DIR NEW_DIR [ROUNDS]}
new=${2:?usage: compare-jars.sh OLD_DIR NEW_DIR [ROUNDS]}
rounds=${3:-5}
e2e=${COMPARE_E2E:-1}
jmh=${COMPARE_JMH:-1}
agg=${COMPARE_AGG:-$e2e}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for d in "$old" "$new"; do
    [[ -f $d/mlvpn-launcher.jar && -f $d/benchmarks.jar ]] || { echo "no jars in $d" >&2; exit 2; }
done

measure() { # NAME DIR ROUND
    local name=$1 dir=$2 round=$3 line pps
    if ((e2e)); then
        line=$(MLVPN_JAR="$dir/mlvpn-launcher.jar" bash "$here/e2e/run.sh" throughput --runs 1 2>/dev/null |
            grep '^RESULT throughput ' | grep -v median | head -1 || true)
        local mbit
        mbit=$(sed -n 's/.*mlvpn_mbit=\([0-9.]*\).*/\1/p' <<<"$line")
        echo "AB throughput $name round=$round mlvpn_mbit=${mbit:-failed} ${line#RESULT throughput }"
        [[ -n $mbit ]] && echo "$mbit" >>"$out/throughput-$name"
    fi
    if ((agg)); then
        line=$(MLVPN_JAR="$dir/mlvpn-launcher.jar" bash "$here/e2e/run.sh" aggregate 50,20 --runs 1 2>/dev/null |
            grep '^RESULT aggregate ' | grep -v median | head -1 || true)
        local eff
        eff=$(sed -n 's/.*efficiency=\([0-9.]*\).*/\1/p' <<<"$line")
        echo "AB aggregate $name round=$round efficiency=${eff:-failed} ${line#RESULT aggregate }"
        [[ -n $eff ]] && echo "$eff" >>"$out/aggregate_efficiency-$name"
    fi
    ((jmh)) || return 0
    # A failed run writes no CSV: never read the previous run's figure as this one's.
    rm -f "$out/jmh.csv"
    java -jar "$dir/benchmarks.jar" 'PipelineBenchmark.packet$' -p payloadBytes=1400 -p links=1 \
        -f 1 -wi 3 -w 1 -i 5 -r 1 -rf csv -rff "$out/jmh.csv" >/dev/null 2>&1 || true
    pps=$(awk -F, 'NR>1 && $1 ~ /PipelineBenchmark.packet"?$/ {gsub(/"/,"",$5); print $5; exit}' "$out/jmh.csv" 2>/dev/null)
    echo "AB pipeline $name round=$round pps=${pps:-failed}"
    [[ -n $pps ]] && echo "$pps" >>"$out/pipeline_pps-$name"
    return 0
}

for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then
        measure old "$old" "$r"; measure new "$new" "$r"
    else
        measure new "$new" "$r"; measure old "$old" "$r"
    fi
done

stats() { # FILE: median min max
    sort -g "$1" | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR]}'
}
for measure in throughput aggregate_efficiency pipeline_pps; do
    [[ -s $out/$measure-old && -s $out/$measure-new ]] || continue
    read -r om omin omax < <(stats "$out/$measure-old")
    read -r nm nmin nmax < <(stats "$out/$measure-new")
    inside=$(awk -v n="$nm" -v lo="$omin" -v hi="$omax" 'BEGIN {print (n >= lo && n <= hi) ? "yes" : (n > hi ? "above" : "below")}')
    echo "AB summary $measure old median=$om min=$omin max=$omax | new median=$nm min=$nmin max=$nmax within_old_spread=$inside"
done
