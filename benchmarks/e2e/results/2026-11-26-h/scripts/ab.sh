#!/bin/bash
# A/B: alternates jars over rounds; prints receiver Mbit/s per run. Usage: ab.sh ROUNDS JAR_A JAR_B
rounds=$1; shift
for r in $(seq 1 $rounds); do
  for jar in "$@"; do
    out=$(flock /work/bench.lock env JAR=$jar P=${P:-1} WARM=3 SECS=${SECS:-16} bash /work/exp/mq.sh 0 2>&1)
    mbit=$(echo "$out" | grep -E "receiver" | tail -1 | awk '{for(i=1;i<=NF;i++) if ($i=="Mbits/sec") print $(i-1)}')
    retr=$(echo "$out" | grep -E "sender" | tail -1 | awk '{print $(NF-1)}')
    echo "round $r $(basename $jar) mbit=$mbit retr=$retr"
  done
done
