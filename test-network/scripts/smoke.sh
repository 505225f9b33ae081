#!/usr/bin/env bash
# End-to-end smoke check of a deployed network, with the peer CLI as the CA-enrolled user
# 'platform-admin' (PlatformMSP, xl.role=platform-admin): register an enterprise endorsed by the
# platform and bank peers, read it back on the partner peer (which commits the block in its own time:
# the read is retried for up to XINLIAN_SMOKE_READ_TIMEOUT seconds), and check that registering it
# again fails with the chaincode's coded error [ALREADY_EXISTS].
set -euo pipefail
XL_COMPONENT=smoke
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ENTERPRISE_ID="${XINLIAN_SMOKE_ENTERPRISE_ID:-91350100M000100Y43}"
# which orderer receives the transactions (1..3; fault tests stop another one)
SMOKE_ORDERER="${XINLIAN_SMOKE_ORDERER:-1}"
if [[ ! "$SMOKE_ORDERER" =~ ^[1-3]$ ]] || ((SMOKE_ORDERER > $(orderer_count))); then
    die "XINLIAN_SMOKE_ORDERER=$SMOKE_ORDERER: this network has orderer(s) 1..$(orderer_count)"
fi
REQUEST="{\"id\":\"$ENTERPRISE_ID\",\"name\":\"Smoke Test Co.\",\"kind\":\"SUPPLIER\"}"
# how long the partner's peer may take to commit the block the platform and bank peers committed
READ_TIMEOUT="${XINLIAN_SMOKE_READ_TIMEOUT:-20}"
[[ "$READ_TIMEOUT" =~ ^[1-9][0-9]{0,2}$ ]] || die "XINLIAN_SMOKE_READ_TIMEOUT=$READ_TIMEOUT: give whole seconds, 1..999"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    cat <<USAGE
Usage: smoke.sh    (XINLIAN_SMOKE_ENTERPRISE_ID overrides the enterprise id, default $ENTERPRISE_ID;
                   XINLIAN_SMOKE_ORDERER=N sends the transactions to orderer N, default 1;
                   XINLIAN_SMOKE_READ_TIMEOUT=S waits up to S seconds for the partner's peer to
                   commit the registration before reading it back there, default 20)
Exits 0 when all checks pass. Safe to repeat on the same ledger.
USAGE
    exit 0
fi

use_binaries peer
peer_env platform platform-admin
LOG="$XL_RUN_DIR/logs/smoke.log"

invoke() { # invoke JSON-ARGS: submit endorsed by the platform and bank peers, wait for commit
    peer chaincode invoke -o "127.0.0.1:$(port ORDERER "$SMOKE_ORDERER")" --tls --cafile "$(orderer_tls_root)" \
        -C "$XL_CHANNEL" -n "$XL_CC_NAME" \
        --peerAddresses "127.0.0.1:$(port PEER platform)" --tlsRootCertFiles "$(org_tls_root platform)" \
        --peerAddresses "127.0.0.1:$(port PEER bank)" --tlsRootCertFiles "$(org_tls_root bank)" \
        --waitForEvent -c "$1" 2>&1 | tee -a "$LOG"
}

query_partner() { # query JSON-ARGS on the partner's peer (result on stdout, CLI log to the smoke log)
    CORE_PEER_ADDRESS="127.0.0.1:$(port PEER partner)" CORE_PEER_TLS_ROOTCERT_FILE="$(org_tls_root partner)" \
        peer chaincode query -C "$XL_CHANNEL" -n "$XL_CC_NAME" -c "$1" 2>>"$LOG"
}

# read_back_on_partner ID: ReadEnterprise ID on the partner's peer until it answers the record, every
# 0.5 s for up to READ_TIMEOUT seconds. The invoke waited only for the platform and bank peers to
# commit; the partner's peer gets the block by gossip or from the orderer, a moment later. Prints the
# last answer (CLI output and errors), which the check then judges.
read_back_on_partner() {
    local id="$1" start=$SECONDS answer
    while :; do
        answer="$(CORE_PEER_ADDRESS="127.0.0.1:$(port PEER partner)" CORE_PEER_TLS_ROOTCERT_FILE="$(org_tls_root partner)" \
            peer chaincode query -C "$XL_CHANNEL" -n "$XL_CC_NAME" -c "$(args enterprise:ReadEnterprise "$id")" 2>&1 || true)"
        if jq -e -n --arg id "$id" 'input | .id == $id' <<<"$(grep -m1 '^{' <<<"$answer" || true)" >/dev/null 2>&1; then
            break
        fi
        if ((SECONDS - start >= READ_TIMEOUT)); then
            warn "the partner's peer did not answer $id within ${READ_TIMEOUT}s"
            break
        fi
        sleep 0.5
    done
    printf '%s\n' "$answer" | tee -a "$LOG"
}

args() { jq -cn --arg f "$1" '{function: $f, Args: $ARGS.positional}' --args "${@:2}"; }

# fresh_id DIGIT: a valid USCC that no earlier run used (time-based body, check character computed by
# the chaincode's own identifiers module in chaincode/dist)
fresh_id() {
    local body
    body="91350100M$(printf '%07d' $(( $(date +%s) % 10000000 )))$1"
    (cd "$XL_REPO_DIR/chaincode" && node -e 'const i = require("./dist/enterprise/identifiers"); process.stdout.write(process.argv[1] + i.usccCheckCharacter(process.argv[1]))' "$body")
}

fails=0
# check CMD...: PASS or FAIL of $CHECK; on a failure, the cause: the first error line of $OUTPUT (what the
# peer CLI answered), else its last line.
OUTPUT=""
check() {
    if "$@" >/dev/null 2>&1; then log "PASS $CHECK"; return 0; fi
    warn "FAIL $CHECK"
    local cause
    cause="$(grep -m1 -E 'Error|error|FATA|ERRO' <<<"$OUTPUT" || true)"
    [[ -n "$cause" ]] || cause="$(tail -n1 <<<"$OUTPUT")"
    warn "     cause: ${cause:-no output (see $LOG)}"
    fails=$((fails + 1))
}

CHECK="the platform-admin certificate carries xl.role / xl.eid (Fabric CA attributes, ecert)"
OUTPUT="$(openssl x509 -in "$CORE_PEER_MSPCONFIGPATH/signcerts/cert.pem" -noout -text 2>&1 || true)"
check grep -q '"xl.role":"platform-admin"' <<<"$OUTPUT"

existing="$(query_partner "$(args enterprise:ReadEnterprise "$ENTERPRISE_ID")" 2>/dev/null || true)"
if grep -q '"id"' <<<"$existing"; then
    # An earlier smoke run registered it: use a fresh valid USCC (check character from the chaincode's
    # own identifiers module) so this run still proves a new registration.
    ENTERPRISE_ID="$(fresh_id 0)"
    REQUEST="{\"id\":\"$ENTERPRISE_ID\",\"name\":\"Smoke Test Co.\",\"kind\":\"SUPPLIER\"}"
    log "the default enterprise exists (earlier smoke run); registering $ENTERPRISE_ID instead"
fi
out="$(invoke "$(args enterprise:RegisterEnterprise "$REQUEST")" || true)"
OUTPUT="$out"
CHECK="RegisterEnterprise $ENTERPRISE_ID endorsed by the PlatformMSP and BankMSP peers (status 200)"
check grep -q 'Chaincode invoke successful. result: status:200' <<<"$out"
CHECK="the transaction committed VALID"
check grep -q 'committed with status (VALID)' <<<"$out"

read_back="$(read_back_on_partner "$ENTERPRISE_ID")"
OUTPUT="$read_back"
CHECK="ReadEnterprise on the PartnerMSP peer returns the record"
# shellcheck disable=SC2016 # $id is jq's variable
check jq -e -n --arg id "$ENTERPRISE_ID" 'input | .id == $id and .name == "Smoke Test Co." and .kind == "SUPPLIER"' <<<"$(grep -m1 '^{' <<<"$read_back" || true)"
log "record: $(grep -m1 '^{' <<<"$read_back" || echo none)"

dup="$(invoke "$(args enterprise:RegisterEnterprise "$REQUEST")" || true)"
OUTPUT="$dup"
CHECK="registering the same id again fails with [ALREADY_EXISTS]"
check grep -q '\[ALREADY_EXISTS\]' <<<"$dup"
if grep -q "\[ALREADY_EXISTS\]" <<<"$dup"; then log "duplicate error: $(grep -o "\[ALREADY_EXISTS\][^\"]*" <<<"$dup" | head -1)"; fi

bad="$(CORE_PEER_ADDRESS="127.0.0.1:$(port PEER partner)" CORE_PEER_TLS_ROOTCERT_FILE="$(org_tls_root partner)" \
    peer chaincode query -C "$XL_CHANNEL" -n "$XL_CC_NAME" -c "$(args enterprise:ReadEnterprise "91350100M000100Y44")" 2>&1 || true)"
OUTPUT="$bad"
CHECK="an unknown or invalid id is refused with a coded error"
check grep -Eq '\[(NOT_FOUND|INVALID_ARGUMENT)\]' <<<"$bad"

# One endorsement is not enough for OutOf(2, ...): the transaction is ordered but invalidated.
single="$(peer chaincode invoke -o "127.0.0.1:$(port ORDERER "$SMOKE_ORDERER")" --tls --cafile "$(orderer_tls_root)" \
    -C "$XL_CHANNEL" -n "$XL_CC_NAME" \
    --peerAddresses "127.0.0.1:$(port PEER platform)" --tlsRootCertFiles "$(org_tls_root platform)" \
    --waitForEvent -c "$(args enterprise:RegisterEnterprise "{\"id\":\"$(fresh_id 1)\",\"name\":\"Single Endorsement Co.\",\"kind\":\"SUPPLIER\"}")" 2>&1 | tee -a "$LOG" || true)"
OUTPUT="$single"
CHECK="a transaction endorsed by one org only is invalidated (ENDORSEMENT_POLICY_FAILURE)"
check grep -q 'ENDORSEMENT_POLICY_FAILURE' <<<"$single"

((fails == 0)) || die "$fails smoke check(s) failed (log $LOG)"
log "smoke checks passed"
