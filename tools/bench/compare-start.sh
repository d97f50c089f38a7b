#!/usr/bin/env bash
# Compares how long this checkout's server and the one at another revision take from process
# start to serving, side by side in one run: builds REV in a temporary worktree, gives both jars
# the launcher's flags (their start-up caches trained first), then starts them in turn, ROUNDS
# starts of each (default 15), and prints the median, mean and range of each. Each start is on an
# empty log, or with DATA_DIR on that directory's log and snapshots (both builds must read its
# format; each start adds its start event), e.g. one from `BenchMain generate` and `snapshot`.
# Both jars get this checkout's launcher (bin/java-env.sh): a change to the launcher itself is
# compared by starting one jar with each kind of flags, not with this.
#   tools/bench/compare-start.sh REV [ROUNDS] [DATA_DIR]
#   tools/bench/compare-start.sh HEAD~3 15
#   tools/bench/compare-start.sh HEAD~3 9 /tmp/log10m
set -euo pipefail
rev=${1:?usage: tools/bench/compare-start.sh REV [ROUNDS] [DATA_DIR]}
rounds=${2:-15}
on=()
if [ -n "${3:-}" ]; then
    on=(--on "$(cd "$3" && pwd)")
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
build_revision "$rev"
"${java[@]}" -jar benchmarks/target/registry-benchmarks.jar starts "$rounds" "${on[@]}" \
    "$old/registry-server/target/registry-server.jar" registry-server/target/registry-server.jar
echo
echo "first row: $rev ($(git rev-parse --short "$rev")); second: this checkout ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with changes'))"
