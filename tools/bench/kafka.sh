#!/usr/bin/env bash
# Registry nodes on Kafka beside the embedded log, in one run: heartbeats/s through one Chronicle
# node, one Kafka node and three Kafka nodes; written-to-visible-on-the-others latency; failover
# time after the lease holder is killed. Starts three local brokers (bin/kafka-local) for it.
#   tools/bench/kafka.sh [SECONDS]     (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. bin/java-env.sh
export JAVA_HOME="$REGISTRY_JAVA_HOME"
seconds=${1:-10}
./mvnw -q -B -DskipTests package
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
bin/kafka-local --brokers 3 --port "$port" --dir "$data/kafka" > "$data/kafka.out" 2> "$data/kafka.err" &
kafka=$!
trap 'kill $kafka 2>/dev/null; wait $kafka 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do grep -q '^bootstrap: ' "$data/kafka.out" && break; sleep 0.5; done
bootstrap=$(sed -n 's/^bootstrap: //p' "$data/kafka.out")
[ -n "$bootstrap" ] || { echo "kafka-local did not start: $(cat "$data/kafka.err")" >&2; exit 1; }
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr); $("$REGISTRY_JAVA" -version 2>&1 | head -1)"
echo "Command: tools/bench/kafka.sh $seconds (brokers: $bootstrap, separate processes, on the same cores)"
echo
"$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS -jar benchmarks/target/registry-benchmarks.jar kafka \
    registry-server/target/registry-server.jar "$bootstrap" "$seconds"
