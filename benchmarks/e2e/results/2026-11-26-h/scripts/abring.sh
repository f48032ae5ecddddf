#!/bin/bash
# A/B over toDevice ring sizes: abring.sh ROUNDS JAR RING...
rounds=$1; jar=$2; shift 2
for r in $(seq 1 $rounds); do
  for p in 1 4; do
  for ring in "$@"; do
    out=$(flock /work/bench.lock env JAR=$jar JAVA="java -Dmlvpn.experiment.ring=$ring" P=$p WARM=3 SECS=${SECS:-16} bash /work/exp/mq.sh 0 2>&1)
    mbit=$(echo "$out" | grep -E "receiver" | tail -1 | awk '{for(i=1;i<=NF;i++) if ($i=="Mbits/sec") print $(i-1)}')
    retr=$(echo "$out" | grep -E "sender" | tail -1 | awk '{print $(NF-1)}')
    echo "round $r P=$p ring=$ring mbit=$mbit retr=$retr"
  done
  done
done
