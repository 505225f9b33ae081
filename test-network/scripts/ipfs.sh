#!/usr/bin/env bash
# A private, offline Kubo (IPFS) node for documents: repo under .run/ipfs, API and gateway on loopback,
# no swarm listeners, no bootstrap peers, daemon started with --offline.
set -euo pipefail
XL_COMPONENT=ipfs
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

export IPFS_PATH="$XL_RUN_DIR/ipfs"

usage() {
    cat <<USAGE
Usage: ipfs.sh <start|stop|health>
  start   init the repo (first time: profile 'test', loopback API :$XL_PORT_IPFS_API, gateway :$XL_PORT_IPFS_GATEWAY,
          no swarm) and start 'ipfs daemon --offline', wait for the API
  stop    stop the daemon this run folder started
  health  exit 0 when the RPC API answers POST /api/v0/id
USAGE
}

health() { curl -fsS --max-time 3 -X POST "http://127.0.0.1:$XL_PORT_IPFS_API/api/v0/id" >/dev/null; }

init_repo() {
    if [[ ! -f "$IPFS_PATH/config" ]]; then
        mkdir -p "$IPFS_PATH"
        ipfs init --profile=test >>"$(log_file ipfs)" 2>&1 || die "ipfs init failed"
        log "initialised IPFS repo $IPFS_PATH"
    fi
    # (Re)apply the addresses every time, so a changed port base takes effect.
    ipfs config Addresses.API "/ip4/127.0.0.1/tcp/$XL_PORT_IPFS_API"
    ipfs config Addresses.Gateway "/ip4/127.0.0.1/tcp/$XL_PORT_IPFS_GATEWAY"
    ipfs config --json Addresses.Swarm '[]'
    ipfs config --json Addresses.Announce '[]'
    ipfs config --json Bootstrap '[]'
    ipfs config --json Discovery.MDNS.Enabled false
}

start() {
    mkdir -p "$XL_RUN_DIR/logs"
    init_repo
    start_process ipfs "$XL_RUN_DIR" ipfs daemon --offline
    wait_started ipfs "IPFS API" 60 health || { die "IPFS did not become healthy"; }
    log "IPFS (Kubo $(ipfs version --number)) API http://127.0.0.1:$XL_PORT_IPFS_API, gateway http://127.0.0.1:$XL_PORT_IPFS_GATEWAY"
}

case "${1:-}" in
    start) use_binaries ipfs; start ;;
    stop) stop_process ipfs ;;
    health) health ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
esac
