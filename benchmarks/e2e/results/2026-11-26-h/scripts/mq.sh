#!/usr/bin/env bash
# Diagnostic: aggregate run with status polling. Usage: agg.sh RATES [extra client props file] 
set -euo pipefail
RATES=$1; EXTRA=${2:-}
export LAB_ID=exp$$ LAB_STATE=/tmp/mlvpn-lab-exp$$
E=/work/main/benchmarks/e2e; JAR=${JAR:-/work/main/mlvpn-launcher/target/mlvpn-launcher.jar}
lab() { bash $E/lab.sh "$@"; }
trap 'lab down >/dev/null 2>&1 || true' EXIT
IFS=, read -r -a list <<<"$RATES"; n=${#list[@]}; tc=""; for r in "${list[@]}"; do if [[ $r == 0 ]]; then tc+="${tc:+,}0"; else tc+="${tc:+,}${r}mbit"; fi; done
lab up $n $tc >/dev/null
java -jar $JAR genkey $LAB_STATE/k >/dev/null
{ echo mode=client; echo key.file=$LAB_STATE/k; echo interface.name=mx; echo interface.type=tun; echo interface.address=10.99.0.1/30; echo interface.peer=10.99.0.2; echo control.unix=$LAB_STATE/c.sock
  for ((i=1;i<=n;i++)); do echo link.l$i.bind.host=10.77.$i.1; echo link.l$i.remote.host=10.77.$i.2; echo link.l$i.remote.port=$((5080+i)); done; [[ -n $EXTRA ]] && cat $EXTRA; } > $LAB_STATE/c.properties
{ echo mode=server; echo key.file=$LAB_STATE/k; echo interface.name=mx; echo interface.type=tun; echo interface.address=10.99.0.2/30; echo interface.peer=10.99.0.1; echo control.unix=$LAB_STATE/s.sock
  for ((i=1;i<=n;i++)); do echo link.l$i.bind.host=10.77.$i.2; echo link.l$i.bind.port=$((5080+i)); done; [[ -n $EXTRA ]] && cat $EXTRA; } > $LAB_STATE/s.properties
lab spawn s srv $LAB_STATE/s.log ${JAVA:-java} -jar $JAR $LAB_STATE/s.properties >/dev/null
sleep 2
lab spawn c cli $LAB_STATE/c.log ${JAVA:-java} -jar $JAR $LAB_STATE/c.properties >/dev/null
for k in $(seq 60); do lab exec c ping -c1 -W1 10.99.0.2 >/dev/null 2>&1 && break; sleep 0.5; done
lab spawn s ip3 $LAB_STATE/ip3.log iperf3 -s -B 10.99.0.2 >/dev/null; sleep 1
python3 /work/exp/poll.py $LAB_STATE/c.sock 21 C > $LAB_STATE/pollc.txt &
pc=$!
python3 /work/exp/poll.py $LAB_STATE/s.sock 21 S > $LAB_STATE/polls.txt &
ps=$!
[[ -n ${WARM:-} ]] && lab exec c iperf3 -c 10.99.0.2 -t $WARM -f m | grep -E "sender"
( [[ -n ${SAMPLE:-} ]] && /work/exp/threads.sh "$JAR" 4 8 > $LAB_STATE/threads.txt ) &
sp=$!
lab exec c iperf3 -c 10.99.0.2 -P ${P:-1} -t ${SECS:-20} -i ${IVL:-2} -f m | grep -E 'SUM|sender|receiver' | tail -4
wait $sp; cat $LAB_STATE/threads.txt 2>/dev/null || true
wait $pc $ps
for ns in c s; do lab exec $ns tc -s qdisc show | grep -E 'qdisc|dropped' ; done
paste -d'\n' $LAB_STATE/pollc.txt $LAB_STATE/polls.txt | awk 'NR%4<=2'
grep -v DEBUG $LAB_STATE/c.log | grep -i 'lossy\|suspect\|latency\|probation' | head || true
cp $LAB_STATE/c.log $LAB_STATE/s.log /work/exp/ 2>/dev/null || true
