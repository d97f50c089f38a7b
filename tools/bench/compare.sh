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
. bin/java-env.sh
export JAVA_HOME="$REGISTRY_JAVA_HOME"
java=("$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS)

old=$(mktemp -d)
trap 'git worktree remove --force "$old" 2>/dev/null || rm -rf "$old"' EXIT
echo "building $rev and this checkout..." >&2
git worktree add -q --detach "$old" "$rev"
(cd "$old" && ./mvnw -q -B -DskipTests package)
./mvnw -q -B -DskipTests package

for round in $(seq 1 "$rounds"); do
    for which in old new; do
        jar=registry-server/target/registry-server.jar
        [ "$which" = old ] && jar="$old/registry-server/target/registry-server.jar"
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        data=$(mktemp -d)
        "${java[@]}" -Xmx1g -jar "$jar" --host 127.0.0.1 --port "$port" --data-dir "$data" --checks off \
            > "$data.log" 2>&1 &
        server=$!
        for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar http "$port" "$seconds" "$scenario" 2>/dev/null \
            | grep '^| [A-Z]' | sed "s/^/| $which ($([ "$which" = old ] && echo "$rev" || echo working tree)), round $round /"
        kill "$server"
        wait "$server" 2>/dev/null || true
        rm -rf "$data" "$data.log"
    done
done
