#!/bin/bash
# A/B over JDKs with one jar: ab-java.sh ROUNDS JAR JAVA_A JAVA_B
rounds=$1; jar=$2; shift 2
for r in $(seq 1 $rounds); do
  for j in "$@"; do
    out=$(flock /work/bench.lock env JAR=$jar JAVA=$j P=${P:-1} WARM=3 SECS=${SECS:-16} bash /work/exp/mq.sh 0 2>&1)
    mbit=$(echo "$out" | grep -E "receiver" | tail -1 | awk '{for(i=1;i<=NF;i++) if ($i=="Mbits/sec") print $(i-1)}')
    retr=$(echo "$out" | grep -E "sender" | tail -1 | awk '{print $(NF-1)}')
    echo "round $r $j mbit=$mbit retr=$retr"
  done
done
