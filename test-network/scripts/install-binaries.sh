#!/usr/bin/env bash
# Builds the pinned Fabric, Fabric CA and Kubo binaries with the Go toolchain into a cache outside the
# repository (default ~/.cache/xinlian/fabric, override with XINLIAN_FABRIC_CACHE), and copies Fabric's
# sampleconfig next to them. Idempotent: a component whose binaries answer with the pinned version and
# match the stamp file is skipped.
set -euo pipefail
XL_COMPONENT=install
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

usage() {
    cat <<USAGE
Usage: install-binaries.sh [--check] [--force]

Installs into \$XINLIAN_FABRIC_CACHE (now: $XL_CACHE_DIR):
  Fabric    $XL_FABRIC_VERSION ($XL_FABRIC_COMMIT): peer orderer osnadmin configtxgen cryptogen
  Fabric CA $XL_FABRIC_CA_VERSION: fabric-ca-server fabric-ca-client   (cgo, sqlite)
  Kubo      $XL_KUBO_VERSION: ipfs

  --check           only report what is present / missing (exit 1 if anything is missing)
  --force           rebuild even when the binaries are present
Build order per component: 'go install <pkg>@<pinned>' first; when the proxy refuses (403 on the
module's version list), 'go mod download' the pinned module and 'go build' inside it (same go.sum).
The proxy currently refuses github.com/hyperledger/fabric itself; the script then stops and says so.
USAGE
}

CHECK_ONLY=false FORCE=false
while (($#)); do
    case "$1" in
        --check) CHECK_ONLY=true ;;
        --force) FORCE=true ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument $1" ;;
    esac
    shift
done

FABRIC_BINS=(peer orderer osnadmin configtxgen cryptogen)
CA_BINS=(fabric-ca-server fabric-ca-client)
KUBO_BINS=(ipfs)
FABRIC_STAMP="fabric=$XL_FABRIC_VERSION@$XL_FABRIC_COMMIT"
CA_STAMP="fabric-ca=$XL_FABRIC_CA_VERSION"
KUBO_STAMP="kubo=$XL_KUBO_VERSION"
FABRIC_LDFLAGS="-X github.com/hyperledger/fabric/common/metadata.Version=${XL_FABRIC_VERSION#v} -X github.com/hyperledger/fabric/common/metadata.CommitSHA=${XL_FABRIC_COMMIT:0:7}"
CA_LDFLAGS="-X github.com/hyperledger/fabric-ca/lib/metadata.Version=${XL_FABRIC_CA_VERSION#v}"

stamp_has() { [[ -f "$XL_STAMP_FILE" ]] && grep -qxF "$1" "$XL_STAMP_FILE"; }
stamp_set() {
    local key="${1%%=*}"
    mkdir -p "$XL_CACHE_DIR"
    { [[ -f "$XL_STAMP_FILE" ]] && grep -v "^$key=" "$XL_STAMP_FILE" || true; echo "$1"; } >"$XL_STAMP_FILE.tmp"
    mv "$XL_STAMP_FILE.tmp" "$XL_STAMP_FILE"
}

# reported_version BIN -> the version the binary itself reports ("" for osnadmin, which has no version
# command; it is checked by its checksum only)
reported_version() {
    case "$1" in
        peer | orderer | cryptogen | fabric-ca-server | fabric-ca-client) "$XL_BIN_DIR/$1" version 2>/dev/null | awk '/^ *Version:/ && !f {print "v"$2; f = 1}' ;;
        configtxgen) "$XL_BIN_DIR/$1" -version 2>/dev/null | awk '/^ *Version:/ && !f {print "v"$2; f = 1}' ;;
        ipfs) "$XL_BIN_DIR/ipfs" version 2>/dev/null | awk 'NR == 1 {print "v"$3}' ;;
        *) echo "" ;;
    esac
}

checksum() { sha256sum "$XL_BIN_DIR/$1" | cut -d' ' -f1; }
stamp_checksums() { local b; for b in "$@"; do stamp_set "sha256.$b=$(checksum "$b")"; done; }

# present STAMP VERSION BINS... -> true when every binary is the one we installed (checksum in the stamp),
# reports VERSION where it can, and the stamp records VERSION for the component
present() {
    local stamp="$1" version="$2" b v ok=0; shift 2
    for b in "$@"; do
        if [[ ! -x "$XL_BIN_DIR/$b" ]]; then log "missing: $b"; ok=1; continue; fi
        v="$(reported_version "$b")"
        if [[ -n "$v" || "$b" != osnadmin ]] && [[ "$v" != "$version" ]]; then log "wrong version: $b reports '${v:-nothing}', want $version"; ok=1; fi
        if ! stamp_has "sha256.$b=$(checksum "$b")"; then log "$b differs from the installed build (checksum)"; ok=1; fi
    done
    if ((ok == 0)) && ! stamp_has "$stamp"; then log "stamp lacks $stamp"; ok=1; fi
    return $ok
}

go_env() {
    # GOBIN is our cache; GOPATH/GOMODCACHE/GOCACHE stay at Go's defaults so modules are shared and cached.
    export GOBIN="$XL_BIN_DIR" GOFLAGS="-buildvcs=false" CGO_ENABLED=1
    mkdir -p "$XL_BIN_DIR"
}

# module_dir MODULE@VERSION -> directory of the downloaded module in the module cache
module_dir() { go mod download -json "$1" | jq -r 'if .Error then error(.Error) else .Dir end'; }

# build_in_dir DIR LDFLAGS PKGS...: go build inside a module tree (read-only module cache is fine).
build_in_dir() {
    local dir="$1" ldflags="$2"; shift 2
    (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$XL_BIN_DIR/" "$@")
}

install_fabric() {
    local pkgs=() b src
    for b in "${FABRIC_BINS[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$b"); done
    log "Fabric $XL_FABRIC_VERSION: trying go install @${XL_FABRIC_COMMIT:0:12}"
    if go install -trimpath -ldflags "$FABRIC_LDFLAGS" "${pkgs[@]/%/@$XL_FABRIC_COMMIT}"; then
        src="$(module_dir "github.com/hyperledger/fabric@$XL_FABRIC_COMMIT")"
        XL_FABRIC_HOW="go install @commit"
    elif log "Fabric: commit form refused; trying @$XL_FABRIC_VERSION" &&
        go install -trimpath -ldflags "$FABRIC_LDFLAGS" "${pkgs[@]/%/@$XL_FABRIC_VERSION}"; then
        src="$(module_dir "github.com/hyperledger/fabric@$XL_FABRIC_VERSION")"
        XL_FABRIC_HOW="go install @tag"
    else
        # No other source is used: the binaries come from the Go module proxy or not at all.
        die "the Go module proxy does not serve github.com/hyperledger/fabric at $XL_FABRIC_VERSION ($XL_FABRIC_COMMIT).
    Put peer, orderer, osnadmin, configtxgen and cryptogen of that version in $XL_BIN_DIR and Fabric's
    sampleconfig (core.yaml, orderer.yaml, configtx.yaml) in $XL_FABRIC_SAMPLECONFIG, then re-run."
    fi
    rm -rf "$XL_FABRIC_SAMPLECONFIG" && mkdir -p "$XL_FABRIC_SAMPLECONFIG"
    cp "$src"/sampleconfig/{core.yaml,orderer.yaml,configtx.yaml} "$XL_FABRIC_SAMPLECONFIG/"
    chmod -R u+w "$XL_FABRIC_SAMPLECONFIG"
    stamp_checksums "${FABRIC_BINS[@]}"
    stamp_set "$FABRIC_STAMP"
    stamp_set "fabric.how=$XL_FABRIC_HOW"
}

# install_module STAMP MODULE VERSION LDFLAGS BINS... (packages live under MODULE/cmd/<bin>)
install_module() {
    local stamp="$1" module="$2" version="$3" ldflags="$4" b dir pkgs=(); shift 4
    for b in "$@"; do pkgs+=("$module/cmd/$b@$version"); done
    log "$module $version: trying go install"
    if go install -trimpath -ldflags "$ldflags" "${pkgs[@]}"; then
        stamp_set "${stamp%%=*}.how=go install @$version"
    else
        log "$module: go install refused; building inside the downloaded module (go mod download + go build)"
        dir="$(module_dir "$module@$version")"
        build_in_dir "$dir" "$ldflags" "${@/#/./cmd/}"
        stamp_set "${stamp%%=*}.how=go mod download + go build in module"
    fi
    stamp_checksums "$@"
    stamp_set "$stamp"
}

timed() {
    local what="$1" t0=$SECONDS; shift
    "$@"
    log "$what took $((SECONDS - t0))s"
}

main() {
    local t0=$SECONDS missing=0 built=false
    require_cmd go jq git tar flock
    # One installer at a time per cache (network.sh up may race a manual install).
    mkdir -p "$XL_CACHE_DIR"
    exec 9>"$XL_CACHE_DIR/.install.lock"
    flock -n 9 || { log "another install is running on $XL_CACHE_DIR; waiting for it"; flock 9; }
    log "cache $XL_CACHE_DIR; $(go version); GOTOOLCHAIN=$(go env GOTOOLCHAIN)"
    go_env

    if ! $FORCE && present "$FABRIC_STAMP" "$XL_FABRIC_VERSION" "${FABRIC_BINS[@]}" && [[ -f "$XL_FABRIC_SAMPLECONFIG/core.yaml" ]]; then
        log "Fabric $XL_FABRIC_VERSION present"
    elif $CHECK_ONLY; then missing=1
    else timed "Fabric build" install_fabric; built=true; fi

    if ! $FORCE && present "$CA_STAMP" "$XL_FABRIC_CA_VERSION" "${CA_BINS[@]}"; then
        log "Fabric CA $XL_FABRIC_CA_VERSION present"
    elif $CHECK_ONLY; then missing=1
    else built=true; timed "Fabric CA build" install_module "$CA_STAMP" github.com/hyperledger/fabric-ca "$XL_FABRIC_CA_VERSION" "$CA_LDFLAGS" "${CA_BINS[@]}"; fi

    if ! $FORCE && present "$KUBO_STAMP" "$XL_KUBO_VERSION" "${KUBO_BINS[@]}"; then
        log "Kubo $XL_KUBO_VERSION present"
    elif $CHECK_ONLY; then missing=1
    else built=true; timed "Kubo build" install_module "$KUBO_STAMP" github.com/ipfs/kubo "$XL_KUBO_VERSION" "" "${KUBO_BINS[@]}"; fi

    if $CHECK_ONLY; then
        ((missing == 0)) && log "all binaries present" || log "some binaries are missing (see above)"
        return $missing
    fi
    # Final verification of what was just built: it must now be present with the pinned versions.
    $built || { log "binaries ready in $XL_BIN_DIR (all cached; $((SECONDS - t0))s)"; return 0; }
    present "$FABRIC_STAMP" "$XL_FABRIC_VERSION" "${FABRIC_BINS[@]}" || die "Fabric binaries incomplete"
    present "$CA_STAMP" "$XL_FABRIC_CA_VERSION" "${CA_BINS[@]}" || die "Fabric CA binaries incomplete"
    present "$KUBO_STAMP" "$XL_KUBO_VERSION" "${KUBO_BINS[@]}" || die "Kubo binary incomplete"
    log "binaries ready in $XL_BIN_DIR (total $((SECONDS - t0))s)"
}

main
