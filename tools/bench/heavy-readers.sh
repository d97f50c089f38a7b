#!/usr/bin/env bash
# Heartbeats while heavy readers run (issue 14), this checkout's server against another revision's,
# side by side in one run: builds REV in a temporary worktree, then for each server loads 200,000
# records and measures heartbeat latency and RSS while 8 clients ask /diff and ?at= over the
# whole range and 16 list every record (BenchMain heavy-readers).
#   tools/bench/heavy-readers.sh REV [SECONDS] [ROUNDS]
set -euo pipefail
rev=${1:?usage: tools/bench/heavy-readers.sh REV [SECONDS] [ROUNDS]}
seconds=${2:-30}
rounds=${3:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
build_revision "$rev"

echo "| server | heartbeats | p50 ms | p99 ms | max ms | heavy replies 200 / 503 / failed | largest RSS |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for which in old new; do
        jar=registry-server/target/registry-server.jar
        [ "$which" = old ] && jar="$old/registry-server/target/registry-server.jar"
        start_server "$jar" # no -Xmx: the JVM's default heap (a quarter of the memory), as an operator starts it
        label="$which ($([ "$which" = old ] && echo "$rev" || echo working tree)), round $round"
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar heavy-readers "$port" "$server" "$seconds" "$label" \
            2>/dev/null | grep '^| [a-z]' || echo "| $label | failed |"
        stop_server
    done
done
