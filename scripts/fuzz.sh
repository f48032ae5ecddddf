#!/usr/bin/env bash
# Fuzzes one Jazzer target (or each in turn) for a given time: docs/fuzzing.md.
#   scripts/fuzz.sh TARGET [DURATION]   e.g. scripts/fuzz.sh packet-too-big 10m
#   scripts/fuzz.sh all [DURATION]      every target, one after another
#   scripts/fuzz.sh list
# DURATION is Jazzer's: 30s, 10m, 2h (default 10m). Each run appends one line to
# target/fuzz/summary.txt ("TARGET runs=N seconds=S exec/s=R result=ok|FINDING") and keeps its
# whole output in target/fuzz/TARGET.log. A finding is saved by Jazzer as crash-* in the target's
# seed directory (src/test/resources/.../<Class>Inputs/<method>/), where the next plain
# `mvn verify` replays it. Builds offline (-o); drop MVN_OFFLINE to let Maven download.
set -euo pipefail
cd "$(dirname "$0")/.."

# name module class#method
TARGETS="
packet-too-big      mlvpn-core      io.mlvpn.core.inner.PacketTooBigFuzzTest#answersAnyPacket
receive-sealed      mlvpn-core      io.mlvpn.core.ReceivePathFuzzTest#sealedPackets
receive-raw         mlvpn-core      io.mlvpn.core.ReceivePathFuzzTest#rawDatagrams
receive-handshake   mlvpn-core      io.mlvpn.core.ReceivePathFuzzTest#signedHandshakes
handshake-responder mlvpn-core      io.mlvpn.core.session.HandshakeFuzzTest#responder
handshake-initiator mlvpn-core      io.mlvpn.core.session.HandshakeFuzzTest#initiator
splitter            mlvpn-tun-linux io.mlvpn.tun.linux.SuperPacketSplitterFuzzTest#splitsAnyRead
coalescer           mlvpn-tun-linux io.mlvpn.tun.linux.TcpCoalescerFuzzTest#coalescesAnyBatch
config              mlvpn-launcher  io.mlvpn.launcher.ConfigFuzzTest#anyPropertiesText
control-json        mlvpn-launcher  io.mlvpn.launcher.control.ControlRequestFuzzTest#anyJson
control-http        mlvpn-launcher  io.mlvpn.launcher.control.ControlRequestFuzzTest#anyHttpRequest
control-unix        mlvpn-launcher  io.mlvpn.launcher.control.ControlRequestFuzzTest#anyUnixRequest
"

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

[ $# -ge 1 ] || usage
target=$1
duration=${2:-10m}
offline=${MVN_OFFLINE--o}

if [ "$target" = list ]; then
  echo "$TARGETS" | awk 'NF { printf "%-20s %s %s\n", $1, $2, $3 }'
  exit 0
fi

run_one() {
  local name=$1 module=$2 test=$3
  mkdir -p target/fuzz
  local log=target/fuzz/$name.log
  echo "fuzzing $name ($test) for $duration; output in $log"
  local status=0
  JAZZER_FUZZ=1 mvn -B $offline -pl "$module" -am -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="$duration" -DargLine=-Xmx1g test >"$log" 2>&1 || status=$?
  # libFuzzer's last word: "Done N runs in S second(s)".
  local done runs seconds rate result
  done=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  runs=$(echo "$done" | awk '{print $2}')
  seconds=$(echo "$done" | awk '{print $5}')
  if [ -n "$runs" ] && [ "${seconds:-0}" -gt 0 ]; then rate=$((runs / seconds)); else rate=?; fi
  if [ "$status" -eq 0 ]; then result=ok; else result=FINDING; fi
  echo "$name runs=${runs:-?} seconds=${seconds:-?} exec/s=$rate result=$result" | tee -a target/fuzz/summary.txt
  return "$status"
}

found=0
matched=0
while read -r name module test; do
  [ -n "$name" ] || continue
  if [ "$target" = all ] || [ "$target" = "$name" ]; then
    matched=1
    run_one "$name" "$module" "$test" || found=1
  fi
done <<<"$TARGETS"
[ "$matched" -eq 1 ] || { echo "unknown target: $target (scripts/fuzz.sh list)" >&2; exit 2; }
exit "$found"
