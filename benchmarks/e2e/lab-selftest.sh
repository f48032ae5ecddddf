#!/usr/bin/env bash
# lab-selftest.sh - proves that lab.sh works on this machine (used by CI).
#
# Usage: lab-selftest.sh
#
# Brings up a private lab (LAB_ID=selftest<pid>) with two links, 20mbit and unlimited, and checks:
# ping over both links in both directions; iperf3 TCP over link 1 near 20 Mbit/s in both
# directions; link 2 much faster; cut/heal of link 1 (and that they are idempotent); spawn/stop of
# a process; and that down leaves no namespace, veth, process or state behind. Prints one PASS or
# FAIL line per check, then "N passed, M failed"; exits 1 on any failure. Needs root, iproute2,
# nftables, iperf3 and iputils-ping. Takes about 15 seconds.

set -euo pipefail

export LAB_ID="selftest$$"
export LAB_STATE="/tmp/mlvpn-lab-$LAB_ID"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 0)) || { echo "usage: ${0##*/} (no arguments)" >&2; exit 2; }
((EUID == 0)) || die "needs root (network namespaces)"
need ip tc nft iperf3 ping ss sha1sum

readonly IPERF_PORT=5201
WORK=$(mktemp -d "/tmp/mlvpn-selftest.XXXXXX")
passed=0
failed=0

summarized=0

cleanup() {
    local rc=$?
    if ((summarized == 0)); then
        echo "FAIL selftest aborted (exit $rc) before finishing"
        echo "$passed passed, $((failed + 1)) failed"
    fi
    "$LAB_SH" down >/dev/null 2>&1 || echo "${0##*/}: warning: lab down failed during cleanup" >&2
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
    echo "PASS $*"
    passed=$((passed + 1))
}

fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

# check DESCRIPTION CMD...: PASS when CMD succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_not DESCRIPTION CMD...: PASS when CMD fails.
check_not() {
    local what=$1
    shift
    if "$@"; then fail "$what"; else pass "$what"; fi
}

ping_once() { # NS ADDR
    lab exec "$1" ping -n -q -c 1 -W 1 "$2" >/dev/null 2>&1
}

# iperf_check LABEL ADDR SECONDS MIN MAX [iperf3 options]: TCP goodput over ADDR within [MIN, MAX]
# Mbit/s (MAX "-" for none).
iperf_check() {
    local label=$1 addr=$2 secs=$3 min=$4 max=$5 json mbit
    shift 5
    json="$WORK/iperf-$label.json"
    if ! lab exec c timeout $((secs + 10)) iperf3 -c "$addr" -p "$IPERF_PORT" -t "$secs" -J "$@" >"$json" 2>&1; then
        fail "$label: iperf3 to $addr ($(tail -c 300 "$json" | tr '\n' ' '))"
        return
    fi
    if ! mbit=$(iperf3_mbit "$json"); then
        fail "$label: no goodput figure from iperf3"
        return
    fi
    if awk -v v="$mbit" -v lo="$min" -v hi="$max" 'BEGIN { exit !(v >= lo && (hi == "-" || v <= hi)) }'; then
        pass "$label: $mbit Mbit/s (expected $min..$max)"
    else
        fail "$label: $mbit Mbit/s (expected $min..$max)"
    fi
}

main() {
    local a1c a1s a2c a2s pid dev ip1 ip2

    if lab up 2 20mbit,0 >/dev/null; then pass "up 2 20mbit,0"; else fail "up 2 20mbit,0"; return; fi
    a1c=$(lab addr 1 c)
    a1s=$(lab addr 1 s)
    a2c=$(lab addr 2 c)
    a2s=$(lab addr 2 s)
    check "addresses are 10.77.1.1, 10.77.1.2, 10.77.2.1, 10.77.2.2" \
        test "$a1c $a1s $a2c $a2s" = "10.77.1.1 10.77.1.2 10.77.2.1 10.77.2.2"
    check_not "up again while up is refused" lab up 1 0 2>/dev/null

    check "ping link 1 client->server" ping_once c "$a1s"
    check "ping link 1 server->client" ping_once s "$a1c"
    check "ping link 2 client->server" ping_once c "$a2s"
    check "ping link 2 server->client" ping_once s "$a2c"

    ip1=$(lab spawn s iperf-1 "$WORK/iperf-1.log" iperf3 -s -B "$a1s" -p "$IPERF_PORT")
    ip2=$(lab spawn s iperf-2 "$WORK/iperf-2.log" iperf3 -s -B "$a2s" -p "$IPERF_PORT")
    check "iperf3 server listening on link 1" wait_for_listen s "$a1s" "$IPERF_PORT" 5
    check "iperf3 server listening on link 2" wait_for_listen s "$a2s" "$IPERF_PORT" 5
    iperf_check "link 1 (20mbit) client->server" "$a1s" 5 15 21
    iperf_check "link 1 (20mbit) server->client" "$a1s" 3 15 21 -R
    iperf_check "link 2 (unlimited) client->server" "$a2s" 2 100 -

    lab cut 1
    check "cut 1 is idempotent" lab cut 1
    check_not "cut 1: ping link 1 client->server fails" ping_once c "$a1s"
    check_not "cut 1: ping link 1 server->client fails" ping_once s "$a1c"
    check "cut 1: ping link 2 client->server works" ping_once c "$a2s"
    check "cut 1: ping link 2 server->client works" ping_once s "$a2c"
    check "cut 1: status shows the cut" bash -c "'$LAB_SH' status | grep -q 'link 1: .*CUT'"
    lab heal 1
    check "heal 1 is idempotent" lab heal 1
    check "heal 1: ping link 1 client->server works" ping_once c "$a1s"
    check "heal 1: ping link 1 server->client works" ping_once s "$a1c"

    pid=$(lab spawn c sleeper "$WORK/sleeper.log" sleep 1000)
    check "spawn: pid $pid is sleep" test "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep
    check "spawn: runs in the client namespace" \
        test "$(readlink "/proc/$pid/ns/net")" = "$(lab exec c readlink /proc/self/ns/net)"
    check "pid sleeper prints $pid" test "$(lab pid sleeper)" = "$pid"
    lab stop sleeper
    check_not "stop: sleep 1000 is gone" pid_alive "$pid"
    check_not "pid sleeper fails after stop" lab pid sleeper 2>/dev/null
    check "stop of a stopped process succeeds" lab stop sleeper

    pid=$(lab spawn s survivor "$WORK/survivor.log" sleep 1000)
    dev=$(lab dev 1 c)
    lab down >/dev/null
    check_not "down: spawned sleep 1000 is gone" pid_alive "$pid"
    check_not "down: iperf3 server on link 1 is gone" pid_alive "$ip1"
    check_not "down: iperf3 server on link 2 is gone" pid_alive "$ip2"
    check_not "down: no namespace $LAB_ID-c or $LAB_ID-s" bash -c "ip netns list | grep -q '^$LAB_ID-'"
    check_not "down: no veth $dev anywhere" bash -c "ip -o link show | grep -q '$dev'"
    check_not "down: no state directory" test -e "$LAB_STATE"
    check "down again succeeds" lab down
}

main
summarized=1
echo "$passed passed, $failed failed"
((failed == 0))
