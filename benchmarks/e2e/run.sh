#!/usr/bin/env bash
# run.sh - end-to-end scenarios for mlvpn-java: the launcher's client and server in the lab's two
# namespaces (lab.sh), measured with ping and iperf3.
#
# Usage: run.sh SCENARIO [ARGS...] [--runs N]
#   SCENARIO   one of the scenarios below
#   --runs N   measured runs (default: $RUNS, else 1 for throughput and 3 for the others)
#
# Scenarios:
#   smoke      1 unlimited link; ping through the tunnel, then iperf3 TCP client->server over the
#              tunnel for E2E_IPERF_SECONDS (default 10). Keys: ping_ms, goodput_mbit.
#   aggregate RATES
#              RATES: comma list of link rates in Mbit/s, e.g. 50,20 (tbf). Per run: iperf3 TCP over
#              every link alone, without the tunnel (10.77.I.1 -> 10.77.I.2), then one single-stream
#              iperf3 TCP run through the tunnel over all links, each for E2E_IPERF_SECONDS
#              (default 20), after E2E_AGGREGATE_WARMUP_SECONDS (default 3) of unmeasured TCP
#              through the fresh tunnel. Keys: raw_sum_mbit, goodput_mbit, efficiency
#              (goodput/raw_sum), best_link_mbit, over_best (goodput/best link), raw_lI_mbit,
#              retransmits, warmup_s.
#   failover   2 links of 50 Mbit/s. Per run: iperf3 TCP over link 1 alone (E2E_IPERF_SECONDS,
#              default 10), then iperf3 TCP through the tunnel for E2E_FAILOVER_SECONDS (default
#              30) with 100 ms receiver-side intervals; link 2 is cut at 10 s and healed 10 s
#              later. Keys: below_one_link_s, zero_s, recover_s, resets, and more (README.md).
#   throughput 1 unlimited link; mlvpn-java against OpenVPN 2.6 (UDP, AES-256-GCM, peer
#              fingerprints, no DCO) on the same lab. Once: iperf3 TCP over the plain link. Per
#              run and VPN (fresh processes): iperf3 TCP single stream for E2E_IPERF_SECONDS
#              (default 20) with the CPU time of both ends of the VPN, then iperf3 UDP with
#              64-byte payloads for 10 s. Two lines per run:
#                throughput: mlvpn_mbit, openvpn_mbit, ratio, cpu_mlvpn_pct, cpu_openvpn_pct
#                udp64:      mlvpn_pps, openvpn_pps, ratio (datagrams received by the iperf3 server)
#              plus comment lines (#) with the plain link, per-end CPU and RcvbufErrors.
#
# Output (stdout): one line per run, then one with the medians over the runs:
#   RESULT smoke ping_ms=0.412 goodput_mbit=812.55
#   RESULT smoke median ping_ms=0.405 goodput_mbit=820.10
# A scenario printing several lines per run (throughput) gets a median line per line name:
#   RESULT throughput median mlvpn_mbit=... and RESULT udp64 median mlvpn_pps=...
# Comment lines (starting with #) from a scenario are passed through to stdout.
# A scenario with arguments tags its lines, e.g.
#   RESULT aggregate links=50,20 raw_sum_mbit=66.41 goodput_mbit=63.02 efficiency=0.949 ...
#   RESULT aggregate median links=50,20 raw_sum_mbit=66.400 goodput_mbit=63.100 ...
# Progress goes to stderr. Exit codes: 0 success, 1 a step failed, 2 bad arguments.
#
# Environment:
#   MLVPN_JAR        launcher jar (default mlvpn-launcher/target/mlvpn-launcher.jar in the repo)
#   JAVA             java command (default java)
#   LAB_ID           lab identity (default e2e<pid>, so parallel runs never collide)
#   LAB_STATE        lab state directory (default /tmp/mlvpn-lab-$LAB_ID); holds the properties
#                    files, the key and the logs, and is deleted at the end
#   E2E_LOG_DIR      when set, the logs are copied there before teardown
#   E2E_IPERF_SECONDS  iperf3 duration per measurement (default 20 for aggregate, else 10)
#   E2E_AGGREGATE_WARMUP_SECONDS  aggregate: seconds of unmeasured TCP through the tunnel before
#                    the measured run, so that the fresh JVMs have compiled their packet path
#                    (default 3; 0 measures a cold start)
#   E2E_FAILOVER_SECONDS  duration of failover's transfer through the tunnel (default 30, >= 25)
#   E2E_TUNNEL_TIMEOUT seconds to wait for the tunnel to answer a ping (default 30)
#   RUNS             measured runs when --runs is not given
#   MLVPN_TRANSPORT  when set, link.NAME.transport of every link on both ends (a transport
#                    provider name: linux-udp, the default on Linux, or datagram-channel); unset: the
#                    launcher picks its default
#   PROFILE          1: throughput runs both mlvpn launchers under JFR (settings=profile) and
#                    prints the 15 methods most often on top of the stack per end (needs jfr)
#
# Adding a scenario: define scenario_NAME_setup ARGS... (optional; called once before the runs:
# validates ARGS, brings the lab up with lab_up and starts what the runs need, e.g. with
# start_tunnel) and scenario_NAME RUN (called once per run; prints one line of key=value pairs
# with numeric values on stdout, progress on stderr; fails with die), and list it above. The
# driver prints the RESULT lines, computes the medians and always tears the lab down.
#
# Needs root, java 17, iproute2, nftables, iperf3, iputils-ping; throughput also openvpn, openssl.

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
IPERF_SECONDS=${E2E_IPERF_SECONDS:-} # default per scenario, set in main
readonly FAILOVER_SECONDS=${E2E_FAILOVER_SECONDS:-30}
readonly FAILOVER_CUT_AT_S=10 # link 2 is cut this long after the transfer starts
readonly FAILOVER_CUT_FOR_S=10
readonly TUNNEL_TIMEOUT=${E2E_TUNNEL_TIMEOUT:-30}
readonly IPERF_PORT=5201
readonly TUN_CLIENT=10.78.0.1
readonly TUN_SERVER=10.78.0.2
readonly LINK_BASE_PORT=5080 # link I listens on 5080+I on the server
readonly MLVPN_TRANSPORT=${MLVPN_TRANSPORT:-}
readonly PROFILE=${PROFILE:-0}
PROFILE_JFR=0 # 1: start_tunnel runs the launchers under JFR (throughput with PROFILE=1)

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
RESULT_TAG="" # set by a scenario's setup, e.g. links=50,20; printed after the scenario name

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
# state directory, both using the key file generated there (once; genkey never overwrites).
write_properties() {
    local n=$1 i key="$LAB_STATE/tunnel.key"
    if [[ ! -f $key ]]; then
        "$JAVA" -jar "$JAR" genkey "$key" >"$LAB_STATE/genkey.log" 2>&1 ||
            die "java -jar $JAR genkey $key failed: $(tail -n 5 "$LAB_STATE/genkey.log")"
    fi
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
            [[ -z $MLVPN_TRANSPORT ]] || echo "link.l$i.transport=$MLVPN_TRANSPORT"
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
            [[ -z $MLVPN_TRANSPORT ]] || echo "link.l$i.transport=$MLVPN_TRANSPORT"
        done
    } >"$LAB_STATE/server.properties" || die "cannot write $LAB_STATE/server.properties"
}

# jvm_opts SIDE TAG: prints the launcher's JVM options, one per line: none, or with PROFILE_JFR=1 a
# JFR recording dumped at exit into $LAB_STATE/SIDE-TAG.jfr.
jvm_opts() {
    ((PROFILE_JFR)) || return 0
    echo "-XX:StartFlightRecording=filename=$LAB_STATE/$1$2.jfr,settings=profile,dumponexit=true"
}

# start_tunnel N [TAG]: writes the configurations, starts server and client, waits for the
# tunnel. The launchers log to server.log and client.log, or server-TAG.log and client-TAG.log.
start_tunnel() {
    local n=$1 tag=${2:+-$2}
    local -a opts
    write_properties "$n"
    mapfile -t opts < <(jvm_opts server "$tag")
    lab spawn s mlvpn-server "$LAB_STATE/server$tag.log" "$JAVA" ${opts[@]+"${opts[@]}"} -jar "$JAR" "$LAB_STATE/server.properties" >/dev/null ||
        die "could not start the server launcher"
    # The server first: a client whose first handshakes go unanswered backs off (1 s, 2 s, ...).
    wait_for_udp s $((LINK_BASE_PORT + n)) "$TUNNEL_TIMEOUT" || die "the server launcher did not open its links"
    mapfile -t opts < <(jvm_opts client "$tag")
    lab spawn c mlvpn-client "$LAB_STATE/client$tag.log" "$JAVA" ${opts[@]+"${opts[@]}"} -jar "$JAR" "$LAB_STATE/client.properties" >/dev/null ||
        die "could not start the client launcher"
    log "waiting up to ${TUNNEL_TIMEOUT}s for the tunnel ($TUN_SERVER from the client)"
    wait_for_ping c "$TUN_SERVER" "$TUNNEL_TIMEOUT" mlvpn-server mlvpn-client || die "the tunnel did not come up"
    log "tunnel up"
}

# stop_tunnel: stops the client and the server launcher (TERM, then KILL after the lab's grace;
# 60 s under JFR, which writes its recording at exit).
stop_tunnel() {
    local grace=${LAB_STOP_GRACE:-5}
    ((PROFILE_JFR == 0)) || grace=60
    LAB_STOP_GRACE=$grace lab stop mlvpn-client >&2 || die "could not stop the client launcher"
    LAB_STOP_GRACE=$grace lab stop mlvpn-server >&2 || die "could not stop the server launcher"
}

# start_iperf_server ADDR [NAME]: an iperf3 server in the server namespace, bound to ADDR, run as
# lab process NAME (default iperf3-server).
start_iperf_server() {
    local addr=$1 name=${2:-iperf3-server}
    lab spawn s "$name" "$LAB_STATE/$name.log" iperf3 -s -B "$addr" -p "$IPERF_PORT" >/dev/null ||
        die "could not start iperf3 -s -B $addr"
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

# aggregate RATES: RATES in Mbit/s, e.g. 50,20.
AGG_LINKS=0
readonly AGG_WARMUP_SECONDS=${E2E_AGGREGATE_WARMUP_SECONDS:-3}

scenario_aggregate_setup() {
    (($# == 1)) || bad_args "aggregate takes one argument, the link rates in Mbit/s, e.g. 50,20 (got: $*)"
    [[ $AGG_WARMUP_SECONDS =~ ^[0-9]{1,3}$ ]] ||
        bad_args "bad E2E_AGGREGATE_WARMUP_SECONDS '$AGG_WARMUP_SECONDS': whole seconds, 0 to 999"
    local rates=$1 rate tc_rates="" i
    [[ $rates =~ ^[1-9][0-9]{0,4}(,[1-9][0-9]{0,4})*$ ]] ||
        bad_args "bad link rates '$rates': a comma list of whole Mbit/s, e.g. 50,20"
    local -a list
    IFS=, read -r -a list <<<"$rates"
    ((${#list[@]} <= 16)) || bad_args "at most 16 links (got ${#list[@]})"
    for rate in "${list[@]}"; do
        tc_rates+="${tc_rates:+,}${rate}mbit"
    done
    AGG_LINKS=${#list[@]}
    RESULT_TAG="links=$rates"
    check_launcher
    lab_up "$AGG_LINKS" "$tc_rates"
    for ((i = 1; i <= AGG_LINKS; i++)); do
        start_iperf_server "$(lab addr "$i" s)" "iperf3-raw$i"
    done
}

# Each run starts its own launchers after the links were measured alone: a plain TCP stream
# filling a link would otherwise also disturb the tunnel's view of that link (its keepalives
# queue and drop in tbf), and a link state such as `lossy` would carry over from one run into the
# next. The iperf3 server on the tunnel address lives as long as its tunnel device.
scenario_aggregate() {
    local run=$1 i raw goodput retransmits raw_keys="" raw_sum=0 best=0
    for ((i = 1; i <= AGG_LINKS; i++)); do
        log "aggregate run $run: iperf3 ${IPERF_SECONDS}s over link $i alone (no tunnel)"
        raw=$(iperf_goodput_mbit "$(lab addr "$i" s)" "$IPERF_SECONDS" "aggregate-raw$i-$run" -B "$(lab addr "$i" c)")
        raw_keys+=" raw_l${i}_mbit=$raw"
        raw_sum=$(awk -v a="$raw_sum" -v b="$raw" 'BEGIN { printf "%.2f\n", a + b }')
        best=$(awk -v a="$best" -v b="$raw" 'BEGIN { printf "%.2f\n", (b > a ? b : a) }')
    done
    start_tunnel "$AGG_LINKS" "run$run"
    start_iperf_server "$TUN_SERVER" "iperf3-server-run$run"
    if ((AGG_WARMUP_SECONDS > 0)); then
        # Both launchers are fresh: their JVMs have not compiled the packet path and the tunnel
        # has not measured its links yet (cold, 50,50 carried 33 Mbit/s in its first 0.5 s and
        # 105 after a warm-up). An operator's tunnel runs for days; this measures that.
        log "aggregate run $run: warm-up, iperf3 ${AGG_WARMUP_SECONDS}s through the tunnel (not measured)"
        iperf_goodput_mbit "$TUN_SERVER" "$AGG_WARMUP_SECONDS" "aggregate-warmup-$run" >/dev/null
    fi
    log "aggregate run $run: iperf3 ${IPERF_SECONDS}s through the tunnel over $AGG_LINKS links"
    goodput=$(iperf_goodput_mbit "$TUN_SERVER" "$IPERF_SECONDS" "aggregate-tunnel-$run")
    lab stop "iperf3-server-run$run" >&2 || die "could not stop iperf3-server-run$run"
    stop_tunnel
    retransmits=$(iperf3_sent_field "$LAB_STATE/iperf3-aggregate-tunnel-$run.json" retransmits) ||
        die "no retransmits in $LAB_STATE/iperf3-aggregate-tunnel-$run.json"
    awk -v sum="$raw_sum" -v best="$best" -v g="$goodput" -v raw="$raw_keys" -v retr="$retransmits" \
        -v warm="$AGG_WARMUP_SECONDS" 'BEGIN {
        printf "raw_sum_mbit=%.2f goodput_mbit=%.2f efficiency=%.3f best_link_mbit=%.2f over_best=%.3f%s retransmits=%d warmup_s=%d\n",
            sum, g, g / sum, best, g / best, raw, retr, warm
    }'
}

# failover: 2 links of 50 Mbit/s, link 2 cut for FAILOVER_CUT_FOR_S during a transfer.
scenario_failover_setup() {
    (($# == 0)) || bad_args "failover takes no arguments (got: $*)"
    if [[ ! $FAILOVER_SECONDS =~ ^[0-9]{1,4}$ ]] || ((FAILOVER_SECONDS < FAILOVER_CUT_AT_S + FAILOVER_CUT_FOR_S + 5)); then
        bad_args "bad E2E_FAILOVER_SECONDS '$FAILOVER_SECONDS': whole seconds, at least $((FAILOVER_CUT_AT_S + FAILOVER_CUT_FOR_S + 5))"
    fi
    check_launcher
    lab_up 2 50mbit
    start_iperf_server "$(lab addr 1 s)" iperf3-raw1
}

# wait_gone NAME TIMEOUT_S: waits until lab process NAME has exited; fails after TIMEOUT_S.
wait_gone() {
    local name=$1 deadline=$((SECONDS + $2))
    while lab pid "$name" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

scenario_failover() {
    local run=$1 one srv cli srv_json cli_json timeline pid start cut_at heal_at resets=0 err secs
    local retransmits metrics
    log "failover run $run: iperf3 ${IPERF_SECONDS}s over link 1 alone (no tunnel)"
    one=$(iperf_goodput_mbit "$(lab addr 1 s)" "$IPERF_SECONDS" "failover-raw1-$run" -B "$(lab addr 1 c)")
    # Own launchers per run, as in scenario_aggregate (no state carried over from the last heal).
    start_tunnel 2 "run$run"

    # A one-off server reports the receiver's 100 ms intervals (the client's own intervals count
    # bytes written into its send buffer, which hide a stall for as long as the buffer lasts).
    srv="iperf3-failover-server-$run"
    cli="iperf3-failover-client-$run"
    srv_json="$LAB_STATE/$srv.json"
    cli_json="$LAB_STATE/$cli.json"
    lab spawn s "$srv" "$srv_json" iperf3 -s -1 -i 0.1 -J -B "$TUN_SERVER" -p "$IPERF_PORT" >/dev/null ||
        die "could not start iperf3 -s -1 on $TUN_SERVER"
    wait_for_listen s "$TUN_SERVER" "$IPERF_PORT" 5 || die "iperf3 one-off server did not start"
    log "failover run $run: iperf3 ${FAILOVER_SECONDS}s through the tunnel; link 2 cut at ${FAILOVER_CUT_AT_S}s for ${FAILOVER_CUT_FOR_S}s"
    lab spawn c "$cli" "$cli_json" iperf3 -c "$TUN_SERVER" -p "$IPERF_PORT" -t "$FAILOVER_SECONDS" -i 0.1 -J >/dev/null ||
        die "could not start iperf3 -c $TUN_SERVER"
    pid=$(lab pid "$cli") || die "iperf3 -c $TUN_SERVER exited at once: $(tail -c 300 "$cli_json")"
    # Cut and heal are timed from the client process's start (the test itself starts a few ms
    # later, after the control connection), on the clock of /proc/uptime.
    start=$(proc_start_s "$pid") || die "cannot read the start time of iperf3 (pid $pid)"
    sleep_until_uptime "$(awk -v s="$start" -v d="$FAILOVER_CUT_AT_S" 'BEGIN { printf "%.2f\n", s + d }')"
    lab cut 2 || die "lab cut 2 failed"
    cut_at=$(awk -v s="$start" -v now="$(uptime_s)" 'BEGIN { printf "%.2f\n", now - s }')
    log "failover run $run: link 2 cut at ${cut_at}s"
    sleep_until_uptime "$(awk -v s="$start" -v d="$((FAILOVER_CUT_AT_S + FAILOVER_CUT_FOR_S))" 'BEGIN { printf "%.2f\n", s + d }')"
    lab heal 2 || die "lab heal 2 failed"
    heal_at=$(awk -v s="$start" -v now="$(uptime_s)" 'BEGIN { printf "%.2f\n", now - s }')
    log "failover run $run: link 2 healed at ${heal_at}s"

    if ! wait_gone "$cli" $((FAILOVER_SECONDS - FAILOVER_CUT_AT_S - FAILOVER_CUT_FOR_S + 30)); then
        log "failover run $run: iperf3 client still running $((FAILOVER_SECONDS + 30))s after its start; stopping it"
        lab stop "$cli" >&2 || die "could not stop $cli"
        resets=1
    fi
    wait_gone "$srv" 10 || { lab stop "$srv" >&2 || die "could not stop $srv"; }
    if err=$(iperf3_error "$cli_json"); then
        log "failover run $run: iperf3 client failed: $err"
        resets=1
    elif ! secs=$(iperf3_sent_field "$cli_json" seconds); then
        log "failover run $run: iperf3 client output has no end.sum_sent: $(tail -c 300 "$cli_json")"
        resets=1
    elif awk -v s="$secs" -v d="$FAILOVER_SECONDS" 'BEGIN { exit !(s < d - 0.5) }'; then
        log "failover run $run: iperf3 client ended early, after ${secs}s"
        resets=1
    fi
    retransmits=$(iperf3_sent_field "$cli_json" retransmits) || retransmits=0
    stop_tunnel

    timeline="$LAB_STATE/failover-run$run.log"
    {
        echo "# failover run $run: one_link_mbit=$one cut_at_s=$cut_at heal_at_s=$heal_at resets=$resets"
        echo "# receiver-side intervals: start_s end_s mbit"
        iperf3_intervals "$srv_json"
    } >"$timeline"
    grep -q '^[0-9]' "$timeline" || die "no intervals from the iperf3 server (see $srv_json: $(tail -c 300 "$srv_json"))"
    metrics=$(failover_metrics "$timeline" "$cut_at" "$heal_at" "$one") || die "failover metrics failed (see $timeline)"
    # The issue's keys first, then the details.
    awk -v m="$metrics" -v one="$one" -v cut="$cut_at" -v heal="$heal_at" -v resets="$resets" -v retr="$retransmits" 'BEGIN {
        n = split(m, kv, " ")
        for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] }
        printf "below_one_link_s=%s zero_s=%s recover_s=%s resets=%d one_link_mbit=%.2f two_link_mbit=%s cut_mbit=%s after_mbit=%s recovered=%s retransmits=%d cut_at_s=%s heal_at_s=%s\n",
            v["below_one_link_s"], v["zero_s"], v["recover_s"], resets, one, v["two_link_mbit"], v["cut_mbit"], v["after_mbit"], v["recovered"], retr, cut, heal
    }'
}

# throughput: mlvpn-java against OpenVPN on one unlimited link, both measured in the same run.
readonly OVPN_CLIENT=10.79.0.1
readonly OVPN_SERVER=10.79.0.2
readonly OVPN_PORT=1194
readonly UDP64_PAYLOAD=64
readonly UDP64_SECONDS=10
readonly UDP64_PROBE_SECONDS=3
# 5 tests reach 24 x the probe: a probe starved to a sixth of the VPN's rate (seen: 14k/s for
# mlvpn, which then took all of 21k, 43k and 86k/s) still ends at the VPN's limit.
readonly UDP64_MAX_TRIES=5
readonly WARMUP_SECONDS=3
readonly JFR_TOP_METHODS=15
OVPN_DIR=""

scenario_throughput_setup() {
    (($# == 0)) || bad_args "throughput takes no arguments (got: $*)"
    [[ -z $MLVPN_TRANSPORT || $MLVPN_TRANSPORT =~ ^[A-Za-z0-9._-]{1,64}$ ]] ||
        bad_args "bad MLVPN_TRANSPORT '$MLVPN_TRANSPORT': a transport provider name, e.g. linux-udp"
    [[ $PROFILE == 0 || $PROFILE == 1 ]] || bad_args "bad PROFILE '$PROFILE': 0 or 1"
    check_launcher
    need openvpn openssl
    if ((PROFILE)); then
        need jfr
        PROFILE_JFR=1
    fi
    lab_up 1 0
    make_openvpn_certs
    echo "# mlvpn transport: ${MLVPN_TRANSPORT:-launcher default}; profile: $([[ $PROFILE == 1 ]] && echo JFR || echo off)"
    start_iperf_server "$(lab addr 1 s)" iperf3-plain
    log "throughput: iperf3 ${IPERF_SECONDS}s over the plain link (no VPN)"
    echo "# plain link: $(iperf_goodput_mbit "$(lab addr 1 s)" "$IPERF_SECONDS" plain -B "$(lab addr 1 c)") Mbit/s"
    lab stop iperf3-plain >&2 || die "could not stop iperf3-plain"
}

# make_openvpn_certs: a self-signed EC (P-256) certificate and key per end in $LAB_STATE/openvpn
# (deleted with the lab); each end trusts the other by its SHA-256 fingerprint (no CA).
make_openvpn_certs() {
    local side
    OVPN_DIR="$LAB_STATE/openvpn"
    (umask 077 && mkdir -p "$OVPN_DIR") || die "cannot create $OVPN_DIR"
    for side in server client; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
            -subj "/CN=mlvpn-e2e-$side" -keyout "$OVPN_DIR/$side.key" -out "$OVPN_DIR/$side.crt" \
            >"$LAB_STATE/openssl.log" 2>&1 || die "openssl req failed: $(tail -n 5 "$LAB_STATE/openssl.log")"
    done
}

cert_fingerprint() { # FILE: the SHA-256 fingerprint as AA:BB:...
    openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}

# start_openvpn TAG: OpenVPN as an operator would run it in p2p mode: UDP, TLS with the peers'
# certificate fingerprints, AES-256-GCM, the kernel's default socket buffers, no DCO (the data
# channel runs in the openvpn process, as mlvpn-java's does), a tun device per namespace.
start_openvpn() {
    local tag=$1
    local -a common=(--dev ovpn-e2e --dev-type tun --proto udp --data-ciphers AES-256-GCM --disable-dco --verb 3)
    lab spawn s openvpn-server "$LAB_STATE/openvpn-server-$tag.log" openvpn "${common[@]}" \
        --tls-server --dh none --local "$(lab addr 1 s)" --lport "$OVPN_PORT" \
        --ifconfig "$OVPN_SERVER" "$OVPN_CLIENT" --cert "$OVPN_DIR/server.crt" --key "$OVPN_DIR/server.key" \
        --peer-fingerprint "$(cert_fingerprint "$OVPN_DIR/client.crt")" >/dev/null || die "could not start the OpenVPN server"
    wait_for_udp s "$OVPN_PORT" "$TUNNEL_TIMEOUT" || die "the OpenVPN server did not open its socket"
    lab spawn c openvpn-client "$LAB_STATE/openvpn-client-$tag.log" openvpn "${common[@]}" \
        --tls-client --nobind --remote "$(lab addr 1 s)" "$OVPN_PORT" \
        --ifconfig "$OVPN_CLIENT" "$OVPN_SERVER" --cert "$OVPN_DIR/client.crt" --key "$OVPN_DIR/client.key" \
        --peer-fingerprint "$(cert_fingerprint "$OVPN_DIR/server.crt")" >/dev/null || die "could not start the OpenVPN client"
    log "waiting up to ${TUNNEL_TIMEOUT}s for OpenVPN ($OVPN_SERVER from the client)"
    wait_for_ping c "$OVPN_SERVER" "$TUNNEL_TIMEOUT" openvpn-server openvpn-client || die "the OpenVPN tunnel did not come up"
}

stop_openvpn() {
    lab stop openvpn-client >&2 || die "could not stop the OpenVPN client"
    lab stop openvpn-server >&2 || die "could not stop the OpenVPN server"
}

# iperf_oneoff LABEL ADDR SECONDS [iperf3 client options]: one iperf3 test against a one-off server
# (-s -1) on ADDR; leaves $LAB_STATE/iperf3-LABEL-server.json and -client.json.
iperf_oneoff() {
    local label=$1 addr=$2 secs=$3 srv="iperf3-$1-server" json
    shift 3
    json="$LAB_STATE/iperf3-$label-client.json"
    lab spawn s "$srv" "$LAB_STATE/$srv.json" iperf3 -s -1 -J -B "$addr" -p "$IPERF_PORT" >/dev/null ||
        die "could not start iperf3 -s -1 on $addr"
    wait_for_listen s "$addr" "$IPERF_PORT" 5 || die "iperf3 one-off server did not start"
    lab exec c timeout $((secs + 20)) iperf3 -c "$addr" -p "$IPERF_PORT" -t "$secs" -J "$@" >"$json" 2>&1 ||
        die "iperf3 -c $addr $* failed: $(tail -c 300 "$json")"
    wait_gone "$srv" 10 || { lab stop "$srv" >&2 || die "could not stop $srv"; }
}

# CPU and drop accounting around one test: cpu_begin PROC_C PROC_S, then cpu_end prints
# "CLIENT_PCT SERVER_PCT RCVBUF_C RCVBUF_S VPNDROPS_C VPNDROPS_S": CPU time of each VPN process
# (utime + stime, all threads) over the wall time between the calls, in percent of one core; the
# Udp RcvbufErrors counted meanwhile in each namespace (every UDP socket there, the iperf3 UDP
# server's included); and the drops on the VPN's own UDP sockets (udp_socket_drops).
CPU_PIDS=()
CPU_TICKS=()
CPU_UPTIME=0
CPU_RCVBUF=()
CPU_DROPS=()

cpu_begin() {
    local name pid
    CPU_PIDS=()
    CPU_TICKS=()
    for name in "$@"; do
        pid=$(lab pid "$name") || die "$name is not running"
        CPU_PIDS+=("$pid")
        CPU_TICKS+=("$(proc_cpu_ticks "$pid")") || die "cannot read the CPU time of $name (pid $pid)"
    done
    CPU_RCVBUF=("$(udp_rcvbuf_errors c)" "$(udp_rcvbuf_errors s)") || die "cannot read /proc/net/snmp"
    CPU_DROPS=("$(udp_socket_drops c "$IPERF_PORT")" "$(udp_socket_drops s "$IPERF_PORT")") ||
        die "cannot read /proc/net/udp"
    CPU_UPTIME=$(uptime_s)
}

cpu_end() {
    local now i ticks hz out=""
    now=$(uptime_s)
    hz=$(getconf CLK_TCK)
    for i in "${!CPU_PIDS[@]}"; do
        ticks=$(proc_cpu_ticks "${CPU_PIDS[i]}") || die "process ${CPU_PIDS[i]} exited during the test"
        out+=$(awk -v d=$((ticks - CPU_TICKS[i])) -v hz="$hz" -v t0="$CPU_UPTIME" -v t1="$now" \
            'BEGIN { printf "%.1f ", 100 * d / hz / (t1 - t0) }')
    done
    echo "$out$(($(udp_rcvbuf_errors c) - CPU_RCVBUF[0])) $(($(udp_rcvbuf_errors s) - CPU_RCVBUF[1]))" \
        "$(($(udp_socket_drops c "$IPERF_PORT") - CPU_DROPS[0])) $(($(udp_socket_drops s "$IPERF_PORT") - CPU_DROPS[1]))"
}

# measure_vpn VPN RUN ADDR PROC_C PROC_S: the tests through a running VPN whose far end is ADDR.
# Prints (stdout) comment lines, then "MBIT CPU_PCT PPS": TCP goodput, CPU of both ends summed,
# UDP datagrams received per second.
measure_vpn() {
    local vpn=$1 run=$2 addr=$3 pc=$4 ps=$5 mbit retr probe offered pps out try got offers="" received=""
    local -a cpu cpu_udp
    log "throughput run $run, $vpn: warm-up, iperf3 TCP ${WARMUP_SECONDS}s"
    iperf_oneoff "$vpn-warmup-$run" "$addr" "$WARMUP_SECONDS"
    log "throughput run $run, $vpn: iperf3 TCP ${IPERF_SECONDS}s"
    cpu_begin "$pc" "$ps"
    iperf_oneoff "$vpn-tcp-$run" "$addr" "$IPERF_SECONDS"
    out=$(cpu_end)
    read -r -a cpu <<<"$out"
    mbit=$(iperf3_mbit "$LAB_STATE/iperf3-$vpn-tcp-$run-client.json") || die "no goodput through $vpn"
    retr=$(iperf3_sent_field "$LAB_STATE/iperf3-$vpn-tcp-$run-client.json" retransmits) || retr=-1

    # UDP: -b 0 makes iperf3 write as fast as it can, and on 2 cores its sending (about 600k
    # datagrams/s into the tun queue, most dropped there) starves the VPN: OpenVPN delivered 65k/s
    # at -b 0 but 81k/s offered 100k/s. So a short -b 0 probe gives a lower bound R0 of the
    # VPN's rate, and the measurement offers 1.5 x R0: above the VPN's maximum (it is saturated,
    # the receiver sees its real limit) without the sender taking the CPU the VPN needs. A VPN
    # that collapses under -b 0 can be faster than 1.5 x R0 (seen: mlvpn received 96 % of 1.5 x
    # R0), so while the receiver got at least 95 % of the offered rate, the offer doubles and the
    # test is repeated (at most UDP64_MAX_TRIES tests); the highest received rate counts.
    log "throughput run $run, $vpn: iperf3 UDP ${UDP64_PAYLOAD}-byte probe ${UDP64_PROBE_SECONDS}s at -b 0"
    iperf_oneoff "$vpn-udp64probe-$run" "$addr" "$UDP64_PROBE_SECONDS" -u -l "$UDP64_PAYLOAD" -b 0
    probe=$(iperf3_udp_received_pps "$LAB_STATE/iperf3-$vpn-udp64probe-$run-server.json" "$UDP64_PAYLOAD") ||
        die "no UDP result through $vpn (probe)"
    offered=$(awk -v p="$probe" 'BEGIN { printf "%.0f\n", (p < 1000 ? 1000 : p) * 1.5 }')
    pps=0
    for ((try = 1; try <= UDP64_MAX_TRIES; try++)); do
        log "throughput run $run, $vpn: iperf3 UDP ${UDP64_PAYLOAD}-byte ${UDP64_SECONDS}s offering $offered/s (probe: $probe/s)"
        cpu_begin "$pc" "$ps"
        iperf_oneoff "$vpn-udp64-$run-$try" "$addr" "$UDP64_SECONDS" -u -l "$UDP64_PAYLOAD" -b $((offered * UDP64_PAYLOAD * 8))
        out=$(cpu_end)
        got=$(iperf3_udp_received_pps "$LAB_STATE/iperf3-$vpn-udp64-$run-$try-server.json" "$UDP64_PAYLOAD") ||
            die "no UDP result through $vpn"
        offers+="${offers:+,}$offered"
        received+="${received:+,}$got"
        if ((got > pps)); then
            pps=$got
            read -r -a cpu_udp <<<"$out"
        fi
        ((got * 100 >= offered * 95)) || break
        offered=$((offered * 2))
    done

    echo "# run $run $vpn: tcp ${mbit} Mbit/s retransmits=$retr cpu_client_pct=${cpu[0]} cpu_server_pct=${cpu[1]};" \
        "udp64 probe=${probe}/s offered=${offers}/s received=${received}/s cpu_client_pct=${cpu_udp[0]} cpu_server_pct=${cpu_udp[1]}"
    echo "# rcvbuf_errors client=${cpu[2]} server=${cpu[3]} run=$run vpn=$vpn test=tcp" \
        "(drops on the VPN's sockets: client=${cpu[4]} server=${cpu[5]})"
    echo "# rcvbuf_errors client=${cpu_udp[2]} server=${cpu_udp[3]} run=$run vpn=$vpn test=udp64" \
        "(drops on the VPN's sockets: client=${cpu_udp[4]} server=${cpu_udp[5]})"
    echo "$mbit $(awk -v a="${cpu[0]}" -v b="${cpu[1]}" 'BEGIN { printf "%.1f", a + b }') $pps"
}

# print_jfr_top SIDE RUN: the hottest methods of one launcher's recording, as comment lines, also
# kept in $LAB_STATE/profile-SIDE-runRUN.log.
print_jfr_top() {
    local side=$1 run=$2 jfr="$LAB_STATE/$1-run$2.jfr" out="$LAB_STATE/profile-$1-run$2.log"
    [[ -s $jfr ]] || die "no JFR recording $jfr (did the $side launcher exit cleanly?)"
    jfr_top "$jfr" "$JFR_TOP_METHODS" >"$out" || die "jfr print $jfr failed"
    echo "# jfr $side run $run, top $JFR_TOP_METHODS methods on top of the stack (jdk.ExecutionSample):"
    sed 's/^/#   /' "$out"
}

scenario_throughput() {
    local run=$1 m o
    local -a mv ov
    start_tunnel 1 "run$run"
    m=$(measure_vpn mlvpn "$run" "$TUN_SERVER" mlvpn-client mlvpn-server)
    stop_tunnel
    if ((PROFILE_JFR)); then
        print_jfr_top client "$run"
        print_jfr_top server "$run"
    fi
    start_openvpn "run$run"
    o=$(measure_vpn openvpn "$run" "$OVPN_SERVER" openvpn-client openvpn-server)
    stop_openvpn
    grep '^#' <<<"$m"
    grep '^#' <<<"$o"
    read -r -a mv <<<"$(tail -n 1 <<<"$m")"
    read -r -a ov <<<"$(tail -n 1 <<<"$o")"
    awk -v m="${mv[0]}" -v o="${ov[0]}" -v cm="${mv[1]}" -v co="${ov[1]}" -v mp="${mv[2]}" -v op="${ov[2]}" 'BEGIN {
        printf "throughput mlvpn_mbit=%.2f openvpn_mbit=%.2f ratio=%.3f cpu_mlvpn_pct=%.1f cpu_openvpn_pct=%.1f\n", m, o, m / o, cm, co
        printf "udp64 mlvpn_pps=%d openvpn_pps=%d ratio=%.3f\n", mp, op, mp / op
    }'
}

# ---------------------------------------------------------------------------------------------
# Driver

scenarios() {
    declare -F | awk '{ print $3 }' | grep '^scenario_' | grep -v '_setup$' | sed 's/^scenario_//'
}

main() {
    local scenario runs=${RUNS:-} run line name pair key value
    local -a args=() names=()
    local -A values=() name_keys=()

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
    if [[ -z $runs ]]; then
        case $scenario in
            throughput) runs=1 ;;
            *) runs=3 ;;
        esac
    fi
    [[ $runs =~ ^[1-9][0-9]*$ ]] || bad_args "bad --runs / RUNS '$runs': a positive whole number"
    if [[ -z $IPERF_SECONDS ]]; then
        case $scenario in
            aggregate | throughput) IPERF_SECONDS=20 ;;
            *) IPERF_SECONDS=10 ;;
        esac
    fi
    readonly IPERF_SECONDS
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
        grep -q '^[^#]' "$RESULT_FILE" || die "$scenario run $run printed no result"
        # Each line is "[NAME] key=number...", NAME (default: the scenario) naming its RESULT line;
        # comment lines (#) are passed through.
        while IFS= read -r line; do
            if [[ $line == '#'* ]]; then
                echo "$line"
                continue
            fi
            name=$scenario
            if [[ $line =~ ^([a-z][a-z0-9_]*)\ (.*)$ && ${BASH_REMATCH[1]} != *=* ]]; then
                name=${BASH_REMATCH[1]}
                line=${BASH_REMATCH[2]}
            fi
            [[ -n ${name_keys[$name]+x} ]] || { names+=("$name"); name_keys[$name]=""; }
            for pair in $line; do
                [[ $pair =~ ^([a-z][a-z0-9_]*)=(-?[0-9]+(\.[0-9]+)?)$ ]] ||
                    die "$scenario run $run printed a bad result '$pair' (want key=number)"
                key="$name ${BASH_REMATCH[1]}"
                value=${BASH_REMATCH[2]}
                [[ -n ${values[$key]+x} ]] || name_keys[$name]+="${BASH_REMATCH[1]} "
                values[$key]+="$value "
            done
            echo "RESULT $name${RESULT_TAG:+ $RESULT_TAG} $line"
        done <"$RESULT_FILE"
    done

    for name in "${names[@]}"; do
        line=""
        for key in ${name_keys[$name]}; do
            # shellcheck disable=SC2086 # the values are space-separated numbers
            value=$(median ${values["$name $key"]}) || die "median of $name $key failed"
            line+=" $key=$value"
        done
        echo "RESULT $name median${RESULT_TAG:+ $RESULT_TAG}${line}"
    done
}

main "$@"
