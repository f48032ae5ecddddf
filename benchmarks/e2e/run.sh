#!/usr/bin/env bash
# run.sh - end-to-end scenarios for mlvpn-java: the launcher's client and server in the lab's two
# namespaces (lab.sh), measured with ping and iperf3.
#
# Usage: run.sh SCENARIO [ARGS...] [--runs N]
#   SCENARIO   one of the scenarios below (ARGS may be its own options, e.g. soak --minutes 10)
#   --runs N   measured runs (default: $RUNS, else 1 for throughput, soak, flaps and faults, 3 for
#              the others)
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
#   soak [--minutes N]
#              2 links (20 and 10 Mbit/s), rekey.interval=10s, for N minutes (default
#              E2E_SOAK_MINUTES, else 60): iperf3 TCP client->server and server->client, each capped
#              at E2E_TCP_CAP_PCT (default 80) % of the links' summed rate, and a 1 Mbit/s UDP
#              stream with sequence numbers client->server (UdpSequenceStream); every 30 s a link
#              is cut (alternating), healed 15 s later; every 10 s both launchers' heap after a full
#              GC (jcmd), RSS, threads (not the JVM's own) and fds go to samples.csv. One line:
#              verdict=PASS|FAIL, then minutes cuts rekeys tcp_up_ok tcp_up_mbit tcp_down_ok
#              tcp_down_mbit udp_sent udp_received udp_lost udp_lost_outside (lost datagrams not
#              sent within 0.3 s after a cut) udp_lost_outside_all_up (of those, sent while no link
#              was cut) udp_duplicates udp_reordered udp_sender_stalls udp_sender_max_late_ms (the
#              sender got no CPU for more than 50 ms) tbf_drops_up tbf_drops_down, and per end (c, s)
#              threads_*_start/_end fds_*_start/_end heap_growth_*_kb rss_growth_*_kb (from 5 min,
#              or half the run if shorter, to the end), launchers_alive and load_avg (15-minute load
#              average of the machine at the end). PASS: both TCP transfers
#              ran their whole time, udp_lost_outside=0, threads and fds end where they started,
#              heap and RSS growth below 5 MiB, both launchers alive.
#   flaps [--cuts N] [--interval S]
#              The same links and streams (default rekey interval); N cuts (default E2E_FLAP_CUTS,
#              else 1000) alternating between the links: a link is cut for S seconds (default 1),
#              healed, both are up for S seconds, then the other one is cut (never both down).
#              Same keys (cuts, interval_ms instead of minutes, rekeys; no heap); PASS as soak
#              without the heap and RSS limits.
#   faults     2 links; the launchers run under a shell that logs their exit status. One line per
#              fault, each with its verdict and comment lines with the log lines seen:
#                fault_server_kill: the server's JVM killed (-9) while the client pings through
#                  the tunnel, restarted 3 s later. recover_s (restart to the first answer),
#                  client_alive, new_session_line (the client's "offering a new session" line).
#                fault_link_down: link 1's interface on the client set down for 5 s, then up, under
#                  the UDP stream. link_left_up_logged, link_up_again, udp_* as in soak. PASS: no
#                  loss outside 0.3 s after the interface went down, and the link's state followed.
#                fault_tun_deleted: the client's tun deleted (ip link del). exited, exit_status,
#                  exit_after_s. PASS: the client stopped with exit status 1 within 10 s.
#   compat     1 unlimited link; the launcher of commit 7cee88a (handshake 1: OLD_JAR, else built
#              from git into target/e2e-compat/ once) and this build's (handshake 2) in four
#              pairings, client_to_server: new_to_new, old_to_old (controls), old_to_new,
#              new_to_old, each for E2E_COMPAT_SECONDS (default 20) of pings through the tunnel
#              every 0.2 s. One line per pairing (compat_NAME): verdict, connected (1: a ping was
#              answered), pings_sent, pings_received, client_/server_refusal_lines (lines saying a
#              handshake was refused or failed, or got no answer), new_end_refusal_lines and
#              new_end_refusal_after_s (the new end's documented refusal line in a mixed pairing:
#              how many, and when after its start; -1 in the controls), client_/server_warn_lines,
#              and from each end's status JSON handshakes, handshake_resends_unanswered,
#              handshake_answers_unsolicited (-1 from the old launcher), and of its link
#              tx/rx_packets, drops_auth/replay/malformed; comment lines quote what each end
#              logged. PASS: the controls connect with no refusal line; a mixed pairing connects,
#              or the new end logs its refusal line at least once and at most once a minute. The
#              old end is reported, not judged.
#   replay     1 unlimited link, rekey.interval=10s. The client's first HANDSHAKE_INIT is recorded
#              off the link (handshake_replay.py, AF_PACKET on the server's veth) and replayed onto
#              the link from the client's end with its source address and port, E2E_REPLAY_RATE
#              (default 1000) a second, while the client pings through the tunnel every 0.2 s for
#              E2E_REPLAY_SECONDS (default 45). One line: verdict, pings_sent, pings_received,
#              replays_sent, replay_rate, replay_seconds, replay_skipped, rekeys (the client's
#              "(rekey)" lines), rekey_interval_s, sessions_expired ("expired without a rekey" in
#              either log), answers_response/_reject/_cookie (handshake answers seen arriving at the
#              client's end), server_stale_lines, and both ends' status keys as in compat. PASS:
#              every ping answered, no session expired, the replay reached 90 % of its rate, and
#              at least E2E_REPLAY_SECONDS / 10 - 1 rekeys.
#
# soak, flaps, faults, compat and replay run once by default and print no median line. A
# RESULT line with verdict=FAIL makes the script exit 1 after all lines are printed.
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
#   E2E_SOAK_MINUTES soak's length when --minutes is not given (default 60)
#   E2E_FLAP_CUTS    flaps' cut count when --cuts is not given (default 1000)
#   E2E_TCP_CAP_PCT  soak and flaps: each TCP direction's cap in % of the links' summed rate (80)
#   OLD_JAR          compat: the launcher jar of commit 7cee88a; unset: target/e2e-compat/ in the
#                    repo, built there (a temporary git worktree, mvn -o package) when missing
#   E2E_COMPAT_SECONDS  compat: seconds of pings per pairing (default 20: the new client's
#                    "no answer" line comes after 3 unanswered offers, about 15 s)
#   E2E_REPLAY_SECONDS  replay: seconds of pings (default 45)
#   E2E_REPLAY_RATE  replay: replayed INITs a second (default 1000)
#
# Adding a scenario: define scenario_NAME_setup ARGS... (optional; called once before the runs:
# validates ARGS, brings the lab up with lab_up and starts what the runs need, e.g. with
# start_tunnel) and scenario_NAME RUN (called once per run; prints one line of key=value pairs
# with numeric values on stdout, progress on stderr; fails with die), and list it above. The
# driver prints the RESULT lines, computes the medians and always tears the lab down.
#
# Needs root, java 17, iproute2, nftables, iperf3, iputils-ping; throughput also openvpn, openssl;
# soak also jcmd (the JDK's); compat and replay also python3 and curl, compat git and mvn when it
# builds the old jar. The UDP stream runs from its source file (java File.java), no build.

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
EXTRA_PROPERTIES=() # lines added to both launchers' properties (e.g. rekey.interval=10s)
LAUNCHER_WRAP=0 # 1: the launchers run under a shell that logs "launcher exit status N" (faults)
SERVER_JAR="" # when set, the server launcher's jar instead of $JAR (compat: an older build)
CLIENT_JAR="" # the same for the client launcher
OLD_BUILD_DIR="" # compat: the temporary worktree the old jar is built in, removed at exit
FAILED_VERDICTS=0 # RESULT lines with verdict=FAIL; the script then exits 1
NO_SINGLE_MEDIAN=0 # 1: no median line after a single run (soak, flaps, faults: one verdict each)

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
    [[ -z $OLD_BUILD_DIR ]] || remove_old_build
    if ((LAB_IS_UP)); then
        if ((rc != 0)); then
            for f in "$LAB_STATE"/*.log; do
                [[ -f $f ]] || continue
                echo "---- last lines of ${f##*/} ----" >&2
                tail -n 20 "$f" >&2
            done
        fi
        if [[ -n ${E2E_LOG_DIR:-} ]]; then
            mkdir -p "$E2E_LOG_DIR" && cp "$LAB_STATE"/*.log "$E2E_LOG_DIR"/ 2>/dev/null &&
                for f in "$LAB_STATE"/*.csv "$LAB_STATE"/*.txt "$LAB_STATE"/iperf3-*.json; do
                    [[ ! -f $f ]] || cp "$f" "$E2E_LOG_DIR"/
                done ||
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
        printf '%s\n' ${EXTRA_PROPERTIES[@]+"${EXTRA_PROPERTIES[@]}"}
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
        printf '%s\n' ${EXTRA_PROPERTIES[@]+"${EXTRA_PROPERTIES[@]}"}
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
    write_properties "$n"
    start_launcher s "$n" "server$tag"
    start_launcher c "$n" "client$tag"
    log "waiting up to ${TUNNEL_TIMEOUT}s for the tunnel ($TUN_SERVER from the client)"
    wait_for_ping c "$TUN_SERVER" "$TUNNEL_TIMEOUT" mlvpn-server mlvpn-client || die "the tunnel did not come up"
    log "tunnel up"
}

# start_launcher c|s N NAME: starts one launcher (lab process mlvpn-client or mlvpn-server) with
# the properties start_tunnel wrote, logging to $LAB_STATE/NAME.log (JFR: NAME.jfr); for the
# server, waits until its N links are open. With LAUNCHER_WRAP=1 a shell runs the launcher and
# adds "launcher exit status N" to the log when it ends.
start_launcher() {
    local side=$1 n=$2 name=$3 role jar
    local -a opts wrap=()
    [[ $side == s ]] && role=server || role=client
    [[ $side == s ]] && jar=${SERVER_JAR:-$JAR} || jar=${CLIENT_JAR:-$JAR}
    mapfile -t opts < <(jvm_opts "$name" "")
    # shellcheck disable=SC2016 # expanded by the inner bash
    ((LAUNCHER_WRAP == 0)) || wrap=(bash -c '"$@"; echo "launcher exit status $?"' launcher)
    lab spawn "$side" "mlvpn-$role" "$LAB_STATE/$name.log" ${wrap[@]+"${wrap[@]}"} "$JAVA" ${opts[@]+"${opts[@]}"} -jar "$jar" "$LAB_STATE/$role.properties" >/dev/null ||
        die "could not start the $role launcher"
    if [[ $side == s ]]; then
        # The server first: a client whose first handshakes go unanswered backs off (1 s, 2 s, ...).
        wait_for_udp s $((LINK_BASE_PORT + n)) "$TUNNEL_TIMEOUT" || die "the server launcher did not open its links"
    fi
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

# ---------------------------------------------------------------------------------------------
# soak and flaps: capped TCP both ways and a sequenced UDP stream through a 2-link tunnel while
# links are cut and healed, with both launchers' resources sampled. faults: server killed and
# restarted, a link's interface down and up, the tun deleted.

readonly STRESS_RATES=(20 10) # Mbit/s of links 1 and 2
readonly TCP_CAP_PCT=${E2E_TCP_CAP_PCT:-80}
readonly UDP_RATE_BPS=1000000
readonly UDP_SIZE=1000
readonly UDP_PORT=5301
readonly IPERF_REVERSE_PORT=5202
readonly CUT_WINDOW_MS=300
readonly SAMPLE_EVERY_S=10
readonly SOAK_CUT_EVERY_S=30     # a cut every 30 s, healed half-way to the next
readonly SOAK_BASELINE_S=300     # heap and RSS growth are measured from here (or half-way if shorter)
readonly GROWTH_LIMIT_KB=5120
readonly UDP_STREAM_SRC="$REPO_ROOT/benchmarks/src/main/java/io/mlvpn/benchmarks/UdpSequenceStream.java"
SOAK_MINUTES=${E2E_SOAK_MINUTES:-60}
FLAP_CUTS=${E2E_FLAP_CUTS:-1000}
FLAP_INTERVAL_MS=1000
EVENTS_FILE=""
SAMPLES_FILE=""
SAMPLE_HEAP=0
CUT_LINK=0 # the link cut now (0: none)

# epoch_us / epoch_ms: the wall clock the UDP stream stamps its datagrams with.
epoch_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }
epoch_ms() { echo $(($(epoch_us) / 1000)); }

# sleep_until_ms T: sleeps until epoch_ms reaches T (returns at once when it has).
sleep_until_ms() {
    local d=$(($1 - $(epoch_ms)))
    ((d <= 0)) || sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
}

# cut_link I / heal_link I: lab cut/heal with the time (taken just before) in EVENTS_FILE.
cut_link() {
    echo "$(epoch_us) cut $1" >>"$EVENTS_FILE"
    lab cut "$1" || die "lab cut $1 failed"
    CUT_LINK=$1
}

heal_link() {
    echo "$(epoch_us) heal $1" >>"$EVENTS_FILE"
    lab heal "$1" || die "lab heal $1 failed"
    CUT_LINK=0
}

# app_threads PID: the process's threads that are not the JVM's own. The JVM starts and retires
# JIT compiler and GC worker threads by itself, and the JDK's "process reaper" (started when the
# launcher runs a command at start) retires after 60 s idle (seen: 10 threads, 9 a minute after
# the start, then 9 for 10 minutes), so those would make "threads end where they started" fail on
# noise.
app_threads() {
    local comm n=0
    for comm in /proc/"$1"/task/*/comm; do
        read -r comm <"$comm" 2>/dev/null || continue
        [[ $comm =~ ^(C[12]\ CompilerThre|GC\ Thread|G1\ |VM\ |Sweeper|Common-Cleaner|Signal\ Dispatch|Finalizer|Reference\ Handl|Attach\ Listener|Service\ Thread|Notification\ Th|Monitor\ Deflati|VM\ Periodic|process\ reaper) ]] ||
            n=$((n + 1))
    done
    echo "$n"
}

# tbf_drops SIDE: packets dropped by the rate limits (tbf) on SIDE's link ends (c: the
# client->server direction, s: server->client), since the lab came up.
tbf_drops() {
    local i dev sum=0 d
    for i in 1 2; do
        dev=$(lab dev "$i" "$1")
        d=$(lab exec "$1" tc -s qdisc show dev "$dev" | awk '/dropped/ { sub(/,.*/, "", $7); print $7; exit }')
        sum=$((sum + ${d:-0}))
    done
    echo "$sum"
}

# sample_resources T: one CSV line per launcher: T, side, pid, heap used after a full GC in KiB
# (-1 unless SAMPLE_HEAP=1), VmRSS in KiB, threads (app_threads), open fds. A launcher that is gone gets pid -1.
sample_resources() {
    local t=$1 side role pid heap rss threads fds
    for side in c s; do
        [[ $side == c ]] && role=client || role=server
        if ! pid=$(lab pid "mlvpn-$role" 2>/dev/null); then
            echo "$t,$side,-1,-1,-1,-1,-1" >>"$SAMPLES_FILE"
            continue
        fi
        heap=-1
        if ((SAMPLE_HEAP)); then
            # GC.run first, so that heap_info shows what survives a full collection. The lines
            # with "total ... used ...K" are the heap (G1: one; serial/parallel: young and old),
            # not Metaspace and class space.
            heap=$(jcmd "$pid" -f "$LAB_STATE/jcmd-heap.txt" 2>/dev/null | awk '
                /Metaspace|class space/ { next }
                /total [0-9]+K, used [0-9]+K/ { match($0, /used [0-9]+K/); sum += substr($0, RSTART + 5, RLENGTH - 6); found = 1 }
                END { if (found) print sum; else print -1 }')
        fi
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || rss=-1
        threads=$(app_threads "$pid") || threads=-1
        fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) || fds=-1
        echo "$t,$side,$pid,$heap,${rss:--1},${threads:--1},$fds" >>"$SAMPLES_FILE"
    done
}

# resource_keys BASELINE_S: key=value pairs from SAMPLES_FILE: per side the threads and fds of the
# first and last sample, and heap/RSS growth from the first sample at or after BASELINE_S to the
# last (KiB); launchers_alive=1 when every sample found both launchers.
resource_keys() {
    awk -F, -v base="$1" '
        NR == 1 || /^#/ { next }
        {
            s = $2
            if ($3 < 0) dead = 1
            if (!(s in first)) { first[s] = 1; th0[s] = $6; fd0[s] = $7 }
            if ($1 >= base && !(s in b)) { b[s] = 1; heap0[s] = $4; rss0[s] = $5 }
            th1[s] = $6; fd1[s] = $7; heap1[s] = $4; rss1[s] = $5
        }
        END {
            for (i = 1; i <= 2; i++) {
                s = (i == 1 ? "c" : "s")
                if (!(s in b)) { heap0[s] = heap1[s]; rss0[s] = rss1[s] }
                hg = (heap0[s] < 0 || heap1[s] < 0) ? -1 : heap1[s] - heap0[s]
                printf "threads_%s_start=%d threads_%s_end=%d fds_%s_start=%d fds_%s_end=%d heap_growth_%s_kb=%d rss_growth_%s_kb=%d ",
                    s, th0[s], s, th1[s], s, fd0[s], s, fd1[s], s, hg, s, rss1[s] - rss0[s]
            }
            printf "launchers_alive=%d\n", !dead
        }' "$SAMPLES_FILE"
}

# stress_start SECONDS: the tunnel over 2 links (STRESS_RATES), then for SECONDS: iperf3 TCP
# client->server and server->client, each capped at TCP_CAP_PCT % of the links' summed rate, and the
# UDP sequence stream client->server at 1 Mbit/s.
stress_start() {
    local secs=$1 cap
    cap=$(((STRESS_RATES[0] + STRESS_RATES[1]) * TCP_CAP_PCT / 100))
    EVENTS_FILE="$LAB_STATE/events.txt"
    SAMPLES_FILE="$LAB_STATE/samples.csv"
    : >"$EVENTS_FILE"
    echo "t_s,side,pid,heap_after_gc_kb,rss_kb,app_threads,fds" >"$SAMPLES_FILE"
    printf 'GC.run\nGC.heap_info\n' >"$LAB_STATE/jcmd-heap.txt"
    start_tunnel 2
    lab spawn s iperf3-up-server "$LAB_STATE/iperf3-up-server.log" iperf3 -s -B "$TUN_SERVER" -p "$IPERF_PORT" >/dev/null ||
        die "could not start iperf3 -s on $TUN_SERVER"
    lab spawn c iperf3-down-server "$LAB_STATE/iperf3-down-server.log" iperf3 -s -B "$TUN_CLIENT" -p "$IPERF_REVERSE_PORT" >/dev/null ||
        die "could not start iperf3 -s on $TUN_CLIENT"
    wait_for_listen s "$TUN_SERVER" "$IPERF_PORT" 5 || die "iperf3 server on $TUN_SERVER did not start"
    wait_for_listen c "$TUN_CLIENT" "$IPERF_REVERSE_PORT" 5 || die "iperf3 server on $TUN_CLIENT did not start"
    log "streams for ${secs}s: TCP ${cap} Mbit/s each way, UDP $((UDP_RATE_BPS / 1000)) kbit/s client->server"
    lab spawn c iperf3-up "$LAB_STATE/iperf3-up.json" iperf3 -c "$TUN_SERVER" -p "$IPERF_PORT" -t "$secs" -b "${cap}M" -i 10 -J >/dev/null ||
        die "could not start iperf3 client->server"
    lab spawn s iperf3-down "$LAB_STATE/iperf3-down.json" iperf3 -c "$TUN_CLIENT" -p "$IPERF_REVERSE_PORT" -t "$secs" -b "${cap}M" -i 10 -J >/dev/null ||
        die "could not start iperf3 server->client"
    udp_stream_start stream
}

# udp_stream_start TAG: the UDP sequence stream client->server at UDP_RATE_BPS: a receiver (lab
# process udp-receiver-TAG, output udp-receiver-TAG.txt) and a sender (udp-sender-TAG).
udp_stream_start() {
    local tag=$1
    lab spawn s "udp-receiver-$tag" "$LAB_STATE/udp-receiver-$tag.txt" "$JAVA" "$UDP_STREAM_SRC" receive "$TUN_SERVER" "$UDP_PORT" >/dev/null ||
        die "could not start the UDP stream receiver"
    wait_for_udp s "$UDP_PORT" 30 || die "the UDP stream receiver did not start (see $LAB_STATE/udp-receiver-$tag.txt)"
    lab spawn c "udp-sender-$tag" "$LAB_STATE/udp-sender-$tag.txt" "$JAVA" "$UDP_STREAM_SRC" send "$TUN_SERVER" "$UDP_PORT" "$UDP_RATE_BPS" "$UDP_SIZE" >/dev/null ||
        die "could not start the UDP stream sender"
    # The sender compiles its source first (about a second): let it run before the first cut.
    sleep 3
}

# udp_stream_finish TAG: stops the stream's sender, then (after the last datagrams crossed) its
# receiver; prints the udp_* keys, the losses matched against the cuts in EVENTS_FILE; the lost
# datagrams are listed in udp-lost-TAG.txt.
udp_stream_finish() {
    local tag=$1
    lab stop "udp-sender-$tag" >&2 || die "could not stop the UDP stream sender"
    sleep 2 # the last datagrams cross the tunnel (and its reorder buffer)
    lab stop "udp-receiver-$tag" >&2 || die "could not stop the UDP stream receiver"
    "$JAVA" "$UDP_STREAM_SRC" analyze "$LAB_STATE/udp-sender-$tag.txt" "$LAB_STATE/udp-receiver-$tag.txt" "$EVENTS_FILE" \
        "$CUT_WINDOW_MS" "$LAB_STATE/udp-lost-$tag.txt" || die "UDP stream analysis failed (see $LAB_STATE/udp-*-$tag.txt)"
}

# tcp_result JSON SECONDS: "OK MBIT": OK is 1 when iperf3 sent for its whole time without error.
tcp_result() {
    local json=$1 secs=$2 sent mbit
    if iperf3_error "$json" >/dev/null || ! sent=$(iperf3_sent_field "$json" seconds); then
        echo "0 0"
        return
    fi
    mbit=$(iperf3_mbit "$json" 2>/dev/null) || mbit=0
    awk -v s="$sent" -v d="$secs" -v m="$mbit" 'BEGIN { printf "%d %.2f\n", (s >= d - 0.5), m }'
}

# stress_finish SECONDS: heals every link, stops the UDP stream, waits for the TCP transfers
# (started for SECONDS) and prints the stream keys: tcp_up_ok tcp_up_mbit tcp_down_ok
# tcp_down_mbit and the udp_* keys of UdpSequenceStream analyze.
stress_finish() {
    local secs=$1 name up down udp
    [[ $CUT_LINK == 0 ]] || heal_link "$CUT_LINK"
    udp=$(udp_stream_finish stream)
    for name in iperf3-up iperf3-down; do
        if ! wait_gone "$name" 60; then
            log "$name still running 60 s after the planned end; stopping it"
            lab stop "$name" >&2 || die "could not stop $name"
        fi
    done
    up=$(tcp_result "$LAB_STATE/iperf3-up.json" "$secs")
    down=$(tcp_result "$LAB_STATE/iperf3-down.json" "$secs")
    read -r -a up <<<"$up"
    read -r -a down <<<"$down"
    echo "tcp_up_ok=${up[0]} tcp_up_mbit=${up[1]} tcp_down_ok=${down[0]} tcp_down_mbit=${down[1]} $udp" \
        "tbf_drops_up=$(tbf_drops c) tbf_drops_down=$(tbf_drops s)"
}

# load_avg: the machine's load average over the last 15 minutes (a busy machine starves the
# launchers and the stream's sender: read the losses with it, and with udp_sender_stalls).
load_avg() {
    awk '{ print $3 }' /proc/loadavg
}

# key_value LINE KEY: the value of KEY in a line of key=value pairs.
key_value() {
    local pair
    for pair in $1; do
        [[ $pair != "$2="* ]] || { echo "${pair#*=}"; return 0; }
    done
    return 1
}

# stress_verdict LINE GROWTH: PASS when the streams survived (TCP both ways, no UDP loss outside the
# window after a cut), both launchers lived, threads and fds ended where they started, and (when
# GROWTH is 1) heap and RSS grew less than GROWTH_LIMIT_KB.
stress_verdict() {
    local line=$1 growth=$2 k v s
    for k in tcp_up_ok tcp_down_ok launchers_alive; do
        [[ $(key_value "$line" "$k") == 1 ]] || { echo FAIL; return; }
    done
    [[ $(key_value "$line" udp_lost_outside) == 0 && $(key_value "$line" udp_sent) -gt 0 ]] || { echo FAIL; return; }
    for s in c s; do
        [[ $(key_value "$line" "threads_${s}_start") == "$(key_value "$line" "threads_${s}_end")" ]] || { echo FAIL; return; }
        [[ $(key_value "$line" "fds_${s}_start") == "$(key_value "$line" "fds_${s}_end")" ]] || { echo FAIL; return; }
        ((growth)) || continue
        for k in heap_growth rss_growth; do
            v=$(key_value "$line" "${k}_${s}_kb") || continue
            ((v < GROWTH_LIMIT_KB)) || { echo FAIL; return; }
        done
    done
    echo PASS
}

# parse_stress_options SCENARIO ARGS...: --minutes N (soak), --cuts N and --interval S (flaps).
parse_stress_options() {
    local scenario=$1
    shift
    while (($# > 0)); do
        case "$scenario $1" in
            "soak --minutes")
                [[ ${2:-} =~ ^[1-9][0-9]{0,3}$ ]] || bad_args "soak --minutes: whole minutes, 1 to 9999 (got: ${2:-})"
                SOAK_MINUTES=$2
                ;;
            "flaps --cuts")
                [[ ${2:-} =~ ^[1-9][0-9]{0,5}$ ]] || bad_args "flaps --cuts: a whole number, 1 to 999999 (got: ${2:-})"
                FLAP_CUTS=$2
                ;;
            "flaps --interval")
                [[ ${2:-} =~ ^[0-9]{1,3}(\.[0-9]{1,3})?$ ]] || bad_args "flaps --interval: seconds, e.g. 1 or 0.5 (got: ${2:-})"
                FLAP_INTERVAL_MS=$(awk -v s="$2" 'BEGIN { printf "%d\n", s * 1000 }')
                ((FLAP_INTERVAL_MS >= 200)) || bad_args "flaps --interval: at least 0.2 s (got: $2)"
                ;;
            *) bad_args "$scenario: unknown argument '$1'" ;;
        esac
        shift 2
    done
}

scenario_soak_setup() {
    parse_stress_options soak "$@"
    [[ $SOAK_MINUTES =~ ^[1-9][0-9]{0,3}$ ]] || bad_args "bad E2E_SOAK_MINUTES '$SOAK_MINUTES': whole minutes"
    need jcmd
    check_launcher
    NO_SINGLE_MEDIAN=1
    SAMPLE_HEAP=1
    EXTRA_PROPERTIES=("rekey.interval=10s")
    lab_up 2 "${STRESS_RATES[0]}mbit,${STRESS_RATES[1]}mbit"
}

# soak: SOAK_MINUTES of the streams; every SOAK_CUT_EVERY_S a link is cut (links alternate) and
# healed half-way to the next cut; rekeys every 10 s; resources sampled every SAMPLE_EVERY_S.
scenario_soak() {
    local secs=$((SOAK_MINUTES * 60)) t0 tick cuts=0 next=1 base line streams rekeys
    stress_start $((secs + 5))
    t0=$(epoch_ms)
    # One jcmd before the first sample: the JVM's attach listener thread starts with the first
    # attach and stays, so the first sample already counts it.
    jcmd "$(lab pid mlvpn-client)" VM.version >/dev/null 2>&1 || true
    jcmd "$(lab pid mlvpn-server)" VM.version >/dev/null 2>&1 || true
    for ((tick = 0; tick <= secs; tick++)); do
        sleep_until_ms $((t0 + tick * 1000))
        if ((tick > 0 && tick < secs && tick % SOAK_CUT_EVERY_S == 0)); then
            cut_link "$next"
            next=$((3 - next))
            cuts=$((cuts + 1))
        elif ((tick % SOAK_CUT_EVERY_S == SOAK_CUT_EVERY_S / 2 && CUT_LINK != 0)); then
            heal_link "$CUT_LINK"
        fi
        if ((tick % SAMPLE_EVERY_S == 0)); then
            sample_resources "$tick"
            ((tick % 60 != 0)) || log "soak: $((tick / 60)) of $SOAK_MINUTES min, $cuts cuts"
        fi
    done
    streams=$(stress_finish $((secs + 5)))
    sample_resources $((secs + 1))
    base=$((secs / 2 < SOAK_BASELINE_S ? secs / 2 : SOAK_BASELINE_S))
    rekeys=$(grep -c 'established over link .*(rekey)' "$LAB_STATE/client.log" || true)
    line="minutes=$SOAK_MINUTES cuts=$cuts rekeys=$rekeys $streams $(resource_keys "$base") load_avg=$(load_avg)"
    echo "verdict=$(stress_verdict "$line" 1) $line"
}

scenario_flaps_setup() {
    parse_stress_options flaps "$@"
    [[ $FLAP_CUTS =~ ^[1-9][0-9]{0,5}$ ]] || bad_args "bad E2E_FLAP_CUTS '$FLAP_CUTS': a whole number"
    check_launcher
    NO_SINGLE_MEDIAN=1
    lab_up 2 "${STRESS_RATES[0]}mbit,${STRESS_RATES[1]}mbit"
}

# flaps: FLAP_CUTS cuts alternating between the two links: link k is cut for one interval, healed,
# and both are up for one interval before the other link is cut (never both down).
scenario_flaps() {
    local secs t0 c at k next_sample=0 line streams
    secs=$(((2 * FLAP_CUTS * FLAP_INTERVAL_MS + 999) / 1000 + 2))
    stress_start "$secs"
    t0=$(epoch_ms)
    sample_resources 0
    for ((c = 0; c < FLAP_CUTS; c++)); do
        k=$((c % 2 + 1))
        at=$((t0 + 2 * c * FLAP_INTERVAL_MS))
        sleep_until_ms "$at"
        cut_link "$k"
        sleep_until_ms $((at + FLAP_INTERVAL_MS))
        heal_link "$k"
        if (($(epoch_ms) - t0 >= next_sample * 1000)); then
            sample_resources $(((at - t0) / 1000))
            next_sample=$((next_sample + SAMPLE_EVERY_S))
            ((c % 100 != 0)) || log "flaps: $c of $FLAP_CUTS cuts"
        fi
    done
    streams=$(stress_finish "$secs")
    sample_resources $((secs + 1))
    line="cuts=$FLAP_CUTS interval_ms=$FLAP_INTERVAL_MS $streams $(resource_keys 0) load_avg=$(load_avg)"
    # Flaps judge threads and fds only: heap is not sampled, RSS is reported.
    echo "verdict=$(stress_verdict "$line" 0) $line"
}

# faults: one RESULT line per fault (see the header). The launchers run under a shell that logs
# their exit status; a UDP sequence stream measures what a link fault loses.
readonly FAULT_LINK_DOWN_S=5
readonly FAULT_KILL_PAUSE_S=3
readonly FAULT_EXIT_WAIT_S=10

scenario_faults_setup() {
    (($# == 0)) || bad_args "faults takes no arguments (got: $*)"
    check_launcher
    NO_SINGLE_MEDIAN=1
    LAUNCHER_WRAP=1
    lab_up 2 "${STRESS_RATES[0]}mbit,${STRESS_RATES[1]}mbit"
}

# launcher_java_pid NAME: the launcher's JVM, the only child of the wrapping shell NAME.
launcher_java_pid() {
    local wrapper pid stat
    wrapper=$(lab pid "$1") || return 1
    # By parent PID (/proc/PID/task/PID/children needs CONFIG_PROC_CHILDREN, often missing).
    for stat in /proc/[0-9]*/stat; do
        pid=${stat#/proc/}
        pid=${pid%/stat}
        [[ $(awk '{ sub(/^.*\) /, ""); print $2 }' "$stat" 2>/dev/null) == "$wrapper" ]] && { echo "$pid"; return 0; }
    done
    return 1
}

# log_excerpt FILE PATTERN: the first line matching PATTERN, shortened, for a comment line.
log_excerpt() {
    grep -m 1 -E -- "$2" "$1" 2>/dev/null | cut -c 1-220 || echo "(no line matching '$2')"
}

# fault_server_kill: the server's JVM killed with -9 while the client pings through the tunnel,
# restarted after FAULT_KILL_PAUSE_S with the same configuration. Passes when the tunnel answers
# again within 15 s of the restart, the client never stopped, and the client logged the
# documented "offering a new session" line.
fault_server_kill() {
    local pid t_restart t_back recover alive=1 offered=0 verdict=FAIL
    pid=$(launcher_java_pid mlvpn-server) || die "no server JVM found"
    log "faults: kill -9 of the server's JVM (pid $pid)"
    lab spawn c ping-kill "$LAB_STATE/ping-kill.txt" ping -n -D -i 0.2 "$TUN_SERVER" >/dev/null || die "could not start ping"
    sleep 1
    kill -KILL "$pid"
    sleep "$FAULT_KILL_PAUSE_S"
    start_launcher s 2 server-restarted
    t_restart=$(epoch_ms)
    if wait_for_ping c "$TUN_SERVER" 15 mlvpn-client; then
        t_back=$(epoch_ms)
        recover=$(awk -v a="$t_restart" -v b="$t_back" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
    else
        recover=-1
    fi
    lab stop ping-kill >&2 || die "could not stop ping"
    lab pid mlvpn-client >/dev/null 2>&1 || alive=0
    grep -q 'offering a new session' "$LAB_STATE/client.log" && offered=1
    [[ $recover != -1 && $alive == 1 && $offered == 1 ]] && verdict=PASS
    echo "# fault_server_kill client: $(log_excerpt "$LAB_STATE/client.log" 'offering a new session')"
    echo "# fault_server_kill client: $({ grep -E 'established|tunnel (up|down)' "$LAB_STATE/client.log" | tail -n 1 | cut -c 1-220; } || true)"
    echo "fault_server_kill verdict=$verdict recover_s=$recover client_alive=$alive new_session_line=$offered"
}

# fault_link_down: link 1's interface on the client (the router's uplink) set down for
# FAULT_LINK_DOWN_S, then up, under the 1 Mbit/s UDP sequence stream. Passes when the stream loses
# nothing outside the 0.3 s after the interface went down (the rescue promise for a cut), the
# client logged link l1 leaving "up", and l1 is up again within 5 s after the interface came back.
fault_link_down() {
    local dev udp last back=0 logged=0 verdict=FAIL lines_before
    dev=$(lab dev 1 c)
    EVENTS_FILE="$LAB_STATE/events-link-down.txt"
    : >"$EVENTS_FILE"
    lines_before=$(wc -l <"$LAB_STATE/client.log")
    udp_stream_start link-down
    log "faults: ip link set $dev down in the client namespace for ${FAULT_LINK_DOWN_S}s"
    echo "$(epoch_us) cut 1" >>"$EVENTS_FILE"
    lab exec c ip link set "$dev" down || die "ip link set $dev down failed"
    sleep "$FAULT_LINK_DOWN_S"
    echo "$(epoch_us) heal 1" >>"$EVENTS_FILE"
    lab exec c ip link set "$dev" up || die "ip link set $dev up failed"
    sleep 5
    # Up again: l1's last state change (if any) since the fault is "-> up".
    last=$({ tail -n +"$((lines_before + 1))" "$LAB_STATE/client.log" | grep -E 'ControlLoop - link l1: [a-z ]+ -> ' | tail -n 1; } || true)
    [[ -z $last || $last =~ \ -\>\ up\ \( ]] && back=1
    udp=$(udp_stream_finish link-down)
    { tail -n +"$((lines_before + 1))" "$LAB_STATE/client.log" | grep -qE 'link l1: up -> '; } && logged=1
    [[ $(key_value "$udp" udp_lost_outside) == 0 && $logged == 1 && $back == 1 ]] && verdict=PASS
    echo "# fault_link_down client lines after the interface went down (none: the client never took l1 out of use):"
    { tail -n +"$((lines_before + 1))" "$LAB_STATE/client.log" | grep -E 'link l1|failover|ERROR|WARN' | head -n 6 | cut -c 1-220 | sed 's/^/#   /'; } || true
    echo "fault_link_down verdict=$verdict down_s=$FAULT_LINK_DOWN_S link_left_up_logged=$logged link_up_again=$back $udp"
}

# fault_tun_deleted: the client's tun device deleted under the running tunnel (ip link del). The
# launcher cannot recreate the device for the engine, so the documented outcome is an orderly stop
# with exit status 1 and one clear line (a service manager restarts it). Passes when the client
# exits within FAULT_EXIT_WAIT_S with status 1.
fault_tun_deleted() {
    local t0 exited=0 status=-1 after=-1 verdict=FAIL lines_before
    lines_before=$(wc -l <"$LAB_STATE/client.log")
    log "faults: ip link del mlvpn-e2e in the client namespace"
    t0=$(epoch_ms)
    lab exec c ip link del mlvpn-e2e || die "ip link del mlvpn-e2e failed"
    if wait_gone mlvpn-client "$FAULT_EXIT_WAIT_S"; then
        exited=1
        after=$(awk -v a="$t0" -v b="$(epoch_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
        status=$(sed -n 's/^launcher exit status \([0-9]*\)$/\1/p' "$LAB_STATE/client.log" | tail -n 1)
        status=${status:--1}
    fi
    [[ $exited == 1 && $status == 1 ]] && verdict=PASS
    [[ $exited == 1 ]] || echo "# fault_tun_deleted: the client still runs $FAULT_EXIT_WAIT_S s after the deletion"
    echo "# fault_tun_deleted client lines after the deletion:"
    { tail -n +"$((lines_before + 1))" "$LAB_STATE/client.log" | grep -vE 'rekey' | head -n 6 | cut -c 1-220 | sed 's/^/#   /'; } || true
    echo "fault_tun_deleted verdict=$verdict exited=$exited exit_status=$status exit_after_s=$after"
}

scenario_faults() {
    start_tunnel 2
    fault_server_kill
    fault_link_down
    fault_tun_deleted
}

# ---------------------------------------------------------------------------------------------
# compat: launchers of handshake 1 (commit 7cee88a) and of this build against each other.
# replay: one recorded INIT replayed from the client's address while the tunnel rekeys.

readonly OLD_COMMIT=7cee88a # the last commit speaking handshake 1 (docs/protocol.md, section 5)
readonly OLD_JAR_CACHE="$REPO_ROOT/target/e2e-compat/mlvpn-launcher-$OLD_COMMIT.jar"
readonly COMPAT_SECONDS=${E2E_COMPAT_SECONDS:-20}
readonly CONTROL_PORT=5090 # control.http on 127.0.0.1 in each namespace (its own loopback)
# What this build logs when it refuses the other version (docs/operations.md, "Handshake"), and
# anything else a launcher says about a refused or failed handshake.
readonly NEW_SERVER_REFUSAL='handshake refused: peer .* speaks handshake 1'
readonly NEW_CLIENT_REFUSAL='no answer to [0-9]+ handshake offers in a row'
readonly ANY_REFUSAL='handshake refused|handshake failed|no answer to [0-9]+ handshake offers'
readonly REPLAY_SECONDS=${E2E_REPLAY_SECONDS:-45}
readonly REPLAY_RATE=${E2E_REPLAY_RATE:-1000}
readonly REPLAY_REKEY_S=10
readonly REPLAY_TOOL="$E2E_DIR/handshake_replay.py"
OLD_LAUNCHER=""

remove_old_build() {
    git -C "$REPO_ROOT" worktree remove --force "$OLD_BUILD_DIR/src" >/dev/null 2>&1 || true
    rm -rf -- "$OLD_BUILD_DIR"
    git -C "$REPO_ROOT" worktree prune >/dev/null 2>&1 || true
    OLD_BUILD_DIR=""
}

# find_old_launcher: sets OLD_LAUNCHER to OLD_JAR when set, else to the cached build of OLD_COMMIT
# (OLD_JAR_CACHE), else builds it: a temporary detached worktree at OLD_COMMIT, `mvn -o package` of
# the launcher and the modules it needs (no tests), the jar copied into the cache, the worktree
# removed (also when the script stops half-way: teardown). The build log stays next to the jar.
find_old_launcher() {
    local blog="${OLD_JAR_CACHE%.jar}-build.log"
    if [[ -n ${OLD_JAR:-} ]]; then
        [[ -f $OLD_JAR ]] || die "OLD_JAR=$OLD_JAR: no such file"
        OLD_LAUNCHER=$OLD_JAR
        return
    fi
    if [[ -f $OLD_JAR_CACHE ]]; then
        OLD_LAUNCHER=$OLD_JAR_CACHE
        return
    fi
    need git mvn
    git -C "$REPO_ROOT" rev-parse -q --verify "$OLD_COMMIT^{commit}" >/dev/null ||
        die "commit $OLD_COMMIT is not in $REPO_ROOT: set OLD_JAR to a launcher jar built from it"
    mkdir -p "${OLD_JAR_CACHE%/*}" || die "cannot create ${OLD_JAR_CACHE%/*}"
    OLD_BUILD_DIR=$(mktemp -d /tmp/mlvpn-old-build.XXXXXX) || die "mktemp failed"
    log "compat: building the launcher of commit $OLD_COMMIT in $OLD_BUILD_DIR/src (log: $blog)"
    git -C "$REPO_ROOT" worktree add --detach "$OLD_BUILD_DIR/src" "$OLD_COMMIT" >"$blog" 2>&1 ||
        die "git worktree add $OLD_COMMIT failed: $(tail -n 5 "$blog")"
    (cd "$OLD_BUILD_DIR/src" && mvn -B -q -o -DskipTests -Dfuzz.tests.skip=true -pl mlvpn-launcher -am package) >>"$blog" 2>&1 ||
        die "mvn package of commit $OLD_COMMIT failed: $(tail -n 20 "$blog")"
    cp "$OLD_BUILD_DIR/src/mlvpn-launcher/target/mlvpn-launcher.jar" "$OLD_JAR_CACHE.tmp" &&
        mv "$OLD_JAR_CACHE.tmp" "$OLD_JAR_CACHE" || die "cannot copy the jar of $OLD_COMMIT to $OLD_JAR_CACHE"
    remove_old_build
    log "compat: built $OLD_JAR_CACHE"
    OLD_LAUNCHER=$OLD_JAR_CACHE
}

# status_keys SIDE PREFIX: from the launcher's status JSON (control.http in SIDE's namespace):
# PREFIX_handshakes PREFIX_handshake_resends_unanswered PREFIX_handshake_answers_unsolicited and, of
# its link, PREFIX_tx_packets PREFIX_rx_packets PREFIX_drops_auth PREFIX_drops_replay
# PREFIX_drops_malformed; -1 for what the endpoint did not answer (an older launcher's missing keys).
status_keys() {
    local side=$1 prefix=$2 json
    json=$(lab exec "$side" curl -s --max-time 5 "http://127.0.0.1:$CONTROL_PORT/status" 2>/dev/null) || json=""
    python3 -c '
import json, sys
prefix, text = sys.argv[1], sys.argv[2]
try:
    s = json.loads(text)
except ValueError:
    s = {}
link = (s.get("links") or [{}])[0]
drops = link.get("drops") or {}
v = {"handshakes": s.get("handshakes", -1),
     "handshake_resends_unanswered": s.get("handshake_resends_unanswered", -1),
     "handshake_answers_unsolicited": s.get("handshake_answers_unsolicited", -1),
     "tx_packets": link.get("tx_packets", -1),
     "rx_packets": link.get("rx_packets", -1), "drops_auth": drops.get("auth", -1),
     "drops_replay": drops.get("replay", -1), "drops_malformed": drops.get("malformed", -1)}
print(" ".join("%s_%s=%d" % (prefix, k, int(x)) for k, x in v.items()))
' "$prefix" "$json"
}

# log_s_after_start LOG PATTERN: seconds from the launcher's first log line to the first line
# matching PATTERN (-1 when none); the lines start "YYYY-MM-DD HH:MM:SS.mmm".
log_s_after_start() {
    awk -v re="$2" '
        function t(line,   h) { split(substr(line, 12, 12), h, ":"); return h[1] * 3600 + h[2] * 60 + h[3] }
        NR == 1 { t0 = t($0) }
        $0 ~ re { printf "%.2f\n", t($0) - t0; found = 1; exit }
        END { if (!found) print -1 }' "$1"
}

# log_summary LOG: what a launcher said after it started, as comment lines: each distinct
# WARN/ERROR message and each distinct handshake or session line (numbers and addresses
# replaced by N), with how often, at most 8.
log_summary() {
    { sed -n 's/^[0-9-]* [0-9:.]* //p' "$1" | grep -E '^(WARN|ERROR) |HandshakeHandler|handshake|session' |
        sed -E 's/[0-9]+(\.[0-9]+)*/N/g' | sort | uniq -c | sort -rn | head -n 8 | cut -c 1-250 | sed 's/^ */#     /'; } || true
}

# wait_for_device NS TIMEOUT_S: polls until the tunnel device exists in NS.
wait_for_device() {
    local ns=$1 deadline=$((SECONDS + $2))
    until lab exec "$ns" ip link show mlvpn-e2e >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

scenario_compat_setup() {
    (($# == 0)) || bad_args "compat takes no arguments (got: $*)"
    [[ $COMPAT_SECONDS =~ ^[1-9][0-9]{0,3}$ ]] || bad_args "bad E2E_COMPAT_SECONDS '$COMPAT_SECONDS': whole seconds"
    check_launcher
    need python3 curl
    find_old_launcher
    NO_SINGLE_MEDIAN=1
    EXTRA_PROPERTIES=("control.http=127.0.0.1:$CONTROL_PORT")
    lab_up 1 0
    echo "# compat: old launcher $OLD_LAUNCHER (commit $OLD_COMMIT, handshake 1), new launcher $JAR"
}

# compat_pair NAME CLIENT_KIND SERVER_KIND: KIND old (OLD_LAUNCHER) or new (JAR). Both launchers are
# started (logs NAME-server.log and NAME-client.log), the client pings the server's tunnel
# address every 0.2 s for COMPAT_SECONDS, both status JSONs are read, the launchers stopped, and
# their logs searched. Prints comment lines with what each end logged, then the RESULT line.
#   Same versions: PASS when the tunnel carried pings and no refusal line was logged.
#   Mixed: PASS when the tunnel carried pings (they work together), or when it carried none and
#   the new end logged its documented refusal line (server: the handshake 1 line; client: the
#   "no answer" line) at least once and at most once a minute (rate-limited, not per datagram).
#   The old end cannot be changed: what it logged is reported, not judged.
compat_pair() {
    local name=$1 ck=$2 sk=$3 out sent received connected=0 verdict=FAIL cs ss
    local clog="$LAB_STATE/$name-client.log" slog="$LAB_STATE/$name-server.log"
    local c_ref s_ref c_warn s_warn new_ref=-1 new_after=-1 max_lines
    [[ $ck == old ]] && CLIENT_JAR=$OLD_LAUNCHER || CLIENT_JAR=$JAR
    [[ $sk == old ]] && SERVER_JAR=$OLD_LAUNCHER || SERVER_JAR=$JAR
    write_properties 1
    log "compat $name: $ck client, $sk server"
    start_launcher s 1 "$name-server"
    start_launcher c 1 "$name-client"
    wait_for_device c 15 || die "compat $name: the client's tunnel device did not appear (see $clog)"
    log "compat $name: pinging $TUN_SERVER through the tunnel every 0.2 s for ${COMPAT_SECONDS}s"
    out=$(lab exec c ping -n -i 0.2 -W 1 -w "$COMPAT_SECONDS" "$TUN_SERVER" 2>&1) || true
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
    received=$(sed -n 's/^[0-9]* packets transmitted, \([0-9]*\) received.*/\1/p' <<<"$out")
    [[ -n $sent && -n $received ]] || die "compat $name: no ping summary: $(tail -n 3 <<<"$out")"
    ((received == 0)) || connected=1
    cs=$(status_keys c client)
    ss=$(status_keys s server)
    lab pid mlvpn-client >/dev/null 2>&1 || echo "# $name: the client launcher had exited (see ${clog##*/})"
    lab pid mlvpn-server >/dev/null 2>&1 || echo "# $name: the server launcher had exited (see ${slog##*/})"
    stop_tunnel
    SERVER_JAR=""
    CLIENT_JAR=""

    c_ref=$(grep -cE "$ANY_REFUSAL" "$clog" || true)
    s_ref=$(grep -cE "$ANY_REFUSAL" "$slog" || true)
    c_warn=$(grep -cE '^[0-9-]+ [0-9:.]+ (WARN|ERROR) ' "$clog" || true)
    s_warn=$(grep -cE '^[0-9-]+ [0-9:.]+ (WARN|ERROR) ' "$slog" || true)
    max_lines=$((1 + COMPAT_SECONDS / 60))
    if [[ $ck == "$sk" ]]; then
        ((connected && c_ref == 0 && s_ref == 0)) && verdict=PASS
    else
        if [[ $sk == new ]]; then
            new_ref=$(grep -cE "$NEW_SERVER_REFUSAL" "$slog" || true)
            new_after=$(log_s_after_start "$slog" "$NEW_SERVER_REFUSAL")
        else
            new_ref=$(grep -cE "$NEW_CLIENT_REFUSAL" "$clog" || true)
            new_after=$(log_s_after_start "$clog" "$NEW_CLIENT_REFUSAL")
        fi
        if ((connected)) || ((new_ref >= 1 && new_ref <= max_lines)); then
            verdict=PASS
        fi
    fi
    echo "# $name: client ($ck) ${clog##*/}: $c_ref refusal line(s), $c_warn WARN/ERROR line(s); first refusal: $(log_excerpt "$clog" "$ANY_REFUSAL")"
    echo "# $name: client ($ck) said, after its start (count, message with numbers as N):"
    log_summary "$clog"
    echo "# $name: server ($sk) ${slog##*/}: $s_ref refusal line(s), $s_warn WARN/ERROR line(s); first refusal: $(log_excerpt "$slog" "$ANY_REFUSAL")"
    echo "# $name: server ($sk) said, after its start (count, message with numbers as N):"
    log_summary "$slog"
    echo "compat_$name verdict=$verdict connected=$connected pings_sent=$sent pings_received=$received" \
        "client_refusal_lines=$c_ref server_refusal_lines=$s_ref new_end_refusal_lines=$new_ref" \
        "new_end_refusal_after_s=$new_after client_warn_lines=$c_warn server_warn_lines=$s_warn seconds=$COMPAT_SECONDS $cs $ss"
}

scenario_compat() {
    compat_pair new_to_new new new
    compat_pair old_to_old old old
    compat_pair old_to_new old new
    compat_pair new_to_old new old
}

scenario_replay_setup() {
    (($# == 0)) || bad_args "replay takes no arguments (got: $*)"
    [[ $REPLAY_SECONDS =~ ^[1-9][0-9]{0,3}$ ]] || bad_args "bad E2E_REPLAY_SECONDS '$REPLAY_SECONDS': whole seconds"
    [[ $REPLAY_RATE =~ ^[1-9][0-9]{0,5}$ ]] || bad_args "bad E2E_REPLAY_RATE '$REPLAY_RATE': datagrams a second"
    check_launcher
    need python3 curl
    NO_SINGLE_MEDIAN=1
    EXTRA_PROPERTIES=("rekey.interval=${REPLAY_REKEY_S}s" "control.http=127.0.0.1:$CONTROL_PORT")
    lab_up 1 0
}

# replay: the first INIT of the client is recorded off the link at the server's end (an AF_PACKET
# socket on its veth, started before the launchers); once the tunnel is up it is replayed
# REPLAY_RATE times a second onto the link at the client's end (AF_PACKET: the recorded frame, with
# the client's source address and port, as a spoofing host on the path would send it) while the
# client pings the server's tunnel address every 0.2 s for REPLAY_SECONDS and the tunnel rekeys
# every REPLAY_REKEY_S. The replay goes on 2 s before and 3 s after the pings.
# PASS: every ping answered, no session expired without a rekey (either log), the replay reached
# 90 % of its rate, and at least REPLAY_SECONDS / REPLAY_REKEY_S - 1 rekeys happened meanwhile
# (else it proved nothing).
# Why 45 s of pings by default (the issue said about 30): on 7cee88a, whose replayed INITs take
# the rate-limit tokens of the client's rekeys, the session usually expires at +20 s (no rekey
# got through), but once one rekey got through by chance at +13 s and the session expired at
# +33 s, 2 rekey intervals later: 1 s after a 30 s ping window had ended (150 of 150 pings).
scenario_replay() {
    local run=$1 frame="$LAB_STATE/init-frame.bin" port=$((LINK_BASE_PORT + 1)) out sent received
    local rep recorded rekeys stale_lines s_keys c_keys min_rekeys verdict=FAIL count deadline expired
    local cap="$LAB_STATE/init-capture-run$run.txt" replay_log="$LAB_STATE/init-replay-run$run.txt"
    rm -f "$frame"
    lab spawn s init-capture "$cap" python3 "$REPLAY_TOOL" capture "$(lab dev 1 s)" "$port" "$frame" 60 >/dev/null ||
        die "could not start the INIT recorder"
    deadline=$((SECONDS + 10))
    until grep -q '^listening' "$cap"; do
        ((SECONDS < deadline)) || die "the INIT recorder did not start: $(tail -n 3 "$cap")"
        sleep 0.1
    done
    start_tunnel 1 "run$run"
    wait_gone init-capture 10 || die "no INIT recorded: $(tail -n 3 "$cap")"
    [[ -s $frame ]] || die "no INIT recorded: $(tail -n 3 "$cap")"
    recorded=$(tail -n 1 "$cap")
    echo "# replay run $run: $recorded"
    log "replay run $run: replaying it ${REPLAY_RATE}/s from the client's address for $((REPLAY_SECONDS + 5))s"
    lab spawn c init-replay "$replay_log" python3 "$REPLAY_TOOL" send "$(lab dev 1 c)" "$frame" "$REPLAY_RATE" \
        $((REPLAY_SECONDS + 5)) "$port" >/dev/null || die "could not start the INIT replay"
    sleep 2
    count=$((REPLAY_SECONDS * 5))
    log "replay run $run: $count pings through the tunnel, one every 0.2 s, rekey every ${REPLAY_REKEY_S}s"
    out=$(lab exec c ping -n -i 0.2 -W 2 -c "$count" "$TUN_SERVER" 2>&1) || true
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
    received=$(sed -n 's/^[0-9]* packets transmitted, \([0-9]*\) received.*/\1/p' <<<"$out")
    [[ -n $sent && -n $received ]] || die "replay run $run: no ping summary: $(tail -n 3 <<<"$out")"
    grep -E '^[0-9]+ bytes from' <<<"$out" | awk '{ sub(/icmp_seq=/, "", $5); print $5 }' >"$LAB_STATE/ping-replay-run$run.txt" || true
    wait_gone init-replay 15 || { lab stop init-replay >&2 || die "could not stop the INIT replay"; }
    rep=$(sed -n 's/^replay //p' "$replay_log" | tail -n 1)
    [[ -n $rep ]] || die "the INIT replay printed no summary: $(tail -n 3 "$replay_log")"
    s_keys=$(status_keys s server)
    c_keys=$(status_keys c client)
    stop_tunnel
    rekeys=$(grep -c 'established over link .*(rekey)' "$LAB_STATE/client-run$run.log" || true)
    stale_lines=$(grep -c 'refused as stale' "$LAB_STATE/server-run$run.log" || true)
    expired=$(cat "$LAB_STATE/server-run$run.log" "$LAB_STATE/client-run$run.log" | grep -c 'expired without a rekey' || true)
    min_rekeys=$((REPLAY_SECONDS / REPLAY_REKEY_S - 1))
    if ((received == sent && expired == 0 && rekeys >= min_rekeys)) &&
        awk -v r="$(key_value "$rep" rate)" -v t="$REPLAY_RATE" 'BEGIN { exit !(r >= 0.9 * t) }'; then
        verdict=PASS
    fi
    echo "# replay run $run: server said (count, message with numbers as N):"
    log_summary "$LAB_STATE/server-run$run.log"
    echo "# replay run $run: client said (count, message with numbers as N):"
    log_summary "$LAB_STATE/client-run$run.log"
    if ((received != sent)); then
        # The unanswered icmp_seq as ranges (ping numbers from 1, one every 0.2 s from the start).
        echo "# replay run $run: unanswered pings (icmp_seq): $(awk -v n="$sent" '{ got[$1] = 1 } END {
            for (i = 1; i <= n; i++) if (!got[i]) { if (i == last + 1 && s) { last = i; continue }
                if (s) out = out (out ? "," : "") (s == last ? s : s "-" last); s = i; last = i }
            if (s) out = out (out ? "," : "") (s == last ? s : s "-" last); print out }' "$LAB_STATE/ping-replay-run$run.txt")"
    fi
    echo "verdict=$verdict pings_sent=$sent pings_received=$received replays_sent=$(key_value "$rep" sent)" \
        "replay_rate=$(key_value "$rep" rate) replay_seconds=$(key_value "$rep" seconds) replay_skipped=$(key_value "$rep" skipped)" \
        "rekeys=$rekeys rekey_interval_s=$REPLAY_REKEY_S sessions_expired=$expired answers_response=$(key_value "$rep" answers_response)" \
        "answers_reject=$(key_value "$rep" answers_reject) answers_cookie=$(key_value "$rep" answers_cookie)" \
        "server_stale_lines=$stale_lines $s_keys $c_keys"
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
            --[a-z]*) # a scenario's own option and its value (soak --minutes N, ...)
                args+=("$1" "${2:-}")
                shift $(($# >= 2 ? 2 : 1))
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
            throughput | soak | flaps | faults | compat | replay) runs=1 ;;
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
                # A verdict is printed as it is, never part of a median; a FAIL makes the exit 1.
                if [[ $pair =~ ^verdict=(PASS|FAIL)$ ]]; then
                    [[ $pair == verdict=PASS ]] || FAILED_VERDICTS=$((FAILED_VERDICTS + 1))
                    continue
                fi
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
        ((runs == 1 && NO_SINGLE_MEDIAN)) || echo "RESULT $name median${RESULT_TAG:+ $RESULT_TAG}${line}"
    done
    ((FAILED_VERDICTS == 0)) || die "$FAILED_VERDICTS RESULT line(s) with verdict=FAIL"
}

main "$@"
