#!/usr/bin/env bash
# Shared settings and helpers for the Xinlian native test network. Sourced, never executed.
# Everything here is pure definitions: no process is started and no file is written at source time.

# ---------------------------------------------------------------- paths
XL_NET_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
XL_REPO_DIR="$(cd "$XL_NET_DIR/.." && pwd)"
XL_CONFIG_DIR="$XL_REPO_DIR/network-config"
XL_RUN_DIR="${XINLIAN_RUN_DIR:-$XL_NET_DIR/.run}"
XL_CACHE_DIR="${XINLIAN_FABRIC_CACHE:-$HOME/.cache/xinlian/fabric}"
XL_BIN_DIR="$XL_CACHE_DIR/bin"
XL_STAMP_FILE="$XL_CACHE_DIR/versions.stamp"

# ---------------------------------------------------------------- pinned versions
XL_FABRIC_VERSION="v3.1.5"
XL_FABRIC_COMMIT="86c1172bec37e6590c6b1ae6f847833df48d65fc"
XL_FABRIC_CA_VERSION="v1.5.21"
XL_KUBO_VERSION="v0.42.0"
XL_FABRIC_SAMPLECONFIG="$XL_CACHE_DIR/sampleconfig/fabric-$XL_FABRIC_VERSION"

# ---------------------------------------------------------------- names
XL_CHANNEL="${XINLIAN_CHANNEL:-xinlian}"
XL_CC_NAME="${XINLIAN_CC_NAME:-xinlian}"
XL_CC_LABEL="${XL_CC_NAME}_1.0"
XL_PEER_ORGS=(platform bank partner)
XL_DOMAIN="xinlian.test"

# ---------------------------------------------------------------- ports
# Every port is XINLIAN_PORT_BASE + a fixed offset (see test-network/README.md); each one can also be
# overridden on its own. Default base 27000 keeps clear of Fabric's 7050/7051, IPFS's 4001/5001/8080,
# and the usual dev-server ports.
XL_PORT_BASE="${XINLIAN_PORT_BASE:-27000}"
p() { echo $((XL_PORT_BASE + $1)); }
XL_PORT_CA_platform="${XINLIAN_PORT_CA_PLATFORM:-$(p 0)}"
XL_PORT_CA_bank="${XINLIAN_PORT_CA_BANK:-$(p 1)}"
XL_PORT_CA_partner="${XINLIAN_PORT_CA_PARTNER:-$(p 2)}"
XL_PORT_CA_orderer="${XINLIAN_PORT_CA_ORDERER:-$(p 3)}"
XL_PORT_CAOPS_platform="${XINLIAN_PORT_CAOPS_PLATFORM:-$(p 10)}"
XL_PORT_CAOPS_bank="${XINLIAN_PORT_CAOPS_BANK:-$(p 11)}"
XL_PORT_CAOPS_partner="${XINLIAN_PORT_CAOPS_PARTNER:-$(p 12)}"
XL_PORT_CAOPS_orderer="${XINLIAN_PORT_CAOPS_ORDERER:-$(p 13)}"
XL_PORT_ORDERER_1="${XINLIAN_PORT_ORDERER_1:-$(p 21)}"
XL_PORT_ORDERER_2="${XINLIAN_PORT_ORDERER_2:-$(p 22)}"
XL_PORT_ORDERER_3="${XINLIAN_PORT_ORDERER_3:-$(p 23)}"
XL_PORT_OSNADMIN_1="${XINLIAN_PORT_OSNADMIN_1:-$(p 31)}"
XL_PORT_OSNADMIN_2="${XINLIAN_PORT_OSNADMIN_2:-$(p 32)}"
XL_PORT_OSNADMIN_3="${XINLIAN_PORT_OSNADMIN_3:-$(p 33)}"
XL_PORT_ORDOPS_1="${XINLIAN_PORT_ORDOPS_1:-$(p 41)}"
XL_PORT_ORDOPS_2="${XINLIAN_PORT_ORDOPS_2:-$(p 42)}"
XL_PORT_ORDOPS_3="${XINLIAN_PORT_ORDOPS_3:-$(p 43)}"
XL_PORT_PEER_platform="${XINLIAN_PORT_PEER_PLATFORM:-$(p 51)}"
XL_PORT_PEERCC_platform="${XINLIAN_PORT_PEERCC_PLATFORM:-$(p 52)}"
XL_PORT_PEEROPS_platform="${XINLIAN_PORT_PEEROPS_PLATFORM:-$(p 53)}"
XL_PORT_PEER_bank="${XINLIAN_PORT_PEER_BANK:-$(p 61)}"
XL_PORT_PEERCC_bank="${XINLIAN_PORT_PEERCC_BANK:-$(p 62)}"
XL_PORT_PEEROPS_bank="${XINLIAN_PORT_PEEROPS_BANK:-$(p 63)}"
XL_PORT_PEER_partner="${XINLIAN_PORT_PEER_PARTNER:-$(p 71)}"
XL_PORT_PEERCC_partner="${XINLIAN_PORT_PEERCC_PARTNER:-$(p 72)}"
XL_PORT_PEEROPS_partner="${XINLIAN_PORT_PEEROPS_PARTNER:-$(p 73)}"
XL_PORT_CHAINCODE="${XINLIAN_PORT_CHAINCODE:-$(p 80)}"
XL_PORT_IPFS_API="${XINLIAN_PORT_IPFS_API:-$(p 90)}"
XL_PORT_IPFS_GATEWAY="${XINLIAN_PORT_IPFS_GATEWAY:-$(p 91)}"
unset -f p

# port VAR_PREFIX KEY -> value of XL_PORT_<PREFIX>_<KEY>
port() { local v="XL_PORT_$1_$2"; echo "${!v}"; }

# org helpers: platform -> PlatformMSP
msp_id() {
    case "$1" in
        platform) echo PlatformMSP ;; bank) echo BankMSP ;; partner) echo PartnerMSP ;; orderer) echo OrdererMSP ;;
        *) die "unknown org $1" ;;
    esac
}
org_domain() { echo "$1.$XL_DOMAIN"; }

# Fabric's log format without terminal colours (our logs are files).
XL_FABRIC_LOG_FORMAT='%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x} %{message}'
export FABRIC_LOGGING_FORMAT="$XL_FABRIC_LOG_FORMAT"

# ---------------------------------------------------------------- logging
_ts() { date +%H:%M:%S; }
log() { printf '%s [%s] %s\n' "$(_ts)" "${XL_COMPONENT:-network}" "$*" >&2; }
warn() { printf '%s [%s] WARN %s\n' "$(_ts)" "${XL_COMPONENT:-network}" "$*" >&2; }
die() { printf '%s [%s] ERROR %s\n' "$(_ts)" "${XL_COMPONENT:-network}" "$*" >&2; exit 1; }

require_cmd() { for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "required command not found: $c"; done; }

# Puts the cached Fabric / CA / Kubo binaries first on PATH and points Fabric at our config.
use_binaries() {
    local bins=("$@")
    ((${#bins[@]})) || bins=(peer orderer osnadmin configtxgen fabric-ca-server fabric-ca-client ipfs)
    export PATH="$XL_BIN_DIR:$PATH"
    for b in "${bins[@]}"; do
        [[ -x "$XL_BIN_DIR/$b" ]] || die "binary $b is missing from $XL_BIN_DIR; run test-network/scripts/install-binaries.sh"
    done
}

# ---------------------------------------------------------------- processes
# Every process we start has $XL_RUN_DIR/pids/<name>.pid and $XL_RUN_DIR/logs/<name>.log.
pid_file() { echo "$XL_RUN_DIR/pids/$1.pid"; }
log_file() { echo "$XL_RUN_DIR/logs/$1.log"; }

# process_marker NAME: the environment entry that tags a process as NAME of THIS run folder
process_marker() { echo "XINLIAN_PROCESS=$1@$XL_RUN_DIR"; }

# is_running NAME: true when the pid file names a live process that this run folder started
# (its environment carries our marker).
is_running() {
    local f pid
    f="$(pid_file "$1")"
    [[ -f "$f" ]] || return 1
    pid="$(cat "$f")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # The pid must still be the process we launched (guards against pid reuse after a reboot).
    env_has "$pid" "$(process_marker "$1")"
}

# env_has PID ENTRY: the process's initial environment contains the line ENTRY. (Read into a variable
# first: 'tr | grep -q' under pipefail fails at random when grep exits before tr has written all.)
env_has() {
    local environ
    # The redirect is inside the braces, so a process that is gone (or never ours) fails quietly.
    environ="$({ tr '\0' '\n' <"/proc/$1/environ"; } 2>/dev/null)" || return 1
    grep -qxF "$2" <<<"$environ"
}

# start_process NAME DIR CMD...: starts CMD in DIR in its own session, detached, logging to the log file.
# The process carries XINLIAN_PROCESS=NAME@RUN_DIR in its environment so is_running can recognise it.
start_process() {
    local name="$1" dir="$2"; shift 2
    mkdir -p "$XL_RUN_DIR/pids" "$XL_RUN_DIR/logs"
    if is_running "$name"; then
        log "$name already running (pid $(cat "$(pid_file "$name")"))"
        return 0
    fi
    (
        cd "$dir" || exit 1
        export "$(process_marker "$name")"
        exec setsid "$@" </dev/null >>"$(log_file "$name")" 2>&1
    ) &
    echo $! >"$(pid_file "$name")"
    log "started $name (pid $!), log $(log_file "$name")"
}

# alive PID: the process exists and is not a zombie waiting to be reaped by its new parent.
alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != Z ]]
}

# stop_process NAME: TERM the recorded pid, wait up to 10 s, then KILL; removes the pid file.
stop_process() {
    local name="$1" f pid i
    f="$(pid_file "$name")"
    [[ -f "$f" ]] || return 0
    pid="$(cat "$f")"
    if is_running "$name"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
        if alive "$pid"; then
            warn "$name (pid $pid) ignored TERM; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped $name (pid $pid)"
    fi
    rm -f "$f"
}

# wait_until DESCRIPTION TIMEOUT_SECONDS CMD...: polls CMD every 0.5 s.
wait_until() {
    local what="$1" timeout="$2" start; shift 2
    start=$SECONDS
    until "$@" >/dev/null 2>&1; do
        ((SECONDS - start < timeout)) || { warn "timed out after ${timeout}s waiting for $what"; return 1; }
        sleep 0.5
    done
}

# wait_started NAME DESCRIPTION TIMEOUT_SECONDS CMD...: like wait_until, for a process we started: fails at
# once when the process has exited (e.g. a port in use), showing the end of its log and naming it.
wait_started() {
    local name="$1" what="$2" timeout="$3" start; shift 3
    start=$SECONDS
    until "$@" >/dev/null 2>&1; do
        if ! is_running "$name" || ! alive "$(cat "$(pid_file "$name")" 2>/dev/null || echo 0)"; then
            tail -20 "$(log_file "$name")" >&2 || true
            warn "$name exited while waiting for $what; see its log $(log_file "$name")"
            return 1
        fi
        ((SECONDS - start < timeout)) || { tail -20 "$(log_file "$name")" >&2 || true; warn "timed out after ${timeout}s waiting for $what (log $(log_file "$name"))"; return 1; }
        sleep 0.5
    done
}

# https_ok URL CACERT: GET succeeds with TLS verified against CACERT.
https_ok() { curl -fsS --max-time 3 --cacert "$2" "$1" >/dev/null; }
http_ok() { curl -fsS --max-time 3 "$1" >/dev/null; }
# tls_ok HOST:PORT CACERT: a TLS handshake verifies against CACERT (gRPC listeners have no /healthz).
# s_client's exit code is unreliable after the server hangs up, so read its verdict instead.
tls_ok() {
    local out
    out="$(timeout 5 openssl s_client -connect "$1" -CAfile "$2" -verify_return_error -brief </dev/null 2>&1 || true)"
    grep -q '^Verification: OK' <<<"$out"
}

# ---------------------------------------------------------------- run-folder layout
XL_CRYPTO_DIR="$XL_RUN_DIR/crypto"
XL_RUNCFG_DIR="$XL_RUN_DIR/config"
XL_LEDGER_DIR="$XL_RUN_DIR/ledgers"
XL_BATCH_TIMEOUT="${XINLIAN_BATCH_TIMEOUT:-300ms}"
# number of Raft orderers of this run (1 or 3), fixed at 'up' time and remembered in the run folder
orderer_count() {
    if [[ -f "$XL_RUN_DIR/orderers" ]]; then cat "$XL_RUN_DIR/orderers"; else echo "${XINLIAN_ORDERERS:-1}"; fi
}

org_dir() {
    if [[ "$1" == orderer ]]; then echo "$XL_CRYPTO_DIR/ordererOrganizations/orderer.$XL_DOMAIN"
    else echo "$XL_CRYPTO_DIR/peerOrganizations/$1.$XL_DOMAIN"; fi
}
peer_host() { echo "peer0.$1.$XL_DOMAIN"; }
peer_dir() { echo "$(org_dir "$1")/peers/$(peer_host "$1")"; }
orderer_host() { echo "orderer$1.orderer.$XL_DOMAIN"; }
orderer_dir() { echo "$(org_dir orderer)/orderers/$(orderer_host "$1")"; }
user_msp() { echo "$(org_dir "$1")/users/$2/msp"; }
org_admin() { case "$1" in platform) echo platformadmin ;; bank) echo bankadmin ;; partner) echo partneradmin ;; orderer) echo ordereradmin ;; esac; }
ca_tls_cert() { echo "$XL_RUN_DIR/ca/$1/ca-cert.pem"; }
# TLS root of an org (its CA signs the TLS certificates too)
org_tls_root() { echo "$(org_dir "$1")/msp/tlscacerts/ca.pem"; }

# render_template SRC DST: fills ${XL_*} placeholders (and nothing else) from the current shell.
render_template() {
    local vars
    vars="$(compgen -v | grep '^XL_' | sed 's/^/$/' | tr '\n' ' ')"
    mkdir -p "$(dirname "$2")"
    (for v in $(compgen -v | grep '^XL_'); do export "${v?}"; done; envsubst "$vars" <"$1" >"$2")
}

# merge_yaml BASE OVERRIDE DST: deep merge (objects merge, lists and scalars of OVERRIDE win).
merge_yaml() {
    mkdir -p "$(dirname "$3")"
    yq -y -s '.[0] * .[1]' "$1" "$2" >"$3.tmp" && mv "$3.tmp" "$3"
}

# peer_env ORG [USER]: exports the peer CLI environment to act on ORG's peer as USER (default: org admin).
peer_env() {
    local org="$1" user="${2:-$(org_admin "$1")}"
    export FABRIC_CFG_PATH="$XL_RUNCFG_DIR/peer"
    export CORE_PEER_TLS_ENABLED=true
    CORE_PEER_LOCALMSPID="$(msp_id "$org")"
    CORE_PEER_MSPCONFIGPATH="$(user_msp "$org" "$user")"
    CORE_PEER_TLS_ROOTCERT_FILE="$(org_tls_root "$org")"
    CORE_PEER_ADDRESS="127.0.0.1:$(port PEER "$org")"
    export CORE_PEER_LOCALMSPID CORE_PEER_MSPCONFIGPATH CORE_PEER_TLS_ROOTCERT_FILE CORE_PEER_ADDRESS
}
orderer_tls_root() { org_tls_root orderer; }
