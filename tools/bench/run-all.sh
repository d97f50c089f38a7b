#!/usr/bin/env bash
# Runs every benchmark on this machine and writes benchmarks/results/results-<date>.md:
# JMH for the codec, log, projector, replay and list encoding; HTTP load on loopback
# (saturation, then latency at half of it on a fixed schedule); restart time by log size,
# with and without a snapshot; heap with 100,000 records; retention deleting a 5M-event file; what the
# router adds to a direct call. About 11 minutes on 2 cores.
#   tools/bench/run-all.sh            # everything
#   QUICK=1 tools/bench/run-all.sh    # shorter runs, for trying the script out
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. bin/java-env.sh
export JAVA_HOME="$REGISTRY_JAVA_HOME"
java=("$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS)

if [ -n "${QUICK:-}" ]; then
    jmh_args=(-f 1 -wi 1 -w 1s -i 2 -r 1s); http_seconds=3; sizes=(100000 1000000 400000/200000)
else
    jmh_args=(-f 1 -wi 2 -w 3s -i 3 -r 3s); http_seconds=10; sizes=(100000 1000000 10000000 1000000/200000 3000000/1000000)
fi

echo "building..." >&2
./mvnw -q -B -DskipTests package

mkdir -p benchmarks/results
out="benchmarks/results/results-$(date -u +%Y-%m-%d).md"
bench=(-jar benchmarks/target/registry-benchmarks.jar)
{
    echo "# Benchmark results, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB memory, $(uname -sr)."
    echo "Java: $("$REGISTRY_JAVA" -version 2>&1 | head -1). Load generator and server on the same machine, over loopback."
    echo "Command: \`tools/bench/run-all.sh\`"
    echo
    echo "## HTTP (64 connections; latency measured from each request's scheduled send time)"
    echo
} > "$out"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
"${java[@]}" -Xmx1g -jar registry-server/target/registry-server.jar --host 127.0.0.1 --port "$port" \
    --data-dir "$data" --checks off > "$data.server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data" "$data.server.log"' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
"${java[@]}" "${bench[@]}" http "$port" "$http_seconds" 2>/dev/null | grep '^|' >> "$out"
kill $server; wait $server 2>/dev/null || true

{
    echo
    echo "## Router (tools/bench/router.sh: a fast fake backend, direct and through the router)"
    echo
} >> "$out"
"${java[@]}" -Xmx1g "${bench[@]}" route tools/target/registry-tools.jar "$http_seconds" 5000 2>/dev/null | grep '^|' >> "$out"

{
    echo
    echo "## Restart"
    echo
} >> "$out"
"${java[@]}" "${bench[@]}" restart registry-server/target/registry-server.jar "${sizes[@]}" 2>/dev/null | grep '^|' >> "$out"

{
    echo
    echo "## Heap"
    echo
    echo "| records | heap |"
    echo "|---|---|"
} >> "$out"
"${java[@]}" -Xmx1g "${bench[@]}" heap 100000 2>/dev/null | grep '^|' >> "$out"

{
    echo
    echo "## Retention (one hourly file deleted: replayed onto the retention base, base written, file deleted)"
    echo
    echo "| file | time | rate |"
    echo "|---|---|---|"
} >> "$out"
"${java[@]}" -Xmx1g "${bench[@]}" prune 5000000 2>/dev/null | grep '^|' >> "$out"

{
    echo
    echo "## JMH (ops/s; replay: events/s)"
    echo
    echo '```'
} >> "$out"
"${java[@]}" -cp benchmarks/target/registry-benchmarks.jar org.openjdk.jmh.Main "${jmh_args[@]}" \
    -jvmArgsAppend "$REGISTRY_JAVA_FLAGS --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED" \
    2>/dev/null | sed -n '/^Benchmark/,$p' >> "$out"
echo '```' >> "$out"

cat "$out"
echo "written to $out" >&2
