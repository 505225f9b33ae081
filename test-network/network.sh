#!/usr/bin/env bash
# Xinlian native Fabric test network: Fabric CAs, Raft orderer(s), three peers, Kubo and the chaincode
# server, all as local processes on 127.0.0.1 with pid files and logs under test-network/.run.
set -euo pipefail
XL_COMPONENT=network
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
S="$XL_NET_DIR/scripts"

usage() {
    cat <<USAGE
Usage: network.sh <command> [--orderers 1|3]

Commands:
  up        build/check binaries, start CAs (enroll identities), orderer(s), channel '$XL_CHANNEL', peers,
            Kubo; restart the chaincode server if the chaincode was deployed before. Harmless when running.
  deploy    build, package, install, approve and commit chaincode '$XL_CC_NAME' (chaincode-as-a-service)
            and start its server. Harmless when deployed.
  smoke     end-to-end check as the CA-enrolled platform-admin user (scripts/smoke.sh)
  status    each process: pid, running, healthy; exits 1 when an expected process is stopped or unhealthy
  down      stop exactly the processes recorded in .run/pids (TERM, wait, KILL); keeps crypto and ledgers
  clean     down, then delete .run (crypto, ledgers, channel, logs, the gateway data folder of gateway-env)
  install   only build/check the binaries (scripts/install-binaries.sh)
  gateway-env [ORG...]
            print the REST gateway's settings for this network as export lines:
            eval "\$(test-network/network.sh gateway-env)" && npm start   (scripts/gateway-env.sh --help)

Options:
  --orderers N   Raft orderers (1 default, or 3); fixed when the network is first created
  -h, --help     this help

Environment: XINLIAN_PORT_BASE (default 27000; see README for offsets and per-port variables),
XINLIAN_FABRIC_CACHE (binary cache, default ~/.cache/xinlian/fabric), XINLIAN_BATCH_TIMEOUT (default 300ms).
USAGE
}

ALL_PROCESSES=(chaincode peer0-platform peer0-bank peer0-partner orderer1 orderer2 orderer3 ipfs ca-platform ca-bank ca-partner ca-orderer)

write_endpoints() {
    local n
    n="$(orderer_count)"
    render_template "$XL_CONFIG_DIR/gateway/endpoints.template.json" "$XL_RUN_DIR/gateway/endpoints.tmp.json"
    jq --argjson n "$n" '.orderers |= .[:$n]' "$XL_RUN_DIR/gateway/endpoints.tmp.json" >"$XL_RUN_DIR/gateway/endpoints.json"
    rm -f "$XL_RUN_DIR/gateway/endpoints.tmp.json"
}

cmd_up() {
    local requested="$1" t0=$SECONDS
    "$S/install-binaries.sh"
    mkdir -p "$XL_RUN_DIR/pids" "$XL_RUN_DIR/logs"
    if [[ -f "$XL_RUN_DIR/orderers" ]]; then
        if [[ -n "$requested" && "$requested" != "$(cat "$XL_RUN_DIR/orderers")" ]]; then
            die "this network was created with $(cat "$XL_RUN_DIR/orderers") orderer(s); run 'network.sh clean' before --orderers $requested"
        fi
    else
        echo "${requested:-${XINLIAN_ORDERERS:-1}}" >"$XL_RUN_DIR/orderers"
    fi
    log "bringing up the network ($(orderer_count) orderer(s)) in $XL_RUN_DIR"
    "$S/ca.sh" start
    "$S/ca.sh" enroll
    "$S/orderer.sh" start
    "$S/orderer.sh" channel
    "$S/peer.sh" start
    "$S/peer.sh" join
    "$S/ipfs.sh" start
    if [[ -f "$XL_RUN_DIR/chaincode/package-id" ]]; then "$S/chaincode.sh" start; fi
    write_endpoints
    log "network up in $((SECONDS - t0))s; endpoints for the gateway: $XL_RUN_DIR/gateway/endpoints.json"
}

health_of() {
    case "$1" in
        ca-*) "$S/ca.sh" health "${1#ca-}" ;;
        orderer*) "$S/orderer.sh" health "${1#orderer}" ;;
        peer0-*) "$S/peer.sh" health "${1#peer0-}" ;;
        ipfs) "$S/ipfs.sh" health ;;
        chaincode) "$S/chaincode.sh" health ;;
    esac
}

# expected_processes: what a network created in this run folder runs (the chaincode server once deployed)
expected_processes() {
    local n
    [[ -f "$XL_RUN_DIR/chaincode/package-id" ]] && echo chaincode
    echo peer0-platform peer0-bank peer0-partner
    for ((n = 1; n <= $(orderer_count); n++)); do echo "orderer$n"; done
    echo ipfs ca-platform ca-bank ca-partner ca-orderer
}

cmd_status() {
    local name pid state health bad=0 expected
    if [[ ! -f "$XL_RUN_DIR/orderers" ]]; then
        log "no network in $XL_RUN_DIR (run network.sh up)"
        return 1
    fi
    expected=" $(expected_processes | tr '\n' ' ') "
    printf '%-16s %-8s %-8s %s\n' PROCESS PID STATE HEALTH
    for name in "${ALL_PROCESSES[@]}"; do
        if [[ -f "$(pid_file "$name")" ]]; then
            pid="$(cat "$(pid_file "$name")")"
        elif [[ "$expected" == *" $name "* ]]; then
            pid=-
        else
            continue
        fi
        if is_running "$name"; then
            state=running
            if health_of "$name" >/dev/null 2>&1; then health=healthy; else health=UNHEALTHY; bad=$((bad + 1)); fi
        else
            state=stopped health=-; bad=$((bad + 1))
        fi
        printf '%-16s %-8s %-8s %s\n' "$name" "$pid" "$state" "$health"
    done
    if [[ -f "$XL_RUN_DIR/chaincode/package-id" ]]; then log "chaincode package $(cat "$XL_RUN_DIR/chaincode/package-id")"; fi
    if ((bad)); then
        warn "$bad process(es) stopped or unhealthy (logs in $XL_RUN_DIR/logs; 'network.sh up' starts what is stopped)"
        return 1
    fi
}

cmd_down() {
    local name running=0
    for name in "${ALL_PROCESSES[@]}"; do is_running "$name" && running=$((running + 1)); done
    # stop_process also removes the pid files of processes that are gone
    for name in "${ALL_PROCESSES[@]}"; do stop_process "$name"; done
    [[ "${1:-}" == quiet ]] && return 0
    if ((running)); then
        log "network down (crypto and ledgers kept in $XL_RUN_DIR; 'clean' removes them)"
    else
        log "no network to stop: no process of $XL_RUN_DIR is running"
    fi
}

cmd_clean() {
    if [[ ! -e "$XL_RUN_DIR" ]]; then
        log "nothing to remove: $XL_RUN_DIR does not exist"
        return 0
    fi
    cmd_down quiet
    rm -rf "$XL_RUN_DIR"
    log "removed $XL_RUN_DIR (crypto, ledgers, logs); a gateway data folder used with this network holds identities it no longer trusts: empty it too"
}

main() {
    local cmd="" orderers=""
    if [[ "${1:-}" == gateway-env ]]; then
        shift
        exec "$S/gateway-env.sh" "$@"
    fi
    while (($#)); do
        case "$1" in
            --orderers)
                [[ $# -ge 2 && -n "$2" ]] || { usage >&2; die "--orderers needs a value: 1 or 3"; }
                orderers="$2"; shift ;;
            --orderers=*) orderers="${1#*=}" ;;
            -h | --help) usage; exit 0 ;;
            up | deploy | smoke | status | down | clean | install) cmd="$1" ;;
            gateway-env) die "gateway-env must come first: network.sh gateway-env [ORG...]" ;;
            *) usage >&2; die "unknown argument $1" ;;
        esac
        shift
    done
    [[ -z "$orderers" || "$orderers" == 1 || "$orderers" == 3 ]] || die "--orderers must be 1 or 3"
    require_cmd curl jq yq envsubst openssl node tar gzip
    case "$cmd" in
        up) cmd_up "$orderers" ;;
        deploy) local t0=$SECONDS; "$S/chaincode.sh" deploy; write_endpoints; log "deploy took $((SECONDS - t0))s" ;;
        smoke) "$S/smoke.sh" ;;
        status) cmd_status ;;
        down) cmd_down ;;
        clean) cmd_clean ;;
        install) "$S/install-binaries.sh" ;;
        "") usage; exit 2 ;;
    esac
}

main "$@"
