#!/usr/bin/env bash
# Helidon's floor, the registry at another revision and this checkout's registry, all three up at
# once, under the same load in turn: wrk -t1 -c32 for SECONDS on each, ROUNDS rounds, the order
# rotated every round. Then each server's mean, and each registry's ratio to the floor: of the
# means, and the median of the rounds' own ratios. On a shared machine whose speed drifts from
# minute to minute, servers measured seconds apart are comparable where runs minutes apart are not
# (floor.sh and compare.sh start one server at a time).
#   tools/bench/side-by-side.sh REV [SCENARIO] [ROUNDS] [SECONDS]
#   tools/bench/side-by-side.sh HEAD~3 heartbeat 8 5
#   SCENARIO: heartbeat (POST /services/{name}/heartbeat round 1,000 names) or health (GET /health).
# Each server gets the same 1,000 records first (BenchMain seed); the registries have --checks off.
set -euo pipefail
rev=${1:?usage: tools/bench/side-by-side.sh REV [SCENARIO] [ROUNDS] [SECONDS]}
scenario=${2:-heartbeat}
rounds=${3:-8}
seconds=${4:-5}
case "$scenario" in
    heartbeat | health) ;;
    *)
        echo "SCENARIO is heartbeat or health, not $scenario" >&2
        exit 2
        ;;
esac
command -v wrk > /dev/null || {
    echo "wrk is not installed (apt-get install -y wrk)" >&2
    exit 1
}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/bench/servers.sh
build_revision "$rev"

names=(floor "$rev" "this checkout")
ports=()
pids=()
dirs=()
stop_all() {
    local k
    for k in "${!pids[@]}"; do
        server=${pids[$k]} data=${dirs[$k]} stop_server || true # the others still stop
    done
    remove_revision
}
trap stop_all EXIT
for which in 0 1 2; do
    case $which in
        0) start_java -Xmx1g -jar benchmarks/target/registry-benchmarks.jar floor-server PORT ;;
        1) start_server "$old/registry-server/target/registry-server.jar" -Xmx1g ;;
        2) start_server registry-server/target/registry-server.jar -Xmx1g ;;
    esac
    ports+=("$port")
    pids+=("$server")
    dirs+=("$data")
    "${java[@]}" -jar benchmarks/target/registry-benchmarks.jar seed "$port" > /dev/null
done

# load PORT DURATION: prints the requests per second wrk measured
load() {
    local url="http://127.0.0.1:$1/"
    if [ "$scenario" = health ]; then
        wrk -t1 -c32 -d"$2" "${url}health"
    else
        wrk -t1 -c32 -d"$2" -s tools/bench/wrk/heartbeat.lua "$url"
    fi | awk '/Requests\/sec/ { print $2 }'
}

for which in 0 1 2; do
    load "${ports[$which]}" 3s > /dev/null # warm-up
done
rows=$(mktemp)
for round in $(seq 1 "$rounds"); do
    for k in 0 1 2; do
        which=$(((k + round) % 3))
        echo "$round $which $(load "${ports[$which]}" "${seconds}s")"
    done
done | tee "$rows" | awk -v n0="${names[0]}" -v n1="${names[1]}" -v n2="${names[2]}" \
    '{ name[0] = n0; name[1] = n1; name[2] = n2; printf "| round %d | %s | %.0f |\n", $1, name[$2], $3 }'
echo
echo "| $scenario, wrk -t1 -c32, ${seconds} s a round | mean req/s | / floor, of the means | median of the rounds' ratios to the floor | rounds |"
echo "|---|---|---|---|---|"
awk -v n0="${names[0]}" -v n1="${names[1]}" -v n2="${names[2]}" '
    { v[$1, $2] = $3; sum[$2] += $3; count[$2]++; if ($1 > maxr) maxr = $1 }
    END {
        name[0] = n0; name[1] = n1; name[2] = n2
        for (s = 0; s <= 2; s++) {
            k = 0
            for (r = 1; r <= maxr; r++) if (v[r, 0] > 0) ratios[++k] = v[r, s] / v[r, 0]
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (ratios[j] < ratios[i]) { t = ratios[i]; ratios[i] = ratios[j]; ratios[j] = t }
            median = k % 2 ? ratios[(k + 1) / 2] : (ratios[k / 2] + ratios[k / 2 + 1]) / 2
            printf "| %s | %.0f | %.2f | %.2f | %d |\n", name[s], sum[s] / count[s], sum[s] / count[s] / (sum[0] / count[0]), median, k
        }
    }' "$rows"
rm -f "$rows"
