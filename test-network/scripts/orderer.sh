#!/usr/bin/env bash
# Raft ordering nodes (1 or 3) of OrdererMSP, and the channel: the genesis block comes from
# configtxgen -outputBlock and each orderer joins through the channel participation API (osnadmin).
set -euo pipefail
XL_COMPONENT=orderer
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

usage() {
    cat <<USAGE
Usage: orderer.sh <config|start|stop|health|channel> [N...]   (N: 1 2 3; default 1..$(orderer_count))

  config   render .run/config/orderer/orderer.yaml (sampleconfig + network-config/orderer overrides) and
           .run/config/configtx/configtx.yaml (network-config/configtx.yaml over sampleconfig, cut to the
           number of orderers)
  start    start orderer N (config first), wait for /healthz
  stop     stop orderer N (only the pid this run folder recorded)
  health   exit 0 when every orderer answers /healthz over TLS
  channel  create the genesis block of channel '$XL_CHANNEL' and join every orderer (idempotent)
USAGE
}

render_config() {
    local n
    n="$(orderer_count)"
    render_template "$XL_CONFIG_DIR/orderer/orderer-overrides.yaml" "$XL_RUNCFG_DIR/orderer/overrides.yaml"
    merge_yaml "$XL_FABRIC_SAMPLECONFIG/orderer.yaml" "$XL_RUNCFG_DIR/orderer/overrides.yaml" "$XL_RUNCFG_DIR/orderer/orderer.yaml"
    render_template "$XL_CONFIG_DIR/configtx.yaml" "$XL_RUNCFG_DIR/configtx/ours.yaml"
    merge_yaml "$XL_FABRIC_SAMPLECONFIG/configtx.yaml" "$XL_RUNCFG_DIR/configtx/ours.yaml" "$XL_RUNCFG_DIR/configtx/merged.yaml"
    # Keep only the consenters / endpoints of the orderers this network runs.
    yq -y --argjson n "$n" '
        .Profiles.XinlianChannel.Orderer.EtcdRaft.Consenters |= .[:$n]
        | .Profiles.XinlianChannel.Orderer.Organizations[0].OrdererEndpoints |= .[:$n]
        | .Orderer.EtcdRaft.Consenters |= .[:$n]' \
        "$XL_RUNCFG_DIR/configtx/merged.yaml" >"$XL_RUNCFG_DIR/configtx/configtx.yaml"
}

orderer_envs() { # orderer_envs N -> env assignments for orderer N
    local n="$1" d tls
    d="$(orderer_dir "$n")"; tls="$d/tls"
    echo FABRIC_CFG_PATH="$XL_RUNCFG_DIR/orderer"
    echo ORDERER_GENERAL_LISTENADDRESS=127.0.0.1
    echo ORDERER_GENERAL_LISTENPORT="$(port ORDERER "$n")"
    echo ORDERER_GENERAL_LOCALMSPDIR="$d/msp"
    echo ORDERER_GENERAL_TLS_PRIVATEKEY="$tls/server.key"
    echo ORDERER_GENERAL_TLS_CERTIFICATE="$tls/server.crt"
    echo ORDERER_GENERAL_TLS_ROOTCAS="[$tls/ca.crt]"
    # Raft traffic shares the general listener; the same TLS pair authenticates this node to the others.
    echo ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$tls/server.crt"
    echo ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$tls/server.key"
    echo ORDERER_GENERAL_CLUSTER_ROOTCAS="[$tls/ca.crt]"
    echo ORDERER_FILELEDGER_LOCATION="$XL_LEDGER_DIR/orderer$n"
    echo ORDERER_CONSENSUS_WALDIR="$XL_LEDGER_DIR/orderer$n/etcdraft/wal"
    echo ORDERER_CONSENSUS_SNAPDIR="$XL_LEDGER_DIR/orderer$n/etcdraft/snapshot"
    echo ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$(port OSNADMIN "$n")"
    echo ORDERER_ADMIN_TLS_CERTIFICATE="$tls/server.crt"
    echo ORDERER_ADMIN_TLS_PRIVATEKEY="$tls/server.key"
    echo ORDERER_ADMIN_TLS_ROOTCAS="[$tls/ca.crt]"
    echo ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$tls/ca.crt]"
    echo ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$(port ORDOPS "$n")"
    echo ORDERER_OPERATIONS_TLS_CERTIFICATE="$tls/server.crt"
    echo ORDERER_OPERATIONS_TLS_PRIVATEKEY="$tls/server.key"
    # /metrics needs a client certificate from this CA (we read the Raft leader gauge from it)
    echo ORDERER_OPERATIONS_TLS_CLIENTROOTCAS="[$tls/ca.crt]"
}

# healthy = operations /healthz answers AND the gRPC and admin listeners accept TLS
health_one() {
    https_ok "https://127.0.0.1:$(port ORDOPS "$1")/healthz" "$(orderer_tls_root)" &&
        tls_ok "127.0.0.1:$(port ORDERER "$1")" "$(orderer_tls_root)"
}

start_one() {
    local n="$1" envs
    mkdir -p "$XL_LEDGER_DIR/orderer$n"
    mapfile -t envs < <(orderer_envs "$n")
    start_process "orderer$n" "$XL_RUN_DIR" env "${envs[@]}" orderer
}

wait_one() {
    wait_started "orderer$1" "orderer$1 /healthz" 60 health_one "$1" || { die "orderer$1 did not become healthy"; }
    log "orderer$1 healthy (127.0.0.1:$(port ORDERER "$1"), admin :$(port OSNADMIN "$1"))"
}

osnadmin_args() {
    local admin
    admin="$(org_dir orderer)/users/$(org_admin orderer)/tls"
    echo -o "127.0.0.1:$(port OSNADMIN "$1")" --ca-file "$(orderer_tls_root)" --client-cert "$admin/server.crt" --client-key "$admin/server.key"
}

# has_leader N...: some orderer reports that it is the Raft leader of the channel. After a (re)start the
# channel accepts transactions only once an election is over (about 5 s: ElectionTick x TickInterval).
has_leader() {
    local n admin metrics
    admin="$(org_dir orderer)/users/$(org_admin orderer)/tls"
    for n in "$@"; do
        metrics="$(curl -fsS --max-time 3 --cacert "$(orderer_tls_root)" --cert "$admin/server.crt" --key "$admin/server.key" \
            "https://127.0.0.1:$(port ORDOPS "$n")/metrics" 2>/dev/null || true)"
        grep -Fqx "consensus_etcdraft_is_leader{channel=\"$XL_CHANNEL\"} 1" <<<"$metrics" && return 0
    done
    return 1
}

create_channel() {
    local block="$XL_RUN_DIR/channel/$XL_CHANNEL.block" n
    mkdir -p "$XL_RUN_DIR/channel"
    if [[ ! -f "$block" ]]; then
        configtxgen -configPath "$XL_RUNCFG_DIR/configtx" -profile XinlianChannel -channelID "$XL_CHANNEL" \
            -outputBlock "$block" >>"$XL_RUN_DIR/logs/configtxgen.log" 2>&1 || { tail -20 "$XL_RUN_DIR/logs/configtxgen.log" >&2; die "configtxgen failed"; }
        log "genesis block of $XL_CHANNEL written to $block"
    fi
    for n in "$@"; do
        # shellcheck disable=SC2046
        if grep -q '"name"' <<<"$(osnadmin channel list --channelID "$XL_CHANNEL" $(osnadmin_args "$n") 2>/dev/null || true)"; then
            log "orderer$n already serves $XL_CHANNEL"
            continue
        fi
        # shellcheck disable=SC2046
        osnadmin channel join --channelID "$XL_CHANNEL" --config-block "$block" $(osnadmin_args "$n") >>"$XL_RUN_DIR/logs/osnadmin.log" 2>&1 ||
            { tail -5 "$XL_RUN_DIR/logs/osnadmin.log" >&2; die "orderer$n could not join $XL_CHANNEL"; }
        log "orderer$n joined $XL_CHANNEL"
    done
    wait_until "a Raft leader for $XL_CHANNEL" 60 has_leader "$@" || die "no Raft leader for $XL_CHANNEL after 60 s"
    log "Raft leader elected for $XL_CHANNEL"
}

main() {
    local cmd="${1:-}"; shift || true
    local ns=("$@"); ((${#ns[@]})) || mapfile -t ns < <(seq 1 "$(orderer_count)")
    case "$cmd" in
        config) render_config ;;
        start) use_binaries orderer; render_config; for n in "${ns[@]}"; do start_one "$n"; done; for n in "${ns[@]}"; do wait_one "$n"; done ;;
        stop) for n in "${ns[@]}"; do stop_process "orderer$n"; done ;;
        health) for n in "${ns[@]}"; do health_one "$n" || return 1; done ;;
        channel) use_binaries configtxgen osnadmin; create_channel "${ns[@]}" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
