#!/usr/bin/env bash
# The network test tier: bring up a dedicated Fabric test network, deploy the chaincode, run the
# *.e2e.test.ts suites (or the transfer benchmark) against it, and ALWAYS bring the network down.
set -euo pipefail

usage() {
    cat <<USAGE
Usage: e2e/run-fabric.sh <test|bench> [args for the benchmark, e.g. --transfers 200 --concurrency 20]

  test    binaries (check, or build what can be built) → clean → up --orderers 3 → deploy →
          build + start the REST gateway twice with LEDGER_BACKEND=fabric (the platform's, demo seed on;
          the foreign partner's, on the PartnerMSP peer) → mocha: the gateway conformance suite and
          the other suites, then the orderer fault suite → stop the gateways → down. Exit code = mocha's.
  bench   same network steps and the platform's gateway, then e2e/bench/fabric-bench.ts (the same
          transfers straight through @hyperledger/fabric-gateway and through the REST gateway) → down.

Environment:
  XINLIAN_FABRIC_REQUIRED=1   fail (exit 2) when the Fabric binaries are not available; by default the
                              run is SKIPPED with a loud message and exit 0 (a new machine cannot build
                              Fabric: the Go module proxy refuses github.com/hyperledger/fabric)
  XINLIAN_E2E_RUN_DIR         run folder of the e2e network (default e2e/.xinlian/network, git-ignored)
  XINLIAN_E2E_PORT_BASE       port base of the e2e network (default 27200; a developer network uses 27000)
  XINLIAN_E2E_KEEP=1          reuse the existing ledger instead of starting from a clean one, and keep
                              it afterwards (by default it is removed after a successful run)
  XINLIAN_E2E_FAULT=0         leave out the orderer fault suite
  XINLIAN_E2E_GATEWAY=0       do not start the REST gateways (their suites and bench mode skip)
USAGE
}

MODE="${1:-}"
case "$MODE" in
    test | bench) shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/.." && pwd)"
NETWORK="$REPO_DIR/test-network/network.sh"
export XINLIAN_RUN_DIR="${XINLIAN_E2E_RUN_DIR:-$E2E_DIR/.xinlian/network}"
export XINLIAN_PORT_BASE="${XINLIAN_E2E_PORT_BASE:-27200}"
export CORE_CHAINCODE_LOGGING_LEVEL="${CORE_CHAINCODE_LOGGING_LEVEL:-warning}"
ORDERERS=3

# shellcheck source=../test-network/lib/common.sh
source "$REPO_DIR/test-network/lib/common.sh"
XL_COMPONENT=e2e

T_START=$SECONDS
declare -a TIMINGS=()
timed() { # timed LABEL CMD...: runs CMD, records its duration
    local label="$1" t0=$SECONDS rc=0; shift
    "$@" || rc=$?
    TIMINGS+=("$label $((SECONDS - t0))s")
    return "$rc"
}

unavailable() {
    if [[ "${XINLIAN_FABRIC_REQUIRED:-0}" == 1 ]]; then
        echo "FAILED: Fabric binaries not available: $1" >&2
        exit 2
    fi
    echo "======================================================================" >&2
    echo "SKIPPED: Fabric binaries not available: $1" >&2
    echo "         (set XINLIAN_FABRIC_REQUIRED=1 to make this an error)" >&2
    echo "======================================================================" >&2
    exit 0
}

# ---------------------------------------------------------------- binaries
# Fabric itself cannot be built here (the module proxy refuses it), so without the cached binaries and
# sampleconfig there is nothing to try; Fabric CA and Kubo can be built, install-binaries.sh does that.
for b in peer orderer osnadmin configtxgen; do
    [[ -x "$XL_BIN_DIR/$b" ]] || unavailable "$b is not in $XL_BIN_DIR and the Go module proxy refuses github.com/hyperledger/fabric"
done
[[ -d "$XL_FABRIC_SAMPLECONFIG" ]] || unavailable "Fabric's sampleconfig is not in $XL_FABRIC_SAMPLECONFIG"
if ! timed binaries "$REPO_DIR/test-network/scripts/install-binaries.sh" --check; then
    "$REPO_DIR/test-network/scripts/install-binaries.sh" || unavailable "test-network/scripts/install-binaries.sh could not build the missing binaries (see above)"
fi

# ---------------------------------------------------------------- network, always brought down
finish() {
    local rc=$?
    trap - EXIT INT TERM
    stop_gateways
    timed down "$NETWORK" down || true
    # The table shows every process stopped; status's own exit code and warning (1: something is down) are
    # what is expected here, so they are not shown.
    "$NETWORK" status 2>/dev/null || true
    # The run folder (ledgers, Kubo repo, logs: some 400 MB) is removed after a successful run and kept
    # after a failure, for its logs.
    if ((rc == 0)) && [[ "${XINLIAN_E2E_KEEP:-0}" != 1 ]]; then
        "$NETWORK" clean >/dev/null 2>&1 || true
    elif ((rc != 0)); then
        log "run folder kept for inspection: $XINLIAN_RUN_DIR (logs/)"
    fi
    log "timings: ${TIMINGS[*]} total $((SECONDS - T_START))s"
    exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- REST gateways on the fabric backend
# Each gateway is `node gateway/dist/main.js` with LEDGER_BACKEND=fabric, FABRIC_* settings from the
# network's endpoints.json, a throw-away data folder (wallet, users, bureau keys) and its own port.
declare -a GATEWAY_PIDS=()
declare -a GATEWAY_DIRS=()
GATEWAY_PASSPHRASE="e2e-wallet-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

gateway_env() { # gateway_env ORG...: FABRIC_* settings of the ORGs (platform bank partner) as NAME=VALUE lines
    # The same source of truth as 'network.sh gateway-env', which operators use.
    "$REPO_DIR/test-network/scripts/gateway-env.sh" --lines "$@"
}

start_gateway() { # start_gateway NAME PORT MSP CA_ID_PREFIX ORG...: starts it, waits until ready; sets GATEWAY_URL
    local name="$1" port="$2" msp="$3" prefix="$4"; shift 4
    local dir log env_lines=()
    dir="$(mktemp -d "${TMPDIR:-/tmp}/xinlian-e2e-$name.XXXXXX")"
    GATEWAY_DIRS+=("$dir")
    log="$XINLIAN_RUN_DIR/logs/gateway-$name.log"
    mapfile -t env_lines < <(gateway_env "$@")
    (
        cd "$REPO_DIR"
        exec env "${env_lines[@]}" LEDGER_BACKEND=fabric GATEWAY_MSP_ID="$msp" FABRIC_CA_ID_PREFIX="$prefix" \
            GATEWAY_PORT="$port" GATEWAY_HOST=127.0.0.1 GATEWAY_DATA_DIR="$dir" GATEWAY_WALLET_PASSPHRASE="$GATEWAY_PASSPHRASE" \
            GATEWAY_SEED_DEMO=true GATEWAY_LOG_LEVEL="${GATEWAY_LOG_LEVEL:-warn}" \
            node gateway/dist/main.js
    ) >"$log" 2>&1 &
    GATEWAY_PIDS+=("$!")
    local pid=$! t0=$SECONDS
    log "gateway $name (pid $pid, $msp) starting on 127.0.0.1:$port, log $log"
    until curl -fsS "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "gateway $name exited before it was ready:"; tail -n 40 "$log" >&2; return 1
        fi
        if ((SECONDS - t0 > 300)); then
            log "gateway $name not ready after 300 s"; tail -n 40 "$log" >&2; return 1
        fi
        sleep 1
    done
    log "gateway $name ready after $((SECONDS - t0)) s"
    GATEWAY_URL="http://127.0.0.1:$port/api/v1"
}

build_gateway() { (cd "$REPO_DIR" && npx tsc -b chaincode gateway); }

stop_gateways() { # TERM each gateway we started (by pid), wait, then KILL what is left; remove their data
    local pid i
    for pid in "${GATEWAY_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${GATEWAY_PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    GATEWAY_PIDS=()
    for pid in "${GATEWAY_DIRS[@]}"; do rm -rf "$pid"; done
    GATEWAY_DIRS=()
}

if [[ "${XINLIAN_E2E_KEEP:-0}" != 1 || ( -f "$XINLIAN_RUN_DIR/orderers" && "$(cat "$XINLIAN_RUN_DIR/orderers")" != "$ORDERERS" ) ]]; then
    timed clean "$NETWORK" clean
fi
timed up "$NETWORK" up --orderers "$ORDERERS"
timed deploy "$NETWORK" deploy

if [[ "${XINLIAN_E2E_GATEWAY:-1}" != 0 ]]; then
    timed build-gateway build_gateway
    # The platform's gateway serves every org's users, each through its own org's peer, and seeds the demo.
    timed gateway start_gateway platform "$((XINLIAN_PORT_BASE + 85))" PlatformMSP gw- platform bank partner
    export XINLIAN_GATEWAY_URL="$GATEWAY_URL"
    if [[ "$MODE" == test ]]; then
        # The foreign partner's own gateway: only its org's peer and CA, only its org's users.
        timed partner-gateway start_gateway partner "$((XINLIAN_PORT_BASE + 86))" PartnerMSP partner-gw- partner
        export XINLIAN_PARTNER_GATEWAY_URL="$GATEWAY_URL"
    fi
fi

cd "$E2E_DIR"
if [[ "$MODE" == test ]]; then
    specs=()
    for f in test/*.e2e.test.ts; do
        [[ "$f" == test/orderer-fault.e2e.test.ts || "$f" == test/chaincode-outage.e2e.test.ts ]] || specs+=("$f")
    done
    # The outage suites kill the chaincode server (then start it again) and an orderer, so they run last.
    specs+=(test/chaincode-outage.e2e.test.ts)
    [[ "${XINLIAN_E2E_FAULT:-1}" == 0 ]] || specs+=(test/orderer-fault.e2e.test.ts)
    timed tests npx mocha "${specs[@]}"
else
    timed bench node -r ts-node/register/transpile-only bench/fabric-bench.ts "$@"
fi
