#!/usr/bin/env bash
# Throwaway: tap with offloads vs tap without, 1 unlimited lab link, iperf3 -P1, interleaved rounds.
set -euo pipefail
export LAB_ID=tapbench
LAB=/work/main/benchmarks/e2e/lab.sh
JARS=${JARS:?}
ST=${LAB_STATE_DIR:-/tmp/tapbench/state}
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
mkdir -p $ST
trap '$LAB down >/dev/null 2>&1 || true' EXIT
$LAB down >/dev/null 2>&1 || true
$LAB up 1 0 >/dev/null
[[ -f $ST/key ]] || java -jar ${JARS%% *} genkey $ST/key >/dev/null
props() { # side offload
    if [[ $1 == c ]]; then
        printf 'mode=client\nkey.file=%s\ninterface.name=mlvtap\ninterface.type=tap\ninterface.address=10.78.0.1/30\ninterface.offload=%s\nlink.l1.bind.host=%s\nlink.l1.remote.host=%s\nlink.l1.remote.port=5081\n' \
            $ST/key $2 "$($LAB addr 1 c)" "$($LAB addr 1 s)"
    else
        printf 'mode=server\nkey.file=%s\ninterface.name=mlvtap\ninterface.type=tap\ninterface.address=10.78.0.2/30\ninterface.offload=%s\nlink.l1.bind.host=%s\nlink.l1.bind.port=5081\n' \
            $ST/key $2 "$($LAB addr 1 s)"
    fi
}
$LAB spawn s iperf3-server $ST/iperf-s.log iperf3 -s -p 5201 >/dev/null
for ((r = 1; r <= ROUNDS; r++)); do
    for JAR in $JARS; do off=true
        props s $off >$ST/server.properties
        props c $off >$ST/client.properties
        $LAB spawn s srv $ST/server-$off-$r.log java -jar $JAR $ST/server.properties >/dev/null
        sleep 2 # the server opens its link before the client's first handshake
        $LAB spawn c cli $ST/client-$off-$r.log java -jar $JAR $ST/client.properties >/dev/null
        for ((i = 0; i < 60; i++)); do
            $LAB exec c ping -c1 -W1 10.78.0.2 >/dev/null 2>&1 && break
        done
        $LAB exec c iperf3 -c 10.78.0.2 -p 5201 -t 5 >/dev/null 2>&1 || true # warm-up
        mbit=$($LAB exec c iperf3 -c 10.78.0.2 -p 5201 -t $SECS -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6,1))')
        echo "round $r jar=$(basename $JAR) offload=$off derived-mtu mbit=$mbit"
        $LAB stop cli >/dev/null; $LAB stop srv >/dev/null
    done
done
