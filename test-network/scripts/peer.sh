#!/usr/bin/env bash
# One peer per peer org (platform, bank, partner): LevelDB state, TLS, operations endpoint, external
# chaincode builder for chaincode-as-a-service; joins channel xinlian with the genesis block.
set -euo pipefail
XL_COMPONENT=peer
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

usage() {
    cat <<USAGE
Usage: peer.sh <config|start|stop|health|join> [ORG...]   (ORG: ${XL_PEER_ORGS[*]}; default all)

  config  render .run/config/peer/core.yaml (sampleconfig + network-config/peer/core-overrides.yaml);
          the peer CLI uses the same file
  start   start peer0 of each ORG, wait for /healthz
  stop    stop the peers this run folder started
  health  exit 0 when every peer answers /healthz over TLS
  join    join each ORG's peer to channel '$XL_CHANNEL' as the org admin (idempotent)
USAGE
}

render_config() {
    render_template "$XL_CONFIG_DIR/peer/core-overrides.yaml" "$XL_RUNCFG_DIR/peer/overrides.yaml"
    merge_yaml "$XL_FABRIC_SAMPLECONFIG/core.yaml" "$XL_RUNCFG_DIR/peer/overrides.yaml" "$XL_RUNCFG_DIR/peer/core.yaml"
}

peer_envs() { # peer_envs ORG -> env assignments for the org's peer
    local org="$1" d addr
    d="$(peer_dir "$org")"; addr="127.0.0.1:$(port PEER "$org")"
    echo FABRIC_CFG_PATH="$XL_RUNCFG_DIR/peer"
    echo CORE_PEER_ID="$(peer_host "$org")"
    echo CORE_PEER_ADDRESS="$addr"
    echo CORE_PEER_LISTENADDRESS="$addr"
    echo CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$(port PEERCC "$org")"
    echo CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$(port PEERCC "$org")"
    echo CORE_PEER_GOSSIP_BOOTSTRAP="$addr"
    echo CORE_PEER_GOSSIP_ENDPOINT="$addr"
    echo CORE_PEER_GOSSIP_EXTERNALENDPOINT="$addr"
    echo CORE_PEER_LOCALMSPID="$(msp_id "$org")"
    echo CORE_PEER_MSPCONFIGPATH="$d/msp"
    echo CORE_PEER_TLS_CERT_FILE="$d/tls/server.crt"
    echo CORE_PEER_TLS_KEY_FILE="$d/tls/server.key"
    echo CORE_PEER_TLS_ROOTCERT_FILE="$d/tls/ca.crt"
    echo CORE_PEER_FILESYSTEMPATH="$XL_LEDGER_DIR/peer0.$org"
    echo CORE_LEDGER_SNAPSHOTS_ROOTDIR="$XL_LEDGER_DIR/peer0.$org/snapshots"
    echo CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$(port PEEROPS "$org")"
    echo CORE_OPERATIONS_TLS_CERT_FILE="$d/tls/server.crt"
    echo CORE_OPERATIONS_TLS_KEY_FILE="$d/tls/server.key"
}

# healthy = operations /healthz answers AND the gRPC listener (opened after ledger recovery) accepts TLS
health_one() {
    https_ok "https://127.0.0.1:$(port PEEROPS "$1")/healthz" "$(org_tls_root "$1")" &&
        tls_ok "127.0.0.1:$(port PEER "$1")" "$(org_tls_root "$1")"
}

start_one() {
    local org="$1" envs
    mkdir -p "$XL_LEDGER_DIR/peer0.$org"
    mapfile -t envs < <(peer_envs "$org")
    start_process "peer0-$org" "$XL_RUN_DIR" env "${envs[@]}" peer node start
}

wait_one() {
    wait_started "peer0-$1" "peer0.$1 /healthz" 60 health_one "$1" || { die "peer0.$1 did not become healthy"; }
    log "peer0.$1 healthy (127.0.0.1:$(port PEER "$1"))"
}

join_one() {
    local org="$1" block="$XL_RUN_DIR/channel/$XL_CHANNEL.block"
    [[ -f "$block" ]] || die "no genesis block at $block; run orderer.sh channel first"
    (
        peer_env "$org"
        if grep -qx "$XL_CHANNEL" <<<"$(peer channel list 2>/dev/null || true)"; then
            log "peer0.$org already joined $XL_CHANNEL"
            exit 0
        fi
        peer channel join -b "$block" >>"$XL_RUN_DIR/logs/peer-cli.log" 2>&1 || { tail -5 "$XL_RUN_DIR/logs/peer-cli.log" >&2; die "peer0.$org could not join"; }
        log "peer0.$org joined $XL_CHANNEL"
    )
}

main() {
    local cmd="${1:-}"; shift || true
    local orgs=("$@"); ((${#orgs[@]})) || orgs=("${XL_PEER_ORGS[@]}")
    case "$cmd" in
        config) render_config ;;
        start) use_binaries peer; render_config; for o in "${orgs[@]}"; do start_one "$o"; done; for o in "${orgs[@]}"; do wait_one "$o"; done ;;
        stop) for o in "${orgs[@]}"; do stop_process "peer0-$o"; done ;;
        health) for o in "${orgs[@]}"; do health_one "$o" || return 1; done ;;
        join) use_binaries peer; for o in "${orgs[@]}"; do join_one "$o"; done ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
