#!/usr/bin/env bash
# Lab check: kill -9 the server launcher during a ping flood, start it again, time until pings answer.
set -euo pipefail
export LAB_ID=rst$$ LAB_STATE=/tmp/mlvpn-lab-rst$$
E=/work/main/benchmarks/e2e; JAR=${JAR:-/tmp/final2.jar}
lab() { bash $E/lab.sh "$@"; }
trap 'mkdir -p /tmp/rst-logs; cp $LAB_STATE/*.log /tmp/rst-logs/ 2>/dev/null; lab down >/dev/null 2>&1 || true' EXIT
lab up 2 0,0 >/dev/null
java -jar $JAR genkey $LAB_STATE/k >/dev/null
{ echo mode=client; echo key.file=$LAB_STATE/k; echo interface.name=mx; echo interface.type=tun; echo interface.address=10.99.0.1/30; echo interface.peer=10.99.0.2
  for i in 1 2; do echo link.l$i.bind.host=10.77.$i.1; echo link.l$i.remote.host=10.77.$i.2; echo link.l$i.remote.port=$((5080+i)); done; } > $LAB_STATE/c.properties
{ echo mode=server; echo key.file=$LAB_STATE/k; echo interface.name=mx; echo interface.type=tun; echo interface.address=10.99.0.2/30; echo interface.peer=10.99.0.1
  for i in 1 2; do echo link.l$i.bind.host=10.77.$i.2; echo link.l$i.bind.port=$((5080+i)); done; } > $LAB_STATE/s.properties
lab spawn s srv $LAB_STATE/s.log java -jar $JAR $LAB_STATE/s.properties >/dev/null
sleep 2
lab spawn c cli $LAB_STATE/c.log java -jar $JAR $LAB_STATE/c.properties >/dev/null
for k in $(seq 60); do lab exec c ping -c1 -W1 10.99.0.2 >/dev/null 2>&1 && break; sleep 0.5; done
echo "tunnel up"
# ping every 50 ms, timestamps of replies
lab exec c ping -D -i 0.05 -W 1 10.99.0.2 > $LAB_STATE/ping.log 2>&1 &
pp=$!
sleep 3
pid=$(pgrep -f -- "-jar $JAR $LAB_STATE/s.properties" | head -1)
echo "killing server pid $pid (SIGKILL)"; t_kill=$(date +%s.%N)
kill -9 $pid
sleep 2
lab stop srv >/dev/null 2>&1 || true
lab spawn s srv2 $LAB_STATE/s2.log java -jar $JAR $LAB_STATE/s.properties >/dev/null
t_start=$(date +%s.%N); echo "server restarted at +$(echo "$t_start - $t_kill" | bc) s"
sleep 15
kill $pp 2>/dev/null || true; wait $pp 2>/dev/null || true
# first reply after the restart
first=$(awk -v t="$t_start" -F'[][]' '/bytes from/ { if ($2 > t) { print $2; exit } }' $LAB_STATE/ping.log)
echo "first reply after restart: +$(echo "$first - $t_start" | bc) s after the new server started"
grep -v DEBUG $LAB_STATE/c.log | grep -i "offering\|established\|down\b\|-> down\|tunnel" | tail -8
