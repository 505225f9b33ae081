#!/usr/bin/env bash
# Alternating runs of the embedded-ledger benchmark: a base commit against the working tree.
#
#   gateway/bench/alternate.sh <base-ref> [pairs] [VAR=value ...]
#
# This machine's speed drifts within minutes (the same code has cost 316 to 506 µs of CPU per
# transaction in one afternoon), so one run before and one after a change says little. Each pair runs
# both sides back to back, the side that goes first alternating, and the script prints every run's
# committed transfers/s and CPU per transaction, then how many pairs the working tree won and the mean
# difference. VAR=value settings (for example BENCH_TRANSFER_ROUNDS=6) apply to both sides.
# Calibration: with the base at HEAD (both sides the same code) four pairs differed by +138, -143,
# +182 and +132 transfers/s, so a difference means something only when it holds across many pairs.
# Each side runs its own `npm run bench:embedded`, so a change to the script's node flags is compared too.
# The base is checked out in a temporary git worktree that shares this checkout's node_modules; it is
# removed on exit.
set -euo pipefail

usage='usage: gateway/bench/alternate.sh <base-ref> [pairs] [VAR=value ...]'
base_ref=${1:?$usage}
shift
pairs=4
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    pairs=$1
    shift
fi
for setting in "$@"; do
    [[ $setting == *=* ]] || { echo "$usage" >&2; exit 2; }
done

repo=$(git rev-parse --show-toplevel)
base_commit=$(git -C "$repo" rev-parse --verify "$base_ref^{commit}")
base=$(mktemp -d "${TMPDIR:-/tmp}/xinlian-bench-base-XXXXXX")
cleanup() {
    git -C "$repo" worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"
    git -C "$repo" worktree prune
}
trap cleanup EXIT
git -C "$repo" worktree add --detach "$base" "$base_commit" >/dev/null 2>&1
ln -s "$repo/node_modules" "$base/node_modules"
if [[ -d $repo/gateway/node_modules ]]; then
    ln -s "$repo/gateway/node_modules" "$base/gateway/node_modules"
fi

# Prints "<committed transfers/s> <CPU µs per transaction>" of the transfer phase of one run in $1.
run() {
    local dir=$1 output
    output=$(cd "$dir" && env "${@:2}" npm run --silent bench:embedded 2>&1) || {
        echo "the benchmark failed in $dir:" >&2
        echo "$output" | tail -20 >&2
        exit 1
    }
    echo "$output" | sed -nE 's/^transfer .* ([0-9]+) committed transfers\/s.*process ([0-9]+) µs.*/\1 \2/p'
}

echo "base ${base_commit:0:7} ($base_ref) against the working tree, $pairs pairs${*:+, $*}"
results=()
for ((pair = 1; pair <= pairs; pair++)); do
    order=(base tree)
    ((pair % 2 == 0)) && order=(tree base)
    declare -A figure=()
    for side in "${order[@]}"; do
        dir=$repo
        [[ $side == base ]] && dir=$base
        read -r tps cpu < <(run "$dir" "$@")
        figure[$side]=$tps
        printf 'pair %d  %-4s  %5d transfers/s  %4d µs/tx\n' "$pair" "$side" "$tps" "$cpu"
    done
    results+=("$((figure[tree] - figure[base]))")
    unset figure
done
printf '%s\n' "${results[@]}" | awk -v pairs="$pairs" '
    { sum += $1; if ($1 > 0) won++; list = list (NR > 1 ? ", " : "") ($1 > 0 ? "+" : "") $1 }
    END { printf "working tree minus base per pair: %s\nworking tree won %d of %d pairs, mean difference %+.0f transfers/s\n", list, won, pairs, sum / pairs }'
