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

# iperf3_sent_field FILE FIELD: prints end.sum_sent.FIELD (e.g. retransmits, seconds) from a TCP
# iperf3 -J client output; fails when the file has no such field (e.g. the test failed).
iperf3_sent_field() {
    local file=$1 field=$2
    awk -v field="$field" '
        /"sum_sent"[ \t]*:/ { inside = 1; next }
        inside && /}/ { exit }
        inside && $0 ~ "\"" field "\"[ \t]*:" {
            sub(/^[^:]*:[ \t]*/, ""); sub(/,.*$/, "")
            print $0 + 0; found = 1; exit
        }
        END { exit !found }' "$file"
}

# iperf3_error FILE: prints iperf3's own error text from a -J output and succeeds when the test
# failed; fails (prints nothing) when there is no error.
iperf3_error() {
    awk '/^\t"error":/ { sub(/^[^:]*:[ \t]*/, ""); print; found = 1; exit } END { exit !found }' "$1"
}

# iperf3_intervals FILE: prints one line "START END MBIT" per reporting interval (the "sum" of
# each element of "intervals", times in seconds from the test start) of an iperf3 -J output.
iperf3_intervals() {
    awk '
        /^\t"intervals":/ { inside = 1 }
        /^\t"end":/ { inside = 0 }
        !inside { next }
        /^\t\t\t"sum":/ { sum = 1; s = e = b = ""; next }
        sum && /"start":/ { s = value($0) }
        sum && /"end":/ { e = value($0) }
        sum && /"bits_per_second":/ { b = value($0) }
        sum && /^\t\t\t}/ {
            sum = 0
            if (s != "" && e != "" && b != "") printf "%.6f %.6f %.4f\n", s, e, b / 1e6
        }
        function value(line) { sub(/^[^:]*:[ \t]*/, "", line); sub(/,.*$/, "", line); return line + 0 }
        ' "$1"
}

# failover_metrics FILE CUT_S HEAL_S ONE_LINK_MBIT: reads "START END MBIT" lines (receiver side,
# see iperf3_intervals; lines starting with # are skipped) and prints the failover keys
# (definitions in README.md):
#   two_link_mbit   mean goodput from 2 s after the start until the cut (both links)
#   cut_mbit        mean goodput from 1 s after the cut until the heal (one link)
#   after_mbit      mean goodput from 2 s after the heal until the end
#   below_one_link_s  time after the cut in intervals below 90 % of ONE_LINK_MBIT
#   zero_s          time after the cut in intervals below 1 % of ONE_LINK_MBIT
#   recover_s       from the heal to the end of the first interval at >= 80 % of two_link_mbit
#                   (to the end of the test when none; then recovered=0)
#   recovered       1 when such an interval exists, else 0
# Intervals shorter than 50 ms (iperf3's last, partial one) are ignored. Fails when there is no
# interval before the cut to measure the two-link goodput from.
failover_metrics() {
    awk -v cut="$2" -v heal="$3" -v one="$4" '
        /^#/ { next }
        NF == 3 && $2 - $1 >= 0.05 { n++; s[n] = $1; e[n] = $2; r[n] = $3 }
        function mean(from, to,   i, bits, secs) {
            bits = secs = 0
            for (i = 1; i <= n; i++)
                if (s[i] >= from && e[i] <= to) { bits += r[i] * (e[i] - s[i]); secs += e[i] - s[i] }
            return secs > 0 ? bits / secs : -1
        }
        END {
            if (n == 0) { print "failover_metrics: no intervals" > "/dev/stderr"; exit 1 }
            two = mean(2, cut)
            if (two <= 0) { print "failover_metrics: no interval between 2 s and the cut at " cut " s" > "/dev/stderr"; exit 1 }
            during = mean(cut + 1, heal); if (during < 0) during = 0
            after = mean(heal + 2, e[n]); if (after < 0) after = 0
            below = zero = 0
            for (i = 1; i <= n; i++) {
                if (e[i] <= cut) continue
                d = e[i] - (s[i] > cut ? s[i] : cut)
                if (r[i] < 0.9 * one) below += d
                if (r[i] < 0.01 * one) zero += d
            }
            recovered = 0; recover = e[n] - heal
            for (i = 1; i <= n; i++)
                if (e[i] > heal && r[i] >= 0.8 * two) { recovered = 1; recover = e[i] - heal; break }
            if (recover < 0) recover = 0
            printf "two_link_mbit=%.2f cut_mbit=%.2f after_mbit=%.2f below_one_link_s=%.2f zero_s=%.2f recover_s=%.2f recovered=%d\n",
                two, during, after, below, zero, recover, recovered
        }' "$1"
}

# proc_start_s PID: the process start time in seconds since boot (clock ticks, 10 ms here),
# comparable with uptime_s.
proc_start_s() {
    local stat rest f ticks
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    ticks=$(getconf CLK_TCK)
    awk -v t="${f[19]}" -v hz="$ticks" 'BEGIN { printf "%.2f\n", t / hz }'
}

# uptime_s: seconds since boot (the clock of proc_start_s), 10 ms resolution.
uptime_s() {
    local up _
    read -r up _ </proc/uptime
    echo "$up"
}

# sleep_until_uptime T: sleeps until uptime_s reaches T (returns at once when it has).
sleep_until_uptime() {
    local left
    left=$(awk -v t="$1" -v now="$(uptime_s)" 'BEGIN { d = t - now; printf "%.3f\n", (d > 0 ? d : 0) }')
    sleep "$left"
}

# iperf3_udp_received_pps FILE PAYLOAD_BYTES: datagrams per second that the iperf3 server received,
# from its own -J output (end.sum_received.bytes / PAYLOAD_BYTES / end.sum_received.seconds).
iperf3_udp_received_pps() {
    local file=$1 payload=$2
    [[ -s $file ]] || { echo "iperf3_udp_received_pps: empty iperf3 output $file" >&2; return 1; }
    awk -v payload="$payload" '
        /^\t"error":/ { sub(/^[^:]*:[ \t]*/, ""); print "iperf3 failed: " $0 > "/dev/stderr"; bad = 1; exit }
        /^\t\t"sum_received"[ \t]*:/ { inside = 1; next }
        inside && /^\t\t}/ { exit }
        inside && /"bytes"[ \t]*:/ { bytes = value($0) }
        inside && /"seconds"[ \t]*:/ { secs = value($0) }
        function value(line) { sub(/^[^:]*:[ \t]*/, "", line); sub(/,.*$/, "", line); return line + 0 }
        END {
            if (bad) exit 1
            if (secs <= 0 || bytes == "") { print "iperf3_udp_received_pps: no end.sum_received in output" > "/dev/stderr"; exit 1 }
            printf "%.0f\n", bytes / payload / secs
        }' "$file"
}

# proc_cpu_ticks PID: user + system CPU time of the whole process (all its threads, fields 14 and
# 15 of /proc/PID/stat) in clock ticks (getconf CLK_TCK per second).
proc_cpu_ticks() {
    local stat rest f
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    rest=${stat##*) } # fields from 3 (state) on; comm may hold spaces and parentheses
    read -r -a f <<<"$rest"
    echo $((f[11] + f[12]))
}

# udp_rcvbuf_errors NS: the Udp RcvbufErrors counter of the lab namespace NS (c or s), from its
# /proc/net/snmp (datagrams dropped because a socket's receive buffer was full).
udp_rcvbuf_errors() {
    lab exec "$1" cat /proc/net/snmp | awk '
        $1 == "Udp:" && !header { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") col = i; header = 1; next }
        $1 == "Udp:" && header { if (col) { print $col; found = 1 }; exit }
        END { exit !found }'
}

# jfr_top FILE N: the N methods most often on top of the stack in FILE's jdk.ExecutionSample
# events (Java code running on a CPU; threads blocked in native code are not sampled), as
# "COUNT PERCENT% METHOD" lines after a "SAMPLES total" line. Needs the JDK's jfr tool.
jfr_top() {
    local file=$1 n=$2
    jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" | awk '
        /stackTrace = \[/ { want = 1; next }
        want {
            want = 0
            line = $0
            sub(/^[ \t]+/, "", line); sub(/[ \t]+line:.*$/, "", line)
            if (line == "" || line == "]") next
            count[line]++; total++
        }
        END {
            printf "SAMPLES %d total\n", total
            for (m in count) printf "%d %.1f%% %s\n", count[m], 100 * count[m] / (total ? total : 1), m
        }' | {
        # awk rather than head reads to the end, so sort never dies of SIGPIPE (pipefail).
        read -r header && echo "$header"
        sort -rn | awk -v n="$n" 'NR <= n'
    }
}

# udp_socket_drops NS PORT: the drops counted on the UDP sockets (IPv4 and IPv6) that are open now
# in the lab namespace NS (c or s), except those with PORT as local or remote port; with PORT the
# iperf3 port, the VPN's own sockets. A socket's counter goes with the socket, so a difference over
# a test only covers sockets open at both ends of it.
udp_socket_drops() {
    lab exec "$1" cat /proc/net/udp /proc/net/udp6 | awk -v port="$2" '
        BEGIN { hex = sprintf("%04X", port) }
        $1 ~ /^[0-9]+:$/ {
            split($2, l, ":"); split($3, r, ":")
            if (l[2] != hex && r[2] != hex) drops += $NF
        }
        END { print drops + 0 }'
}
