#!/usr/bin/env bash
# Compares this checkout's server with the one at another revision, side by side in one run:
# builds REV in a temporary worktree, then alternates old and new servers under the same load
# (BenchMain http, one scenario), ROUNDS times, printing one table row per run.
#   tools/bench/compare.sh REV [SCENARIO] [SECONDS] [ROUNDS]
#   tools/bench/compare.sh HEAD~5 heartbeat 10 3
set -euo pipefail
rev=${1:?usage: tools/bench/compare.sh REV [SCENARIO] [SECONDS] [ROUNDS]}
scenario=${2:-heartbeat}
seconds=${3:-10}
rounds=${4:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh

build_revision "$rev"

for round in $(seq 1 "$rounds"); do
    for which in old new; do
        jar=registry-server/target/registry-server.jar
        [ "$which" = old ] && jar="$old/registry-server/target/registry-server.jar"
        start_server "$jar" -Xmx1g
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar http "$port" "$seconds" "$scenario" 2>/dev/null \
            | grep '^| [A-Z]' | sed "s/^/| $which ($([ "$which" = old ] && echo "$rev" || echo working tree)), round $round /"
        stop_server
    done
done
