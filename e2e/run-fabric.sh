#!/usr/bin/env bash
# The network test tier: bring up a dedicated Fabric test network, deploy the chaincode, run the
# *.e2e.test.ts suites (or the transfer benchmark) against it, and ALWAYS bring the network down.
set -euo pipefail

usage() {
    cat <<USAGE
Usage: e2e/run-fabric.sh <test|bench> [args for the benchmark, e.g. --transfers 200 --concurrency 20]

  test    binaries (check, or build what can be built) → clean → up --orderers 3 → deploy →
          mocha: the fabric-only suites, then the orderer fault suite → down. Exit code = mocha's.
  bench   same network steps, then e2e/bench/fabric-bench.ts (transfers straight through
          @hyperledger/fabric-gateway) → down.

Environment:
  XINLIAN_FABRIC_REQUIRED=1   fail (exit 2) when the Fabric binaries are not available; by default the
                              run is SKIPPED with a loud message and exit 0 (a new machine cannot build
                              Fabric: the Go module proxy refuses github.com/hyperledger/fabric)
  XINLIAN_E2E_RUN_DIR         run folder of the e2e network (default e2e/.xinlian/network, git-ignored)
  XINLIAN_E2E_PORT_BASE       port base of the e2e network (default 27200; a developer network uses 27000)
  XINLIAN_E2E_KEEP=1          reuse the existing ledger instead of starting from a clean one, and keep
                              it afterwards (by default it is removed after a successful run)
  XINLIAN_E2E_FAULT=0         leave out the orderer fault suite
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
    timed down "$NETWORK" down || true
    "$NETWORK" status || true
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

if [[ "${XINLIAN_E2E_KEEP:-0}" != 1 || ( -f "$XINLIAN_RUN_DIR/orderers" && "$(cat "$XINLIAN_RUN_DIR/orderers")" != "$ORDERERS" ) ]]; then
    timed clean "$NETWORK" clean
fi
timed up "$NETWORK" up --orderers "$ORDERERS"
timed deploy "$NETWORK" deploy

cd "$E2E_DIR"
if [[ "$MODE" == test ]]; then
    specs=()
    for f in test/*.e2e.test.ts; do [[ "$f" == test/orderer-fault.e2e.test.ts ]] || specs+=("$f"); done
    # The fault suite kills an orderer, so it runs last.
    [[ "${XINLIAN_E2E_FAULT:-1}" == 0 ]] || specs+=(test/orderer-fault.e2e.test.ts)
    timed tests npx mocha "${specs[@]}"
else
    timed bench node -r ts-node/register/transpile-only bench/fabric-bench.ts "$@"
fi
