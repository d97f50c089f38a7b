# Sourced by the scripts that put this checkout's server beside another revision's (compare.sh,
# heavy-readers.sh), from the checkout's root with bin/java-env.sh already sourced.

# build_revision REV: builds REV in a temporary worktree (removed on exit) and this checkout;
# sets $old to the worktree.
build_revision() {
    old=$(mktemp -d)
    trap 'git worktree remove --force "$old" 2>/dev/null || rm -rf "$old"' EXIT
    echo "building $1 and this checkout..." >&2
    git worktree add -q --detach "$old" "$1"
    (cd "$old" && ./mvnw -q -B -DskipTests package)
    ./mvnw -q -B -DskipTests package
}

# start_server JAR [JVM_OPTION...]: starts it on a free loopback port with a fresh data directory
# and waits until it answers; sets $port, $data and $server (its pid).
start_server() {
    local jar=$1
    shift
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    data=$(mktemp -d)
    "${java[@]}" "$@" -jar "$jar" --host 127.0.0.1 --port "$port" --data-dir "$data" --checks off \
        > "$data.log" 2>&1 &
    server=$!
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
}

# stop_server: stops the server start_server started and removes its data directory.
stop_server() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -rf "$data" "$data.log"
}
