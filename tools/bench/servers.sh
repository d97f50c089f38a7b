# Sourced by the benchmark scripts that start servers (compare.sh, floor.sh, gc.sh,
# heavy-readers.sh, streams.sh), from the checkout's root: the JDK (bin/java-env.sh, with
# JAVA_HOME for Maven and $java for the JVM and its flags) and the functions that build and start.
. bin/java-env.sh
export JAVA_HOME="$REGISTRY_JAVA_HOME"
java=("$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS)

# build_revision REV: builds REV in a temporary worktree (removed on exit) and this checkout;
# sets $old to the worktree.
build_revision() {
    old=$(mktemp -d)
    trap remove_revision EXIT
    echo "building $1 and this checkout..." >&2
    git worktree add -q --detach "$old" "$1"
    (cd "$old" && ./mvnw -q -B -DskipTests package)
    ./mvnw -q -B -DskipTests package
}

# remove_revision: removes the worktree build_revision made.
remove_revision() {
    git worktree remove --force "$old" 2>/dev/null || rm -rf "$old"
}

# start_server JAR [JVM_OPTION...]: starts it on a free loopback port with a fresh data directory
# and waits until it answers; sets $port, $data and $server (its pid).
start_server() {
    local jar=$1
    shift
    start_java "$@" -jar "$jar" --host 127.0.0.1 --port PORT --data-dir DATA --checks off
}

# start_java ARG...: runs java ARG... in the background, PORT and DATA in the arguments replaced
# by a free loopback port and a fresh directory, and waits until it answers on /health; sets
# $port, $data and $server (its pid).
start_java() {
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    data=$(mktemp -d)
    local args=() a
    for a in "$@"; do
        case "$a" in PORT) args+=("$port") ;; DATA) args+=("$data") ;; *) args+=("$a") ;; esac
    done
    "${java[@]}" "${args[@]}" > "$data.log" 2>&1 &
    server=$!
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
}

# stop_server: stops the server start_server started and removes its data directory.
stop_server() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -rf "$data" "$data.log"
}
