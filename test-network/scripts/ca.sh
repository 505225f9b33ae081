#!/usr/bin/env bash
# One Fabric CA server per org (platform, bank, partner, orderer), and the crypto material built from
# them: every node and user identity is registered and enrolled here (no cryptogen). Each CA also
# issues its org's TLS certificates (enrollment profile "tls").
set -euo pipefail
XL_COMPONENT=ca
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$XL_CONFIG_DIR/ca/ca-overrides.env"

ALL_ORGS=(platform bank partner orderer)

usage() {
    cat <<USAGE
Usage: ca.sh <start|stop|enroll|health> [ORG...]    (ORG: ${ALL_ORGS[*]}; default all)

  start   initialise (first time) and start the CA server of each ORG, wait for /cainfo
  stop    stop the CA servers this run folder started
  enroll  register + enroll every identity of ORG listed in network-config/ca/identities.tsv and lay
          out the org MSP, node MSP/TLS folders and user MSPs under .run/crypto (idempotent)
  health  exit 0 when every ORG's CA answers /cainfo over TLS
USAGE
}

ca_url() { echo "https://127.0.0.1:$(port CA "$1")"; }
ca_name() { echo "ca-$1"; }

start_ca() {
    local org="$1" home="$XL_RUN_DIR/ca/$1"
    mkdir -p "$home"
    start_process "ca-$org" "$home" fabric-ca-server start \
        --home "$home" \
        --boot "$CA_BOOTSTRAP_USER:$CA_BOOTSTRAP_SECRET" \
        --address 127.0.0.1 --port "$(port CA "$org")" \
        --ca.name "$(ca_name "$org")" \
        --csr.cn "ca.$(org_domain "$org")" --csr.hosts "$CA_CSR_HOSTS" \
        --tls.enabled \
        --db.type "$CA_DB_TYPE" \
        --registry.maxenrollments "$CA_REGISTRY_MAXENROLLMENTS" \
        --operations.listenaddress "127.0.0.1:$(port CAOPS "$org")"
}

health_ca() {
    local org="$1"
    [[ -f "$(ca_tls_cert "$org")" ]] && https_ok "$(ca_url "$org")/cainfo" "$(ca_tls_cert "$org")"
}

wait_ca() {
    wait_started "ca-$1" "CA $1 /cainfo" 60 health_ca "$1" || { die "CA $1 did not become healthy"; }
    log "CA $1 healthy on $(ca_url "$1")"
}

client() { # client ORG ARGS...: fabric-ca-client as the org's CA bootstrap admin
    local org="$1"; shift
    FABRIC_CA_CLIENT_HOME="$XL_RUN_DIR/ca-client/$org" fabric-ca-client "$@" \
        --caname "$(ca_name "$org")" --tls.certfiles "$(ca_tls_cert "$org")" >>"$XL_RUN_DIR/logs/ca-client-$org.log" 2>&1
}

node_ou_config() { # node_ou_config MSPDIR: Node OUs against cacerts/ca.pem
    cat >"$1/config.yaml" <<YAML
NodeOUs:
  Enable: true
  ClientOUIdentifier: { Certificate: cacerts/ca.pem, OrganizationalUnitIdentifier: client }
  PeerOUIdentifier: { Certificate: cacerts/ca.pem, OrganizationalUnitIdentifier: peer }
  AdminOUIdentifier: { Certificate: cacerts/ca.pem, OrganizationalUnitIdentifier: admin }
  OrdererOUIdentifier: { Certificate: cacerts/ca.pem, OrganizationalUnitIdentifier: orderer }
YAML
}

# normalise_msp ORG MSPDIR: predictable names (cacerts/ca.pem, keystore/priv_sk, signcerts/cert.pem)
normalise_msp() {
    local org="$1" msp="$2"
    rm -rf "$msp/cacerts" "$msp/intermediatecerts" && mkdir -p "$msp/cacerts" "$msp/tlscacerts"
    cp "$(ca_tls_cert "$org")" "$msp/cacerts/ca.pem"
    cp "$(ca_tls_cert "$org")" "$msp/tlscacerts/ca.pem"
    mv "$msp"/keystore/*_sk "$msp/keystore/priv_sk" 2>/dev/null || true
    if [[ -d "$msp/signcerts" && ! -f "$msp/signcerts/cert.pem" ]]; then mv "$msp"/signcerts/*.pem "$msp/signcerts/cert.pem"; fi
    node_ou_config "$msp"
}

# enroll_tls ORG NAME HOSTS DIR: TLS key pair from the tls profile, as ca.crt / server.crt / server.key
enroll_tls() {
    local org="$1" name="$2" hosts="$3" dir="$4" tmp="$4/.enroll"
    rm -rf "$tmp" && mkdir -p "$dir"
    client "$org" enroll -u "https://$name:${name}pw@127.0.0.1:$(port CA "$org")" --enrollment.profile tls --csr.hosts "$hosts" -M "$tmp"
    cp "$tmp"/signcerts/*.pem "$dir/server.crt"
    cp "$tmp"/keystore/*_sk "$dir/server.key"
    cp "$(ca_tls_cert "$org")" "$dir/ca.crt"
    rm -rf "$tmp"
}

register() { # register ORG NAME TYPE ATTRS
    local org="$1" name="$2" type="$3" attrs="$4" args=()
    if client "$org" identity list --id "$name"; then return 0; fi
    args=(--id.name "$name" --id.secret "${name}pw" --id.type "$type")
    if [[ "$attrs" != "-" ]]; then args+=(--id.attrs "$(sed 's/,/:ecert,/g; s/$/:ecert/' <<<"$attrs")"); fi
    client "$org" register "${args[@]}" -u "$(ca_url "$org")"
    log "registered $name ($type) at $(ca_name "$org")${attrs:+ attrs $attrs}"
}

enroll_org() {
    local org="$1" dir name type attrs host n
    dir="$(org_dir "$org")"
    # The bootstrap admin (registrar) of this CA.
    if [[ ! -f "$XL_RUN_DIR/ca-client/$org/msp/signcerts/cert.pem" ]]; then
        client "$org" enroll -u "https://$CA_BOOTSTRAP_USER:$CA_BOOTSTRAP_SECRET@127.0.0.1:$(port CA "$org")"
    fi
    # Org MSP (channel definition): CA root for identities and TLS, Node OUs.
    mkdir -p "$dir/msp"
    normalise_msp "$org" "$dir/msp"
    while read -r o name type attrs; do
        [[ "$o" == "$org" ]] || continue
        # Idempotent per identity: an identity whose TLS pair exists is complete (TLS is enrolled last).
        case "$type" in
            peer) [[ -f "$(peer_dir "$org")/tls/server.key" ]] && continue ;;
            orderer) [[ -f "$(orderer_dir "${name#orderer}")/tls/server.key" ]] && continue ;;
            *) [[ -f "$(org_dir "$org")/users/$name/tls/server.key" ]] && continue ;;
        esac
        register "$org" "$name" "$type" "$attrs"
        case "$type" in
            peer)
                host="$(peer_host "$org")"
                client "$org" enroll -u "https://$name:${name}pw@127.0.0.1:$(port CA "$org")" --csr.hosts "$host,localhost,127.0.0.1" -M "$(peer_dir "$org")/msp"
                normalise_msp "$org" "$(peer_dir "$org")/msp"
                enroll_tls "$org" "$name" "$host,localhost,127.0.0.1" "$(peer_dir "$org")/tls"
                ;;
            orderer)
                n="${name#orderer}"; host="$(orderer_host "$n")"
                client "$org" enroll -u "https://$name:${name}pw@127.0.0.1:$(port CA "$org")" --csr.hosts "$host,localhost,127.0.0.1" -M "$(orderer_dir "$n")/msp"
                normalise_msp "$org" "$(orderer_dir "$n")/msp"
                enroll_tls "$org" "$name" "$host,localhost,127.0.0.1" "$(orderer_dir "$n")/tls"
                ;;
            admin | client)
                client "$org" enroll -u "https://$name:${name}pw@127.0.0.1:$(port CA "$org")" -M "$(user_msp "$org" "$name")"
                normalise_msp "$org" "$(user_msp "$org" "$name")"
                # A client TLS pair too (osnadmin needs it for the orderer admin; harmless elsewhere).
                enroll_tls "$org" "$name" "localhost,127.0.0.1" "$(org_dir "$org")/users/$name/tls"
                ;;
        esac
    done < <(grep -v '^#' "$XL_CONFIG_DIR/ca/identities.tsv" | awk 'NF >= 4')
    log "crypto for $org ready under $dir"
}

main() {
    local cmd="${1:-}"; shift || true
    local orgs=("$@"); ((${#orgs[@]})) || orgs=("${ALL_ORGS[@]}")
    case "$cmd" in
        start) use_binaries fabric-ca-server; for o in "${orgs[@]}"; do start_ca "$o"; done; for o in "${orgs[@]}"; do wait_ca "$o"; done ;;
        stop) for o in "${orgs[@]}"; do stop_process "ca-$o"; done ;;
        enroll) use_binaries fabric-ca-client; for o in "${orgs[@]}"; do enroll_org "$o"; done ;;
        health) for o in "${orgs[@]}"; do health_ca "$o" || return 1; done ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
