#!/usr/bin/env bash
# Event-stream subscribers against the writer, this checkout's server beside the one at another
# revision, alternated in one run: builds REV in a temporary worktree, then for each round starts
# each server and runs `BenchMain streams` (SUBSCRIBERS streams, 10 of them reading nothing,
# heartbeats at RATE/s for SECONDS), printing one table row per run.
#   tools/bench/streams.sh REV [SUBSCRIBERS] [SECONDS] [RATE] [ROUNDS]
#   tools/bench/streams.sh 197ea8b 2000 20 500 2
set -euo pipefail
rev=${1:?usage: tools/bench/streams.sh REV [SUBSCRIBERS] [SECONDS] [RATE] [ROUNDS]}
subscribers=${2:-2000}
seconds=${3:-20}
rate=${4:-500}
rounds=${5:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
ulimit -n "$(ulimit -Hn)" # two descriptors per subscriber, one on each side

build_revision "$rev"

echo "| server, round | subscribers | heartbeats | p50 ms | p99 ms | max ms | errors | RSS before | RSS, subscribers idle | RSS peak under load | streams read | resets / streams ended |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for which in old new; do
        jar=registry-server/target/registry-server.jar
        label="new (working tree), $round"
        if [ "$which" = old ]; then
            jar="$old/registry-server/target/registry-server.jar"
            label="old ($rev), $round"
        fi
        start_server "$jar" -Xmx1g
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar streams "$port" "$server" "$seconds" \
            "$subscribers" 10 "$rate" 2>/dev/null | grep '^| [0-9]' | sed "s/^| /| $label | /" || true
        stop_server
    done
done
