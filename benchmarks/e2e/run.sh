#!/usr/bin/env bash
# run.sh - end-to-end scenarios for mlvpn-java: the launcher's client and server in the lab's two
# namespaces (lab.sh), measured with ping and iperf3.
#
# Usage: run.sh SCENARIO [ARGS...] [--runs N]
#   SCENARIO   one of the scenarios below
#   --runs N   measured runs (default 3)
#
# Scenarios:
#   smoke      1 unlimited link; ping through the tunnel, then iperf3 TCP client->server over the
#              tunnel for E2E_IPERF_SECONDS (default 10). Keys: ping_ms, goodput_mbit.
#
# Output (stdout): one line per run, then one with the medians over the runs:
#   RESULT smoke ping_ms=0.412 goodput_mbit=812.55
#   RESULT smoke median ping_ms=0.405 goodput_mbit=820.10
# Progress goes to stderr. Exit codes: 0 success, 1 a step failed, 2 bad arguments.
#
# Environment:
#   MLVPN_JAR        launcher jar (default mlvpn-launcher/target/mlvpn-launcher.jar in the repo)
#   JAVA             java command (default java)
#   LAB_ID           lab identity (default e2e<pid>, so parallel runs never collide)
#   LAB_STATE        lab state directory (default /tmp/mlvpn-lab-$LAB_ID); holds the properties
#                    files, the key and the logs, and is deleted at the end
#   E2E_LOG_DIR      when set, the logs are copied there before teardown
#   E2E_IPERF_SECONDS  iperf3 duration per run (default 10)
#   E2E_TUNNEL_TIMEOUT seconds to wait for the tunnel to answer a ping (default 30)
#
# Adding a scenario: define scenario_NAME_setup ARGS... (optional; called once before the runs:
# validates ARGS, brings the lab up with lab_up and starts what the runs need, e.g. with
# start_tunnel) and scenario_NAME RUN (called once per run; prints one line of key=value pairs
# with numeric values on stdout, progress on stderr; fails with die), and list it above. The
# driver prints the RESULT lines, computes the medians and always tears the lab down.
#
# Needs root, java 17, iproute2, nftables, iperf3, iputils-ping.

set -euo pipefail
shopt -s inherit_errexit

export LAB_ID=${LAB_ID:-e2e$$}
export LAB_STATE=${LAB_STATE:-/tmp/mlvpn-lab-$LAB_ID}
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)
readonly REPO_ROOT
readonly JAR=${MLVPN_JAR:-$REPO_ROOT/mlvpn-launcher/target/mlvpn-launcher.jar}
readonly JAVA=${JAVA:-java}
readonly IPERF_SECONDS=${E2E_IPERF_SECONDS:-10}
readonly TUNNEL_TIMEOUT=${E2E_TUNNEL_TIMEOUT:-30}
readonly IPERF_PORT=5201
readonly TUN_CLIENT=10.78.0.1
readonly TUN_SERVER=10.78.0.2
readonly LINK_BASE_PORT=5080 # link I listens on 5080+I on the server

usage() { # [exit code]
    local code=${1:-2}
    sed -n '/^# Usage:/,/^# Progress goes/s/^# \{0,1\}//p' "$0" >&"$((code == 0 ? 1 : 2))"
    exit "$code"
}

bad_args() {
    echo "${0##*/}: $*" >&2
    echo "run '${0##*/} --help' for usage" >&2
    exit 2
}

# ---------------------------------------------------------------------------------------------
# Shared scenario helpers

LAB_IS_UP=0
RESULT_FILE=""

lab_up() { # N RATES
    lab up "$@" >&2 || die "lab up $* failed"
    LAB_IS_UP=1
}

teardown() {
    local rc=$? f
    rm -f -- "$RESULT_FILE"
    if ((LAB_IS_UP)); then
        if ((rc != 0)); then
            for f in "$LAB_STATE"/*.log; do
                [[ -f $f ]] || continue
                echo "---- last lines of ${f##*/} ----" >&2
                tail -n 20 "$f" >&2
            done
        fi
        if [[ -n ${E2E_LOG_DIR:-} ]]; then
            mkdir -p "$E2E_LOG_DIR" && cp "$LAB_STATE"/*.log "$E2E_LOG_DIR"/ 2>/dev/null ||
                echo "${0##*/}: warning: could not copy logs to $E2E_LOG_DIR" >&2
        fi
        lab down || echo "${0##*/}: warning: lab down failed; run LAB_ID=$LAB_ID $LAB_SH down" >&2
    fi
    exit "$rc"
}

check_launcher() {
    [[ -f $JAR ]] || die "launcher jar not found: build it with mvn -q package -DskipTests (looked for $JAR; set MLVPN_JAR to override)"
    command -v "$JAVA" >/dev/null || die "java not found ($JAVA): install a JDK 17 or set JAVA"
}

# write_properties N: the client and server launcher configurations for links 1..N, in the
# state directory, both using the key file generated there.
write_properties() {
    local n=$1 i key="$LAB_STATE/tunnel.key"
    "$JAVA" -jar "$JAR" genkey "$key" >"$LAB_STATE/genkey.log" 2>&1 ||
        die "java -jar $JAR genkey $key failed: $(tail -n 5 "$LAB_STATE/genkey.log")"
    {
        echo "mode=client"
        echo "key.file=$key"
        echo "interface.name=mlvpn-e2e"
        echo "interface.type=tun"
        echo "interface.address=$TUN_CLIENT/30"
        echo "interface.peer=$TUN_SERVER"
        for ((i = 1; i <= n; i++)); do
            echo "link.l$i.bind.host=$(lab addr "$i" c)"
            echo "link.l$i.remote.host=$(lab addr "$i" s)"
            echo "link.l$i.remote.port=$((LINK_BASE_PORT + i))"
        done
    } >"$LAB_STATE/client.properties" || die "cannot write $LAB_STATE/client.properties"
    {
        echo "mode=server"
        echo "key.file=$key"
        echo "interface.name=mlvpn-e2e"
        echo "interface.type=tun"
        echo "interface.address=$TUN_SERVER/30"
        echo "interface.peer=$TUN_CLIENT"
        for ((i = 1; i <= n; i++)); do
            echo "link.l$i.bind.host=$(lab addr "$i" s)"
            echo "link.l$i.bind.port=$((LINK_BASE_PORT + i))"
        done
    } >"$LAB_STATE/server.properties" || die "cannot write $LAB_STATE/server.properties"
}

# start_tunnel N: writes the configurations, starts server and client, waits for the tunnel.
start_tunnel() {
    local n=$1
    write_properties "$n"
    lab spawn s mlvpn-server "$LAB_STATE/server.log" "$JAVA" -jar "$JAR" "$LAB_STATE/server.properties" >/dev/null ||
        die "could not start the server launcher"
    # The server first: a client whose first handshakes go unanswered backs off (1 s, 2 s, ...).
    wait_for_udp s $((LINK_BASE_PORT + n)) "$TUNNEL_TIMEOUT" || die "the server launcher did not open its links"
    lab spawn c mlvpn-client "$LAB_STATE/client.log" "$JAVA" -jar "$JAR" "$LAB_STATE/client.properties" >/dev/null ||
        die "could not start the client launcher"
    log "waiting up to ${TUNNEL_TIMEOUT}s for the tunnel ($TUN_SERVER from the client)"
    wait_for_ping c "$TUN_SERVER" "$TUNNEL_TIMEOUT" mlvpn-server mlvpn-client || die "the tunnel did not come up"
    log "tunnel up"
}

# start_iperf_server ADDR: an iperf3 server in the server namespace, bound to ADDR.
start_iperf_server() {
    local addr=$1
    lab spawn s iperf3-server "$LAB_STATE/iperf3-server.log" iperf3 -s -B "$addr" -p "$IPERF_PORT" >/dev/null ||
        die "could not start iperf3 -s"
    wait_for_listen s "$addr" "$IPERF_PORT" 5 || die "iperf3 server did not start"
}

# iperf_goodput_mbit ADDR SECONDS LABEL [iperf3 options]: TCP goodput client->server in Mbit/s.
iperf_goodput_mbit() {
    local addr=$1 secs=$2 label=$3 json
    shift 3
    json="$LAB_STATE/iperf3-$label.json"
    lab exec c timeout $((secs + 20)) iperf3 -c "$addr" -p "$IPERF_PORT" -t "$secs" -J "$@" >"$json" 2>&1 ||
        die "iperf3 -c $addr failed: $(tail -c 300 "$json")"
    iperf3_mbit "$json" || die "no goodput from iperf3 -c $addr (see $json)"
}

# ---------------------------------------------------------------------------------------------
# Scenarios

scenario_smoke_setup() {
    (($# == 0)) || bad_args "smoke takes no arguments (got: $*)"
    check_launcher
    lab_up 1 0
    start_tunnel 1
    start_iperf_server "$TUN_SERVER"
}

scenario_smoke() {
    local run=$1 ping_ms goodput
    log "smoke run $run: ping"
    ping_ms=$(ping_avg_ms c "$TUN_SERVER" 10) || die "ping through the tunnel failed"
    log "smoke run $run: iperf3 ${IPERF_SECONDS}s client->server"
    goodput=$(iperf_goodput_mbit "$TUN_SERVER" "$IPERF_SECONDS" "smoke-$run")
    echo "ping_ms=$ping_ms goodput_mbit=$goodput"
}

# ---------------------------------------------------------------------------------------------
# Driver

scenarios() {
    declare -F | awk '{ print $3 }' | grep '^scenario_' | grep -v '_setup$' | sed 's/^scenario_//'
}

main() {
    local scenario runs=3 run line pair key value i
    local -a args=() keys=()
    local -A values=()

    (($# >= 1)) || usage
    case $1 in -h | --help | help) usage 0 ;; esac
    scenario=$1
    shift
    if [[ ! $scenario =~ ^[a-z][a-z0-9_]*$ ]] || ! declare -F "scenario_$scenario" >/dev/null; then
        bad_args "unknown scenario '$scenario' (known: $(scenarios | paste -sd ' ' -))"
    fi
    while (($# > 0)); do
        case $1 in
            --runs)
                (($# >= 2)) || bad_args "--runs needs a number"
                runs=$2
                shift 2
                ;;
            --runs=*)
                runs=${1#--runs=}
                shift
                ;;
            -h | --help) usage 0 ;;
            --)
                shift
                args+=("$@")
                break
                ;;
            -*) bad_args "unknown option '$1'" ;;
            *)
                args+=("$1")
                shift
                ;;
        esac
    done
    [[ $runs =~ ^[1-9][0-9]*$ ]] || bad_args "bad --runs '$runs': a positive whole number"
    [[ $IPERF_SECONDS =~ ^[1-9][0-9]*$ ]] || bad_args "bad E2E_IPERF_SECONDS '$IPERF_SECONDS'"
    [[ $TUNNEL_TIMEOUT =~ ^[1-9][0-9]*$ ]] || bad_args "bad E2E_TUNNEL_TIMEOUT '$TUNNEL_TIMEOUT'"
    ((EUID == 0)) || die "needs root (network namespaces)"
    need ip tc nft iperf3 ping ss sha1sum timeout

    RESULT_FILE=$(mktemp /tmp/mlvpn-e2e-result.XXXXXX)
    trap teardown EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if declare -F "scenario_${scenario}_setup" >/dev/null; then
        "scenario_${scenario}_setup" ${args[@]+"${args[@]}"}
    elif ((${#args[@]} > 0)); then
        bad_args "$scenario takes no arguments (got: ${args[*]})"
    fi

    for ((run = 1; run <= runs; run++)); do
        # Called directly (not in $(...)) so that errexit and die stop the whole script.
        "scenario_$scenario" "$run" >"$RESULT_FILE"
        line=$(head -n 1 "$RESULT_FILE")
        [[ -n $line ]] || die "$scenario run $run printed no result"
        for pair in $line; do
            [[ $pair =~ ^([a-z][a-z0-9_]*)=(-?[0-9]+(\.[0-9]+)?)$ ]] ||
                die "$scenario run $run printed a bad result '$pair' (want key=number)"
            key=${BASH_REMATCH[1]}
            value=${BASH_REMATCH[2]}
            [[ -n ${values[$key]+x} ]] || keys+=("$key")
            values[$key]+="$value "
        done
        echo "RESULT $scenario $line"
    done

    line=""
    for key in "${keys[@]}"; do
        # shellcheck disable=SC2086 # the values are space-separated numbers
        value=$(median ${values[$key]}) || die "median of $key failed"
        line+=" $key=$value"
    done
    echo "RESULT $scenario median${line}"
}

main "$@"
