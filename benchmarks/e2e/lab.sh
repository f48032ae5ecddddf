#!/usr/bin/env bash
# lab.sh - a two-namespace network lab for mlvpn-java's end-to-end tests and benchmarks.
#
# A client namespace and a server namespace joined by N veth pairs, one per uplink, each
# optionally rate-limited. Needs root, iproute2 (ip, tc, ss) and nftables (nft). Shared by the
# tests and the benchmark scripts; not a Maven dependency.
#
# Usage: lab.sh COMMAND [ARGS...]
#   up N RATES            Create the namespaces and N links. Link I (1..N) is a veth pair addressed
#                         10.77.I.1/30 on the client side and 10.77.I.2/30 on the server side.
#                         RATES is a comma list of tc rates (bit, kbit, mbit, gbit), e.g.
#                         50mbit,20mbit; 0 means unlimited. With fewer rates than links the last
#                         one repeats. A rate is applied with tbf on the egress of both veth ends,
#                         so it holds in both directions.
#   down                  Kill every process the lab spawned (by recorded PID: TERM, then KILL),
#                         delete both namespaces (which deletes the veths) and the state directory.
#                         Idempotent: succeeds when nothing is up.
#   cut I                 Silently drop everything arriving on link I, at both ends (nftables in
#                         the receiving namespace, input and forward hooks). Senders see no error,
#                         like a dead upstream. Idempotent.
#   heal I                Undo `cut I`. Idempotent.
#   spawn NS NAME LOG CMD...
#                         Run CMD in namespace NS (c or s) in the background, in its own session,
#                         stdout and stderr to LOG, stdin from /dev/null. Records CMD's own PID
#                         under NAME.
#   stop NAME             TERM the process NAME (and its process group), KILL it after a grace
#                         period (LAB_STOP_GRACE seconds, default 5) and wait until it is gone.
#                         Succeeds when it is already gone.
#   pid NAME              Print the PID of NAME; exit 1 when it is not running.
#   exec NS CMD...        Run CMD in namespace NS in the foreground; exit with CMD's exit code.
#   addr I c|s            Print link I's address on the client (10.77.I.1) or server (10.77.I.2) side.
#   dev I c|s             Print the name of link I's veth on the client or server side.
#   status                Print namespaces, links, rates, cuts and spawned processes.
#
# Environment:
#   LAB_ID     Lab identity (default mlvpn): namespaces ${LAB_ID}-c and ${LAB_ID}-s. Labs with
#              different ids are independent, so parallel test runs pick different ids.
#              Letters, digits, '.', '_' and '-'; at most 32 characters.
#   LAB_STATE  State directory (default /tmp/mlvpn-lab-$LAB_ID): link count, rates, pid records.
#   LAB_STOP_GRACE  Seconds between TERM and KILL in stop and down (default 5).
#
# Veth names are v<h>c<I> and v<h>s<I>, <h> being the first 6 hex digits of sha1(LAB_ID); they are
# created directly inside the namespaces, so they never exist in the caller's namespace.
#
# tbf parameters: burst = max(32 KiB, what the rate sends in 4 ms, i.e. rate/8/250 bytes): one
# timer tick at HZ=250 plus room for a few full-size TCP segments, so TCP reaches close to the
# configured rate (20mbit gives about 19.2 Mbit/s of iperf3 goodput, 50mbit about 47); latency
# 50 ms bounds the queue at rate * 50 ms (a modest, realistic uplink buffer). Oversized GSO packets
# are segmented by tbf itself. No netem: the CI kernel does not have it.
#
# Exit codes: 0 success, 1 a step failed (the message names it), 2 bad arguments.

set -euo pipefail

readonly PROG=lab.sh
readonly MAX_LINKS=64
readonly TBF_LATENCY=50ms
readonly TBF_MIN_BURST_BYTES=32768
readonly NFT_TABLE=mlvpnlab

LAB_ID=${LAB_ID:-mlvpn}
if [[ ! $LAB_ID =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$ ]]; then
    echo "$PROG: bad LAB_ID '$LAB_ID': letters, digits, '.', '_' and '-', at most 32 characters" >&2
    exit 2
fi
readonly LAB_ID
readonly NS_C="${LAB_ID}-c"
readonly NS_S="${LAB_ID}-s"
readonly STATE=${LAB_STATE:-/tmp/mlvpn-lab-$LAB_ID}
readonly PIDS="$STATE/pids"
readonly STOP_GRACE=${LAB_STOP_GRACE:-5}
VETH_TAG=$(printf '%s' "$LAB_ID" | sha1sum | cut -c1-6)
readonly VETH_TAG

usage() { # [exit code]
    local code=${1:-2}
    if ((code == 0)); then
        sed -n '/^# Usage:/,/^# Exit codes:/s/^# \{0,1\}//p' "$0"
    else
        sed -n '/^# Usage:/,/^# Exit codes:/s/^# \{0,1\}//p' "$0" >&2
    fi
    exit "$code"
}

bad_args() {
    echo "$PROG: $*" >&2
    echo "run '$PROG help' for usage" >&2
    exit 2
}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

warn() {
    echo "$PROG: warning: $*" >&2
}

# Runs a command; on failure stops with a message naming it.
run() {
    "$@" || die "failed (exit $?): $*"
}

# Runs a command inside namespace $1; on failure stops with a message naming it.
nsrun() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@" || die "failed (exit $?) in namespace $ns: $*"
}

ns_exists() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF -- "$1"
}

ns_name() {
    case $1 in
        c) echo "$NS_C" ;;
        s) echo "$NS_S" ;;
        *) bad_args "bad namespace '$1': use c (client) or s (server)" ;;
    esac
}

veth_name() { # I c|s
    echo "v${VETH_TAG}$2$1"
}

link_addr() { # I c|s
    case $2 in
        c) echo "10.77.$1.1" ;;
        s) echo "10.77.$1.2" ;;
    esac
}

is_up() {
    [[ -f $STATE/links ]]
}

link_count() {
    is_up || die "lab $LAB_ID is not up (no $STATE/links); run '$PROG up N RATES' first"
    cat "$STATE/links"
}

# Validates a link number against the lab (or against MAX_LINKS when the lab is down).
check_link() {
    local i=$1 max=$MAX_LINKS
    [[ $i =~ ^[1-9][0-9]*$ ]] || bad_args "bad link number '$i': links are numbered from 1"
    if is_up; then
        max=$(cat "$STATE/links")
    fi
    ((i <= max)) || bad_args "link $i does not exist (links 1..$max)"
}

check_side() {
    [[ $1 == c || $1 == s ]] || bad_args "bad side '$1': use c (client) or s (server)"
}

# Prints a tc rate in bits per second; 0 for unlimited.
rate_bits() {
    local rate=$1 n unit
    if [[ $rate == 0 ]]; then
        echo 0
        return
    fi
    [[ $rate =~ ^([1-9][0-9]{0,5})(bit|kbit|mbit|gbit)$ ]] ||
        bad_args "bad rate '$rate': use 0 (unlimited) or a number with bit, kbit, mbit or gbit, e.g. 20mbit"
    n=${BASH_REMATCH[1]}
    unit=${BASH_REMATCH[2]}
    case $unit in
        bit) echo "$n" ;;
        kbit) echo $((n * 1000)) ;;
        mbit) echo $((n * 1000000)) ;;
        gbit) echo $((n * 1000000000)) ;;
    esac
}

# Process records: $PIDS/NAME holds "PID STARTTIME NS" and, on line 2, the command.
# STARTTIME (field 22 of /proc/PID/stat) guards against signalling a recycled PID.
proc_starttime() {
    local stat rest f
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    rest=${stat##*) } # fields from 3 (state) on; comm may hold spaces and parentheses
    read -r -a f <<<"$rest"
    echo "${f[19]}"
}

proc_state() {
    local stat rest
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    rest=${stat##*) }
    echo "${rest%% *}"
}

# True when PID is alive (not a zombie) and still the process started at STARTTIME.
proc_alive() {
    local pid=$1 start=$2 now state
    now=$(proc_starttime "$pid") || return 1
    [[ $now == "$start" ]] || return 1
    state=$(proc_state "$pid") || return 1
    [[ $state != Z && $state != X ]]
}

# TERM the process and its group, KILL after the grace period, wait until gone.
kill_proc() {
    local pid=$1 start=$2 what=$3 deadline
    proc_alive "$pid" "$start" || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true # its own session, so its own group
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_GRACE))
    while proc_alive "$pid" "$start" && ((SECONDS < deadline)); do
        sleep 0.1
    done
    if proc_alive "$pid" "$start"; then
        warn "$what (pid $pid) ignored TERM for ${STOP_GRACE}s; sending KILL"
        kill -KILL -- "-$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 5))
        while proc_alive "$pid" "$start" && ((SECONDS < deadline)); do
            sleep 0.1
        done
        if proc_alive "$pid" "$start"; then
            echo "$PROG: failed: could not kill $what (pid $pid)" >&2
            return 1
        fi
    fi
    return 0
}

stop_record() {
    local name=$1 rec pid start ns
    rec="$PIDS/$name"
    [[ -f $rec ]] || return 0
    read -r pid start ns <"$rec"
    kill_proc "$pid" "$start" "process $name" || return 1
    rm -f "$rec"
}

check_name() {
    [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] ||
        bad_args "bad process name '$1': letters, digits, '.', '_' and '-'"
}

nft_setup() {
    local ns=$1
    nsrun "$ns" nft -f - <<EOF
table inet $NFT_TABLE {
    set cut {
        type ifname
    }
    chain input {
        type filter hook input priority filter - 10; policy accept;
        iifname @cut drop
    }
    chain forward {
        type filter hook forward priority filter - 10; policy accept;
        iifname @cut drop
    }
}
EOF
}

is_cut() { # I -> true when link I is cut (checked on the client side)
    ip netns exec "$NS_C" nft get element inet "$NFT_TABLE" cut "{ \"$(veth_name "$1" c)\" }" >/dev/null 2>&1
}

cmd_up() {
    (($# == 2)) || bad_args "usage: up N RATES (e.g. up 2 50mbit,20mbit)"
    local n=$1 rates_arg=$2 i rate bits burst side dev ns
    if [[ ! $n =~ ^[1-9][0-9]*$ ]] || ((n > MAX_LINKS)); then
        bad_args "bad link count '$n': 1..$MAX_LINKS"
    fi
    [[ -n $rates_arg ]] || bad_args "empty RATES: use e.g. 20mbit,0"
    local -a rates
    IFS=, read -r -a rates <<<"$rates_arg"
    ((${#rates[@]} >= 1)) || bad_args "empty RATES: use e.g. 20mbit,0"
    ((${#rates[@]} <= n)) || bad_args "${#rates[@]} rates for $n links"
    for rate in "${rates[@]}"; do
        rate_bits "$rate" >/dev/null
    done
    while ((${#rates[@]} < n)); do
        rates+=("${rates[-1]}")
    done

    command -v nft >/dev/null || die "nft not found: install nftables"
    command -v tc >/dev/null || die "tc not found: install iproute2"
    if is_up || ns_exists "$NS_C" || ns_exists "$NS_S"; then
        die "lab $LAB_ID is already up (namespaces $NS_C/$NS_S or $STATE exist); run '$PROG down' first"
    fi

    trap 'echo "$PROG: up failed; cleaning up" >&2; cmd_down >/dev/null 2>&1 || true' EXIT
    (umask 077 && mkdir -p "$PIDS") || die "cannot create state directory $STATE"
    run ip netns add "$NS_C"
    run ip netns add "$NS_S"
    for ns in "$NS_C" "$NS_S"; do
        nsrun "$ns" ip link set lo up
        nft_setup "$ns"
    done
    for ((i = 1; i <= n; i++)); do
        run ip link add "$(veth_name "$i" c)" netns "$NS_C" type veth \
            peer name "$(veth_name "$i" s)" netns "$NS_S"
        rate=${rates[i - 1]}
        bits=$(rate_bits "$rate")
        for side in c s; do
            ns=$(ns_name "$side")
            dev=$(veth_name "$i" "$side")
            # No IPv6 on the links: router solicitations and MLD would add stray packets.
            nsrun "$ns" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null ||
                warn "could not disable IPv6 on $dev in $ns"
            nsrun "$ns" ip addr add "$(link_addr "$i" "$side")/30" dev "$dev"
            if ((bits > 0)); then
                burst=$((bits / 8 / 250))
                ((burst >= TBF_MIN_BURST_BYTES)) || burst=$TBF_MIN_BURST_BYTES
                nsrun "$ns" tc qdisc replace dev "$dev" root tbf rate "$rate" burst "$burst" latency "$TBF_LATENCY"
            fi
            nsrun "$ns" ip link set "$dev" up
        done
    done
    # The links file is written last: its presence means "up".
    printf '%s\n' "${rates[@]}" >"$STATE/rates" || die "cannot write $STATE/rates"
    echo "$n" >"$STATE/links" || die "cannot write $STATE/links"
    trap - EXIT
    echo "lab $LAB_ID up: $n link(s), rates ${rates[*]}"
}

cmd_down() {
    (($# == 0)) || bad_args "usage: down"
    local rec name ns pid pids failed=0
    if [[ -d $PIDS ]]; then
        for rec in "$PIDS"/*; do
            [[ -f $rec ]] || continue
            name=${rec##*/}
            stop_record "$name" || failed=1
        done
    fi
    # Anything else still running in the lab's namespaces (e.g. orphans of `exec`).
    for ns in "$NS_C" "$NS_S"; do
        ns_exists "$ns" || continue
        pids=$(ip netns pids "$ns" 2>/dev/null) || true
        for pid in $pids; do
            warn "process $pid in $ns was not spawned by the lab; stopping it"
            kill_proc "$pid" "$(proc_starttime "$pid" || echo gone)" "process $pid" || failed=1
        done
    done
    for ns in "$NS_C" "$NS_S"; do
        if ns_exists "$ns"; then
            ip netns del "$ns" || { echo "$PROG: failed: ip netns del $ns" >&2; failed=1; }
        fi
    done
    rm -rf -- "$STATE" || { echo "$PROG: failed: rm -rf $STATE" >&2; failed=1; }
    ((failed == 0)) || die "down did not complete (see above)"
}

cmd_cut_heal() {
    local verb=$1
    shift
    (($# == 1)) || bad_args "usage: $verb I"
    check_link "$1"
    local i=$1 side ns dev
    is_up || die "lab $LAB_ID is not up"
    for side in c s; do
        ns=$(ns_name "$side")
        dev=$(veth_name "$i" "$side")
        if [[ $verb == cut ]]; then
            nsrun "$ns" nft add element inet "$NFT_TABLE" cut "{ \"$dev\" }"
        elif ip netns exec "$ns" nft get element inet "$NFT_TABLE" cut "{ \"$dev\" }" >/dev/null 2>&1; then
            nsrun "$ns" nft delete element inet "$NFT_TABLE" cut "{ \"$dev\" }"
        fi
    done
}

cmd_spawn() {
    (($# >= 4)) || bad_args "usage: spawn NS NAME LOG CMD..."
    local ns name=$2 log=$3 starting pid start deadline
    ns=$(ns_name "$1")
    check_name "$name"
    shift 3
    is_up || die "lab $LAB_ID is not up"
    ns_exists "$ns" || die "namespace $ns does not exist"
    command -v -- "$1" >/dev/null || die "spawn $name: command not found: $1"
    if [[ -f $PIDS/$name ]]; then
        read -r pid start _ <"$PIDS/$name"
        proc_alive "$pid" "$start" && die "spawn $name: already running (pid $pid); stop it first"
        rm -f "$PIDS/$name"
    fi
    : >"$log" || die "spawn $name: cannot write log $log"
    starting="$PIDS/.$name.starting"
    rm -f "$starting"
    # bash records its own PID and then execs CMD, so the recorded PID is CMD's own, even if
    # setsid had to fork; setsid gives CMD its own session and process group.
    # shellcheck disable=SC2016 # expanded by the inner bash
    ip netns exec "$ns" setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
        "$starting" "$@" >>"$log" 2>&1 </dev/null &
    deadline=$((SECONDS + 5))
    while [[ ! -s $starting ]]; do
        ((SECONDS < deadline)) || die "spawn $name: the process did not start within 5 s (see $log)"
        sleep 0.02
    done
    pid=$(cat "$starting")
    rm -f "$starting"
    start=$(proc_starttime "$pid") || start=gone
    printf '%s %s %s\n%s\n' "$pid" "$start" "${ns##*-}" "$*" >"$PIDS/$name" ||
        die "spawn $name: cannot record pid in $PIDS/$name"
    [[ $start != gone ]] || warn "spawn $name: pid $pid already exited (see $log)"
    echo "$pid"
}

cmd_stop() {
    (($# == 1)) || bad_args "usage: stop NAME"
    check_name "$1"
    stop_record "$1" || die "stop $1 failed"
}

cmd_pid() {
    (($# == 1)) || bad_args "usage: pid NAME"
    check_name "$1"
    local pid start
    [[ -f $PIDS/$1 ]] || { echo "$PROG: no process named $1" >&2; exit 1; }
    read -r pid start _ <"$PIDS/$1"
    proc_alive "$pid" "$start" || { echo "$PROG: process $1 (pid $pid) is not running" >&2; exit 1; }
    echo "$pid"
}

cmd_exec() {
    (($# >= 2)) || bad_args "usage: exec NS CMD..."
    local ns rc
    ns=$(ns_name "$1")
    shift
    ns_exists "$ns" || die "namespace $ns does not exist; run '$PROG up N RATES' first"
    set +e
    ip netns exec "$ns" "$@"
    rc=$?
    set -e
    exit "$rc"
}

cmd_addr() {
    (($# == 2)) || bad_args "usage: addr I c|s"
    check_link "$1"
    check_side "$2"
    link_addr "$1" "$2"
}

cmd_dev() {
    (($# == 2)) || bad_args "usage: dev I c|s"
    check_link "$1"
    check_side "$2"
    veth_name "$1" "$2"
}

cmd_status() {
    (($# == 0)) || bad_args "usage: status"
    local n i rate cut rec name pid start ns cmdline state
    if ! is_up; then
        echo "lab $LAB_ID: down"
        for ns in "$NS_C" "$NS_S"; do
            ns_exists "$ns" && echo "  stray namespace $ns (run '$PROG down')"
        done
        return 0
    fi
    n=$(cat "$STATE/links")
    echo "lab $LAB_ID: up, state $STATE"
    for ns in "$NS_C" "$NS_S"; do
        if ns_exists "$ns"; then state=present; else state=MISSING; fi
        echo "  namespace $ns: $state"
    done
    for ((i = 1; i <= n; i++)); do
        rate=$(sed -n "${i}p" "$STATE/rates")
        [[ $rate == 0 ]] && rate=unlimited
        if is_cut "$i"; then cut=CUT; else cut=ok; fi
        printf '  link %d: %s %s/30 <-> %s %s/30, rate %s, %s\n' "$i" \
            "$(veth_name "$i" c)" "$(link_addr "$i" c)" "$(veth_name "$i" s)" "$(link_addr "$i" s)" "$rate" "$cut"
    done
    for rec in "$PIDS"/*; do
        [[ -f $rec ]] || continue
        name=${rec##*/}
        read -r pid start ns <"$rec"
        cmdline=$(sed -n 2p "$rec")
        if proc_alive "$pid" "$start"; then state=running; else state=exited; fi
        printf '  process %s: pid %s in %s, %s: %s\n' "$name" "$pid" "$ns" "$state" "$cmdline"
    done
}

main() {
    (($# >= 1)) || usage
    local cmd=$1
    shift
    case $cmd in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        cut | heal) cmd_cut_heal "$cmd" "$@" ;;
        spawn) cmd_spawn "$@" ;;
        stop) cmd_stop "$@" ;;
        pid) cmd_pid "$@" ;;
        exec) cmd_exec "$@" ;;
        addr) cmd_addr "$@" ;;
        dev) cmd_dev "$@" ;;
        status) cmd_status "$@" ;;
        help | -h | --help) usage 0 ;;
        *) bad_args "unknown command '$cmd'" ;;
    esac
}

main "$@"
