#!/usr/bin/env bash
# Heartbeats under each garbage-collector setting that fits a latency-sensitive server on 2 cores,
# side by side in one run: saturation, then latency at 25,000/s on a fixed schedule (open loop,
# BenchMain http's heartbeat scenario), ROUNDS times, one table row per run.
#   tools/bench/gc.sh [SECONDS] [ROUNDS]
set -euo pipefail
seconds=${1:-10}
rounds=${2:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
./mvnw -q -B -DskipTests package

# label|JVM options (every candidate gets the same heap ceiling)
candidates=(
    "G1, the JVM's default|-Xmx1g"
    "G1, pause target 5 ms|-Xmx1g -XX:MaxGCPauseMillis=5"
    "G1, heap fixed and touched at start|-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
    "generational ZGC|-Xmx1g -XX:+UseZGC"
    "Parallel|-Xmx1g -XX:+UseParallelGC"
    "Serial|-Xmx1g -XX:+UseSerialGC"
)
echo "Command: tools/bench/gc.sh $seconds $rounds"
echo
echo "| collector, round | scenario | saturation | latency run at | p50 | p99 | p99.9 | errors |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for candidate in "${candidates[@]}"; do
        label=${candidate%%|*}
        # shellcheck disable=SC2086
        start_server registry-server/target/registry-server.jar ${candidate#*|}
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar http "$port" "$seconds" heartbeat 2>/dev/null \
            | grep '^| [A-Z]' | sed "s/^/| $label, round $round /"
        stop_server
    done
done
