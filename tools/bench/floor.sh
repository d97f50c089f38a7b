#!/usr/bin/env bash
# The registry against Helidon's floor, side by side in one run: a Helidon SE server that only
# answers the same paths with replies of the same shape (BenchMain floor-server, no log, no view),
# then this checkout's registry, under the same load, ROUNDS times, alternating; then each
# scenario's saturation as a ratio: of the means, and the median of the rounds' own ratios.
#   tools/bench/floor.sh [SCENARIO] [SECONDS] [ROUNDS]      e.g. tools/bench/floor.sh 'heartbeat|GET /health' 10 5
#   SCENARIO is a part of a scenario's name ("heartbeat", "GET /health"); empty for all.
# The load is wrk -t1 -c32 (Debian's wrk), as the issue measured the floor: one load thread, 32
# keep-alive connections, on the same two cores as the server. Without wrk, or with
# FLOOR_LOAD=java, it is BenchMain http (64 connections, a Java load generator that takes more
# of the cores, which narrows every ratio) with all its scenarios.
# Both servers get the same 1,000 records first (BenchMain seed); heartbeats go round their names.
set -euo pipefail
scenario=${1-heartbeat}
seconds=${2:-10}
rounds=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
./mvnw -q -B -DskipTests package
load=${FLOOR_LOAD:-wrk}
if [ "$load" = wrk ] && ! command -v wrk > /dev/null; then
    echo "wrk is not installed (apt-get install -y wrk): using the Java load generator" >&2
    load=java
fi
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

# wrk_row NAME ARGS...: a warm-up, then SECONDS of saturation; prints "| NAME | req/s | p50 ms | p99 ms |"
wrk_row() {
    local name=$1 out
    shift
    wrk -t1 -c32 -d3s "$@" > /dev/null
    out=$(wrk -t1 -c32 -d"${seconds}s" --latency "$@")
    echo "$out" | awk -v name="$name" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /Non-2xx/ { bad = $NF }
        END { printf "| %s | %.0f | %.2f | %.2f | %d |\n", name, rps, p50, p99, bad }'
}

for round in $(seq 1 "$rounds"); do
    for which in floor registry; do
        if [ "$which" = floor ]; then
            start_java -Xmx1g -jar benchmarks/target/registry-benchmarks.jar floor-server PORT
        else
            start_server registry-server/target/registry-server.jar -Xmx1g
        fi
        if [ "$load" = wrk ]; then
            "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar seed "$port"
            {
                if [[ "POST /services/{name}/heartbeat" =~ $scenario ]]; then
                    wrk_row "POST /services/{name}/heartbeat" -s tools/bench/wrk/heartbeat.lua "http://127.0.0.1:$port/"
                fi
                if [[ "GET /health" =~ $scenario ]]; then
                    wrk_row "GET /health" "http://127.0.0.1:$port/health"
                fi
            } | sed "s/^/| $which, round $round /" | tee -a "$rows"
        else
            "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar http "$port" "$seconds" "$scenario" 2>/dev/null \
                | grep '^| [A-Z]' | grep -v ' at 25,000/s ' | sed "s/^/| $which, round $round /" | tee -a "$rows"
        fi
        stop_server
    done
done
echo
echo "load: $load; rows above: | server, round | scenario | saturation (req/s) | ... |"
echo
echo "| scenario | floor (mean req/s) | registry (mean req/s) | registry / floor, of the means | median of the rounds' ratios | rounds |"
echo "|---|---|---|---|---|---|"
# columns: | which, round N | scenario | saturation | ...
awk -F'|' '{ split($2, w, ","); gsub(/ /, "", w[1]); r = w[2]; gsub(/[^0-9]/, "", r);
             name = $3; gsub(/^ +| +$/, "", name); v = $4; gsub(/[ ,]/, "", v);
             sum[name, w[1]] += v; n[name, w[1]]++; names[name] = 1; val[name, w[1], r] = v; if (r > maxr) maxr = r }
     END { for (s in names) if (n[s, "floor"] && n[s, "registry"]) {
               f = sum[s, "floor"] / n[s, "floor"]; g = sum[s, "registry"] / n[s, "registry"];
               k = 0; for (r = 1; r <= maxr; r++) if (val[s, "floor", r] > 0 && val[s, "registry", r] != "")
                   ratios[++k] = val[s, "registry", r] / val[s, "floor", r];
               for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (ratios[j] < ratios[i]) { t = ratios[i]; ratios[i] = ratios[j]; ratios[j] = t }
               median = k % 2 ? ratios[(k + 1) / 2] : (ratios[k / 2] + ratios[k / 2 + 1]) / 2;
               printf "| %s | %.0f | %.0f | %.2f | %.2f | %d |\n", s, f, g, g / f, median, k } }' "$rows"
