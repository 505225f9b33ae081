#!/usr/bin/env bash
# The REST gateway's settings for this network (LEDGER_BACKEND=fabric), derived from
# .run/gateway/endpoints.json: the one source of truth that network.sh gateway-env and e2e/run-fabric.sh share.
set -euo pipefail
XL_COMPONENT=gateway-env
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

usage() {
    cat <<USAGE
Usage: gateway-env.sh [--lines] [--fabric-only] [ORG...]   (ORG: ${XL_PEER_ORGS[*]}; default all)

Prints the gateway's settings for this network as shell export lines, for
    eval "\$(test-network/network.sh gateway-env)" && npm start

  LEDGER_BACKEND=fabric, FABRIC_<ORG>_* (peer endpoint, TLS root, CA URL / name / TLS certificate /
  registrar), FABRIC_CHANNEL, FABRIC_CHAINCODE, DOCUMENT_STORE=ipfs with the network's IPFS_API_URL,
  GATEWAY_DATA_DIR=$XL_RUN_DIR/gateway/data (inside the run folder, so 'clean' removes it with
  the identities it holds) and GATEWAY_WALLET_PASSPHRASE (random, created once in
  $XL_RUN_DIR/gateway/wallet-passphrase, mode 600). Variables already set in the environment are
  not overridden for GATEWAY_DATA_DIR and GATEWAY_WALLET_PASSPHRASE.

  --lines        NAME=VALUE lines without quoting (for 'env'), nothing but the FABRIC_* settings
  --fabric-only  only the FABRIC_* settings (as export lines)
USAGE
}

main() {
    local lines=0 fabric_only=0 orgs=() endpoints="$XL_RUN_DIR/gateway/endpoints.json"
    while (($#)); do
        case "$1" in
            --lines) lines=1; fabric_only=1 ;;
            --fabric-only) fabric_only=1 ;;
            -h | --help) usage; exit 0 ;;
            platform | bank | partner) orgs+=("$1") ;;
            *) usage >&2; die "unknown argument $1" ;;
        esac
        shift
    done
    ((${#orgs[@]})) || orgs=("${XL_PEER_ORGS[@]}")
    [[ -f "$endpoints" ]] || die "no $endpoints: the network is not up; run network.sh up (and deploy) first"
    local settings
    settings="$(node -e '
        const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        for (const org of process.argv.slice(2)) {
            const o = e.orgs[org], P = `FABRIC_${org.toUpperCase()}_`;
            if (!o) { console.error(`no org ${org} in ${process.argv[1]}`); process.exit(1); }
            const lines = { PEER_ENDPOINT: o.peer.endpoint, PEER_HOST_ALIAS: o.peer.hostAlias, TLS_CA: o.peer.tlsRootCert,
                CA_URL: o.ca.url, CA_NAME: o.ca.caName, CA_TLS_CERT: o.ca.tlsCert, CA_REGISTRAR: o.ca.registrar.enrollmentId,
                CA_REGISTRAR_SECRET: o.ca.registrar.enrollmentSecret };
            for (const [k, v] of Object.entries(lines)) console.log(`${P}${k}=${v}`);
        }
        console.log(`FABRIC_CHANNEL=${e.channel}`);
        console.log(`FABRIC_CHAINCODE=${e.chaincode}`);
        if (e.ipfs && e.ipfs.api) console.log(`IPFS_API_URL=${e.ipfs.api}`);
    ' "$endpoints" "${orgs[@]}")"
    if ((lines)); then
        grep '^FABRIC_' <<<"$settings"
        return 0
    fi
    local name value
    while IFS= read -r line; do
        name="${line%%=*}" value="${line#*=}"
        if ((fabric_only)) && [[ "$name" != FABRIC_* ]]; then continue; fi
        printf 'export %s=%q\n' "$name" "$value"
    done <<<"$settings"
    ((fabric_only)) && return 0
    printf 'export %s=%q\n' LEDGER_BACKEND fabric DOCUMENT_STORE ipfs
    printf 'export GATEWAY_DATA_DIR=%q\n' "${GATEWAY_DATA_DIR:-$XL_RUN_DIR/gateway/data}"
    if [[ -n "${GATEWAY_WALLET_PASSPHRASE:-}" ]]; then
        printf 'export GATEWAY_WALLET_PASSPHRASE=%q\n' "$GATEWAY_WALLET_PASSPHRASE"
    else
        local file="$XL_RUN_DIR/gateway/wallet-passphrase"
        if [[ ! -s "$file" ]]; then
            (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
        fi
        printf 'export GATEWAY_WALLET_PASSPHRASE=%q\n' "$(cat "$file")"
    fi
}

main "$@"
