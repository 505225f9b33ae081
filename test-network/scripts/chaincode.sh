#!/usr/bin/env bash
# Chaincode 'xinlian' as a service: package (metadata type "ccaas" + connection.json), install on every
# peer, approve for every org, commit with the endorsement policy and collections from
# network-config/chaincode, and run ONE Node.js chaincode server (fabric-chaincode-node server, TLS)
# that every peer dials.
set -euo pipefail
XL_COMPONENT=chaincode
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$XL_CONFIG_DIR/chaincode/chaincode.env"

CC_SRC="$XL_REPO_DIR/chaincode"
CC_RUN="$XL_RUN_DIR/chaincode"
CC_PKG="$CC_RUN/$CC_NAME.tar.gz"
CC_TLS="$(org_dir platform)/users/xinlian-cc/tls"

usage() {
    cat <<USAGE
Usage: chaincode.sh <build|package|start|stop|health|install|approve|commit|deploy|id>

  build    compile the chaincode workspace (npm ci at the repo root first if node_modules is missing)
  package  write $CC_NAME.tar.gz (deterministic, so the package id only changes with the address)
  start    start the chaincode server on 127.0.0.1:$XL_PORT_CHAINCODE (needs the package id)
  stop     stop the chaincode server
  health   exit 0 when the chaincode server accepts TLS connections
  install  install the package on every peer        approve  approve the definition for every org
  commit   commit the definition (all three peers endorse the commit)
  deploy   build + package + start + install + approve + commit, each step skipped when already done
  id       print the package id
USAGE
}

build() {
    if [[ ! -d "$XL_REPO_DIR/node_modules/fabric-shim" ]]; then
        log "node_modules missing: npm ci at $XL_REPO_DIR"
        (cd "$XL_REPO_DIR" && npm ci --no-audit --no-fund) >>"$XL_RUN_DIR/logs/npm.log" 2>&1 || die "npm ci failed (see $XL_RUN_DIR/logs/npm.log)"
    fi
    log "building chaincode (npx tsc -b chaincode)"
    if ! (cd "$XL_REPO_DIR" && npx tsc -b chaincode) >"$XL_RUN_DIR/logs/chaincode-build.log" 2>&1; then
        # tsc (5.6+) still emits JavaScript when there are type errors; a work-in-progress module elsewhere
        # in the workspace should not stop the network, so go on with a loud warning.
        grep -m 5 'error TS' "$XL_RUN_DIR/logs/chaincode-build.log" >&2 || true
        warn "chaincode type-check failed (see $XL_RUN_DIR/logs/chaincode-build.log); continuing with the emitted dist/"
    fi
    [[ -f "$CC_SRC/dist/index.js" ]] || die "no $CC_SRC/dist/index.js after the build"
    (cd "$CC_SRC" && node -e 'const m = require("./dist/index.js"); if (!Array.isArray(m.contracts) || m.contracts.length === 0) process.exit(1)' >/dev/null 2>&1) ||
        die "$CC_SRC/dist/index.js does not export a non-empty 'contracts' array"
}

package() {
    local work="$CC_RUN/pkg" XL_CC_ROOT_CERT
    rm -rf "$work" && mkdir -p "$work/code"
    XL_CC_ROOT_CERT="$(jq -Rs . <"$CC_TLS/ca.crt" | sed 's/^"//; s/"$//')"
    render_template "$XL_CONFIG_DIR/chaincode/connection.json" "$work/code/connection.json"
    jq -e .address "$work/code/connection.json" >/dev/null || die "bad connection.json"
    printf '{"type":"ccaas","label":"%s"}\n' "$XL_CC_LABEL" >"$work/metadata.json"
    local tarflags=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner)
    tar "${tarflags[@]}" -C "$work/code" -cf - connection.json | gzip -n >"$work/code.tar.gz"
    tar "${tarflags[@]}" -C "$work" -cf - metadata.json code.tar.gz | gzip -n >"$CC_PKG.tmp"
    mv "$CC_PKG.tmp" "$CC_PKG"
    package_id >"$CC_RUN/package-id"
    log "packaged $CC_PKG, id $(cat "$CC_RUN/package-id")"
}

package_id() { FABRIC_CFG_PATH="$XL_RUNCFG_DIR/peer" peer lifecycle chaincode calculatepackageid "$CC_PKG"; }
current_id() { [[ -f "$CC_RUN/package-id" ]] || die "not packaged yet"; cat "$CC_RUN/package-id"; }

health() { tls_ok "127.0.0.1:$XL_PORT_CHAINCODE" "$CC_TLS/ca.crt"; }

start() {
    local id shim="$XL_REPO_DIR/node_modules/.bin/fabric-chaincode-node"
    id="$(current_id)"
    [[ -x "$shim" ]] || die "fabric-chaincode-node not found at $shim (npm ci at the repo root)"
    # node runs the shim's CLI directly (what 'npx fabric-chaincode-node' would run), so the recorded pid
    # is the server itself and 'down' stops exactly it.
    start_process chaincode "$CC_SRC" env CHAINCODE_ID="$id" CHAINCODE_SERVER_ADDRESS="127.0.0.1:$XL_PORT_CHAINCODE" \
        node "$(readlink -f "$shim")" server \
        --chaincode-address "127.0.0.1:$XL_PORT_CHAINCODE" --chaincode-id "$id" \
        --chaincode-tls-cert-file "$CC_TLS/server.crt" --chaincode-tls-key-file "$CC_TLS/server.key"
    wait_started chaincode "chaincode server" 60 health || { die "chaincode server did not start"; }
    log "chaincode server up on 127.0.0.1:$XL_PORT_CHAINCODE ($id)"
}

orderer_args() { echo -o "127.0.0.1:$XL_PORT_ORDERER_1" --tls --cafile "$(orderer_tls_root)"; }

install() {
    local id org
    id="$(current_id)"
    for org in "${XL_PEER_ORGS[@]}"; do
        (
            peer_env "$org"
            if peer lifecycle chaincode queryinstalled --output json 2>/dev/null | jq -e --arg id "$id" '.installed_chaincodes // [] | any(.package_id == $id)' >/dev/null; then
                log "already installed on peer0.$org"; exit 0
            fi
            peer lifecycle chaincode install "$CC_PKG" >>"$XL_RUN_DIR/logs/peer-cli.log" 2>&1 || peer_cli_failed "install on peer0.$org failed"
            log "installed on peer0.$org"
        )
    done
}

definition_args() {
    echo --channelID "$XL_CHANNEL" --name "$CC_NAME" --version "$CC_VERSION" --sequence "$CC_SEQUENCE"
}

# network_up: every peer and orderer of this run folder is running and answers; deploy needs them all.
network_up() {
    local org n
    [[ -f "$XL_RUN_DIR/orderers" && -f "$XL_RUN_DIR/channel/$XL_CHANNEL.block" ]] || return 1
    for org in "${XL_PEER_ORGS[@]}"; do
        is_running "peer0-$org" && "$XL_NET_DIR/scripts/peer.sh" health "$org" >/dev/null 2>&1 || return 1
    done
    for ((n = 1; n <= $(orderer_count); n++)); do
        is_running "orderer$n" || return 1
    done
}

# peer_cli_failed WHAT: show the peer CLI's own error lines (not its usage text), then die.
peer_cli_failed() {
    local cli_log="$XL_RUN_DIR/logs/peer-cli.log"
    grep -E '^Error|ERRO|FATA|error' "$cli_log" | tail -3 >&2 || tail -5 "$cli_log" >&2
    die "$1 (peer CLI log $cli_log)"
}

committed() { # true when the definition with our sequence is committed
    (peer_env platform; peer lifecycle chaincode querycommitted --channelID "$XL_CHANNEL" --name "$CC_NAME" --output json 2>/dev/null |
        jq -e --argjson s "$CC_SEQUENCE" '.sequence == $s' >/dev/null)
}

approve() {
    local id org
    id="$(current_id)"
    # Already committed: nothing to approve (commit says so, once).
    if committed; then return 0; fi
    for org in "${XL_PEER_ORGS[@]}"; do
        (
            peer_env "$org"
            # shellcheck disable=SC2046
            if peer lifecycle chaincode checkcommitreadiness $(definition_args) --signature-policy "$CC_SIGNATURE_POLICY" \
                --collections-config "$XL_CONFIG_DIR/chaincode/$CC_COLLECTIONS" --output json 2>/dev/null |
                jq -e --arg m "$(msp_id "$org")" '.approvals[$m] == true' >/dev/null; then
                log "$(msp_id "$org") already approved"; exit 0
            fi
            # shellcheck disable=SC2046
            peer lifecycle chaincode approveformyorg $(orderer_args) $(definition_args) --package-id "$id" \
                --signature-policy "$CC_SIGNATURE_POLICY" --collections-config "$XL_CONFIG_DIR/chaincode/$CC_COLLECTIONS" \
                --waitForEvent >>"$XL_RUN_DIR/logs/peer-cli.log" 2>&1 || peer_cli_failed "approve by $(msp_id "$org") failed"
            log "$(msp_id "$org") approved $CC_NAME $CC_VERSION sequence $CC_SEQUENCE"
        )
    done
}

commit() {
    local peers=() org
    if committed; then log "definition sequence $CC_SEQUENCE already committed"; return 0; fi
    for org in "${XL_PEER_ORGS[@]}"; do peers+=(--peerAddresses "127.0.0.1:$(port PEER "$org")" --tlsRootCertFiles "$(org_tls_root "$org")"); done
    (
        peer_env platform
        # shellcheck disable=SC2046
        peer lifecycle chaincode commit $(orderer_args) $(definition_args) --signature-policy "$CC_SIGNATURE_POLICY" \
            --collections-config "$XL_CONFIG_DIR/chaincode/$CC_COLLECTIONS" "${peers[@]}" --waitForEvent \
            >>"$XL_RUN_DIR/logs/peer-cli.log" 2>&1 || peer_cli_failed "commit failed"
    )
    log "committed $CC_NAME $CC_VERSION sequence $CC_SEQUENCE on $XL_CHANNEL"
}

main() {
    local cmd="${1:-}"
    mkdir -p "$CC_RUN" "$XL_RUN_DIR/logs"
    case "$cmd" in
        build) build ;;
        package) use_binaries peer; package ;;
        start) start ;;
        stop) stop_process chaincode ;;
        health) health ;;
        install) use_binaries peer; install ;;
        approve) use_binaries peer; approve ;;
        commit) use_binaries peer; commit ;;
        deploy)
            # "not up" first: without a network, the missing binaries are not what to fix first
            network_up || die "the network is not up; run network.sh up first ('network.sh status' shows what is stopped)"
            use_binaries peer
            build
            package
            # A running server must be restarted when it serves another package id (e.g. another port) or
            # when the build produced newer JavaScript than the server loaded.
            if is_running chaincode; then
                if ! env_has "$(cat "$(pid_file chaincode)")" "CHAINCODE_ID=$(current_id)"; then
                    log "restarting the chaincode server: package id changed"; stop_process chaincode
                elif [[ -n "$(find "$CC_SRC/dist" -name '*.js' -newer "$(pid_file chaincode)" -print -quit)" ]]; then
                    log "restarting the chaincode server: chaincode/dist changed"; stop_process chaincode
                fi
            fi
            start; install; approve; commit
            ;;
        id) current_id ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
