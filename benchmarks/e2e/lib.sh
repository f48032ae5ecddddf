# shellcheck shell=bash
# lib.sh - helpers shared by lab-selftest.sh and run.sh. Source it; it defines functions only.
#
# Needs bash, coreutils, awk, iputils ping and iperf3; no JSON tool (iperf3's -J output is read
# with awk).

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_SH="$E2E_DIR/lab.sh"

# Runs lab.sh with the caller's LAB_ID / LAB_STATE.
lab() {
    "$LAB_SH" "$@"
}

log() {
    echo "[$(date +%T)] $*" >&2
}

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# Prints the median of the numbers given as arguments (the mean of the two middle ones for an
# even count); fails on no arguments or a non-number.
median() {
    (($# > 0)) || { echo "median: no values" >&2; return 1; }
    printf '%s\n' "$@" | sort -g | awk '
        !/^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ { print "median: not a number: " $0 > "/dev/stderr"; bad = 1; exit }
        { v[NR] = $0 + 0 }
        END {
            if (bad) exit 1
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f\n", m
        }'
}

# Prints the receiver's goodput in Mbit/s from a TCP iperf3 -J output file
# (end.sum_received.bits_per_second); fails with iperf3's own error text when the test failed.
iperf3_mbit() {
    local file=$1
    [[ -s $file ]] || { echo "iperf3_mbit: empty iperf3 output $file" >&2; return 1; }
    awk '
        /^\t"error":/ { sub(/^[^:]*:[ \t]*/, ""); print "iperf3 failed: " $0 > "/dev/stderr"; bad = 1; exit }
        /"sum_received"[ \t]*:/ { inside = 1 }
        inside && /"bits_per_second"[ \t]*:/ {
            sub(/^[^:]*:[ \t]*/, ""); sub(/,.*$/, "")
            printf "%.2f\n", $0 / 1e6; found = 1; exit
        }
        END {
            if (bad) exit 1
            if (!found) { print "iperf3_mbit: no sum_received.bits_per_second in output" > "/dev/stderr"; exit 1 }
        }' "$file"
}

# ping_avg_ms NS ADDR COUNT: prints the average round-trip time in ms of COUNT pings (0.2 s apart);
# fails when any ping is lost.
ping_avg_ms() {
    local ns=$1 addr=$2 count=$3 out
    out=$(lab exec "$ns" ping -n -q -c "$count" -i 0.2 -W 2 "$addr" 2>&1) ||
        { echo "ping from $ns to $addr failed: $(echo "$out" | tail -2 | tr '\n' ' ')" >&2; return 1; }
    echo "$out" | awk -F/ '/^(rtt|round-trip)/ { printf "%.3f\n", $5; found = 1 } END { exit !found }' ||
        { echo "no rtt summary in ping output: $out" >&2; return 1; }
}

# wait_for_ping NS ADDR TIMEOUT_S [PROCESS...]: polls until ADDR answers a ping from NS; fails
# after TIMEOUT_S seconds, or as soon as one of the named lab processes has exited.
wait_for_ping() {
    local ns=$1 addr=$2 timeout=$3 deadline name
    shift 3
    deadline=$((SECONDS + timeout))
    until lab exec "$ns" ping -n -q -c 1 -W 1 "$addr" >/dev/null 2>&1; do
        for name in "$@"; do
            lab pid "$name" >/dev/null 2>&1 || { echo "process $name exited while waiting for $addr" >&2; return 1; }
        done
        ((SECONDS < deadline)) || { echo "$addr did not answer a ping from $ns within ${timeout}s" >&2; return 1; }
        sleep 0.2
    done
}

# wait_for_listen NS ADDR PORT TIMEOUT_S: polls until a TCP socket listens on ADDR:PORT in NS.
wait_for_listen() {
    local ns=$1 addr=$2 port=$3 timeout=$4 deadline
    deadline=$((SECONDS + timeout))
    until lab exec "$ns" ss -Hltn "src $addr:$port" 2>/dev/null | grep -q .; do
        ((SECONDS < deadline)) || { echo "nothing listens on TCP $addr:$port in $ns after ${timeout}s" >&2; return 1; }
        sleep 0.1
    done
}

# wait_for_udp NS PORT TIMEOUT_S: polls until a UDP socket is bound to PORT in NS.
wait_for_udp() {
    local ns=$1 port=$2 timeout=$3 deadline
    deadline=$((SECONDS + timeout))
    until lab exec "$ns" ss -Hlun "sport = :$port" 2>/dev/null | grep -q .; do
        ((SECONDS < deadline)) || { echo "nothing bound to UDP port $port in $ns after ${timeout}s" >&2; return 1; }
        sleep 0.1
    done
}

# True when PID names a live (non-zombie) process.
pid_alive() {
    local state
    state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

# need CMD...: fails naming every missing command.
need() {
    local cmd missing=()
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
    ((${#missing[@]} == 0)) || die "missing commands: ${missing[*]} (apt-get install iproute2 nftables iperf3 iputils-ping)"
}
