#!/usr/bin/env bash
# The registry against Helidon's floor, side by side in one run: a Helidon SE server that only
# answers the same paths with replies of the same shape (BenchMain floor-server, no log, no view),
# then this checkout's registry, under the same load (BenchMain http), ROUNDS times; then each
# scenario's saturation as a ratio of the registry's mean to the floor's.
#   tools/bench/floor.sh [SCENARIO] [SECONDS] [ROUNDS]      e.g. tools/bench/floor.sh heartbeat 10 3
#   SCENARIO is a part of a scenario's name ("heartbeat", "GET /health"); empty for all.
set -euo pipefail
scenario=${1-heartbeat}
seconds=${2:-10}
rounds=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
./mvnw -q -B -DskipTests package
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for round in $(seq 1 "$rounds"); do
    for which in floor registry; do
        if [ "$which" = floor ]; then
            start_java -Xmx1g -jar benchmarks/target/registry-benchmarks.jar floor-server PORT
        else
            start_server registry-server/target/registry-server.jar -Xmx1g
        fi
        "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar http "$port" "$seconds" "$scenario" 2>/dev/null \
            | grep '^| [A-Z]' | grep -v ' at 25,000/s ' | sed "s/^/| $which, round $round /" | tee -a "$rows"
        stop_server
    done
done
echo
echo "| scenario | floor (mean req/s) | registry (mean req/s) | registry / floor |"
echo "|---|---|---|---|"
# columns: | which, round N | scenario | saturation | ...
awk -F'|' '{ split($2, w, ","); gsub(/ /, "", w[1]); name = $3; gsub(/^ +| +$/, "", name);
             v = $4; gsub(/[ ,]/, "", v); sum[name, w[1]] += v; n[name, w[1]]++; names[name] = 1 }
     END { for (s in names) if (n[s, "floor"] && n[s, "registry"]) {
               f = sum[s, "floor"] / n[s, "floor"]; r = sum[s, "registry"] / n[s, "registry"];
               printf "| %s | %.0f | %.0f | %.2f |\n", s, f, r, r / f } }' "$rows"
