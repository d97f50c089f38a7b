#!/usr/bin/env bash
# What the router adds: p50/p99 against a direct call at 5,000 requests/s to a fast fake backend,
# requests/s at saturation, and a streamed reply's time to first byte. The router runs from the
# packaged jar (java -jar tools/target/registry-tools.jar route), the backend and the load
# generator in the benchmark's JVM, all on this machine over loopback.
#   tools/bench/router.sh [SECONDS] [RATE]      # defaults: 10 s per run, 5000 requests/s
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. bin/java-env.sh
export JAVA_HOME="$REGISTRY_JAVA_HOME"
seconds=${1:-10}
rate=${2:-5000}
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "building..." >&2
    ./mvnw -q -B -DskipTests package
fi
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr); $("$REGISTRY_JAVA" -version 2>&1 | head -1)"
echo "Command: tools/bench/router.sh $seconds $rate"
echo
"$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS -Xmx1g -jar benchmarks/target/registry-benchmarks.jar route \
    tools/target/registry-tools.jar "$seconds" "$rate" 2>/dev/null
