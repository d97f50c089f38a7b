# Sourced by the launchers and .ci/run: sets REGISTRY_JAVA to a `java` of version 21 or newer,
# and REGISTRY_JAVA_FLAGS to the JVM flags that Chronicle Queue wants on that version (its major
# version in REGISTRY_JAVA_VERSION).
# Looks at JAVA_HOME, then `java` on the PATH, then the usual JDK folders (newest first).

registry_java_version() {
    # the JDK's release file says it without starting a JVM (a tenth of a second each time)
    local release version
    release="$(dirname "$(readlink -f "$1")")/../release"
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" 2>/dev/null)
    if [ -n "$version" ] && [ "$version" != 1 ]; then
        echo "$version"
        return
    fi
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | sed 's/^1\.//'
}

registry_find_java() {
    local candidate version
    for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" \
            $(ls -d /usr/lib/jvm/*/bin/java /opt/java/*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java \
                  "$HOME"/.jdks/*/bin/java 2>/dev/null | sort -rV); do
        [ -x "$candidate" ] || continue
        version=$(registry_java_version "$candidate")
        if [ -n "$version" ] && [ "$version" -ge 21 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! REGISTRY_JAVA=$(registry_find_java); then
    echo "This needs Java 21 or newer (Temurin 25 recommended); none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
    return 1 2>/dev/null || exit 1
fi
REGISTRY_JAVA_HOME=$(cd "$(dirname "$REGISTRY_JAVA")/.." && pwd)
REGISTRY_JAVA_FLAGS="-Dchronicle.analytics.disable=true"
REGISTRY_JAVA_VERSION=$(registry_java_version "$REGISTRY_JAVA")
if [ "$REGISTRY_JAVA_VERSION" -ge 23 ]; then
    # Chronicle's dependencies still use sun.misc.Unsafe; without this, JDK 24+ warns at start.
    REGISTRY_JAVA_FLAGS="$REGISTRY_JAVA_FLAGS --sun-misc-unsafe-memory-access=allow"
fi
export REGISTRY_JAVA REGISTRY_JAVA_HOME REGISTRY_JAVA_FLAGS REGISTRY_JAVA_VERSION

# Runs the jar at $1 (relative to the repository), building the project first if it is missing.
registry_run_jar() {
    local root jar
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    jar="$root/$1"
    shift
    if [ ! -f "$jar" ]; then
        echo "building $jar (first run only)..." >&2
        (cd "$root" && JAVA_HOME="$REGISTRY_JAVA_HOME" ./mvnw -q -B -DskipTests package) || return 1
    fi
    # shellcheck disable=SC2086
    exec "$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS $(registry_startup_flags "$jar") ${REGISTRY_JAVA_OPTS:-} -jar "$jar" "$@"
}

# The JVM options that make a start of $1 faster, preparing what they need on first use.
# JDK 25+, the server: an ahead-of-time cache (JEP 483/514) of the classes a start loads and
# links, written by a training run (StartupTraining) once per build of the jar and per JDK. Other
# jars, JDK 19-24, or a training that failed: class-data sharing, an archive written beside the
# jar by the first run. A cache the JVM cannot use (a different JDK build, a rebuilt jar) is
# ignored by the JVM, and -Xlog:aot*=off keeps that quiet. With the cache, the JIT compiles a
# method after twice the usual calls (-XX:CompileThresholdScaling=2): on two cores its
# compilations share the cores with the start (to serving 0-70 ms sooner over six alternated
# runs, the most on a busy machine; a 10M-event start from a snapshot 0.74 against 0.80 s, a full
# replay 2.64 against 2.86 s), for a tenth fewer heartbeats in the first three seconds of load
# and the same after.
# BenchMain starts and trains its Helidon floor with the same two sets of options.
REGISTRY_AOT_START_FLAGS="-Xlog:aot*=off -Xlog:cds*=off -XX:CompileThresholdScaling=2"
REGISTRY_AOT_TRAINING_FLAGS="-XX:+UnlockDiagnosticVMOptions -XX:+IgnoreUnrecognizedVMOptions -XX:-AOTRecordTraining"
registry_startup_flags() {
    local jar=$1 version=$REGISTRY_JAVA_VERSION aot stamp
    aot="$jar.aot"
    # the JDK's folder and exact build: a JDK updated in place gets a new cache too; and the kind
    # of cache, so one made by an earlier launcher (with method profiles) is made again
    stamp="$REGISTRY_JAVA_HOME $(grep -s '^JAVA_RUNTIME_VERSION=' "$REGISTRY_JAVA_HOME/release") classes"
    if [ "$version" -ge 25 ] && [ "$(basename "$jar")" = registry-server.jar ]; then
        if [ ! -f "$aot" ] || registry_built_after "$aot" "$jar" || [ "$(cat "$aot.jdk" 2>/dev/null)" != "$stamp" ]; then
            registry_train_startup "$jar" "$aot" "$stamp"
        fi
        if [ -f "$aot" ]; then
            echo "-XX:AOTCache=$aot $REGISTRY_AOT_START_FLAGS"
            return
        fi
    fi
    if [ "$version" -ge 19 ]; then
        # the JVM writes the archive again for another JDK, but not for a rebuilt jar (a class path
        # mismatch): it would start without one from then on
        if [ -f "$jar.jsa" ] && registry_built_after "$jar.jsa" "$jar"; then
            rm -f "$jar.jsa"
        fi
        echo "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$jar.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
    fi
}

# Whether the jar $2, or a jar of its class path (libs/ beside it), is newer than $1: a cache or an
# archive made before a rebuild, which the JVM refuses (a class path mismatch) and then starts
# without any, not even the JDK's own. A rebuild that changes only a library leaves the server's
# jar as it was (Maven does not write a jar again whose contents did not change).
registry_built_after() {
    local made=$1 jar=$2 libs
    [ "$jar" -nt "$made" ] && return 0
    libs="$(dirname "$jar")/libs"
    [ -d "$libs" ] && [ -n "$(find "$libs" -name '*.jar' -newer "$made" -print -quit 2> /dev/null)" ]
}

# Writes the start-up cache $2 of the server jar $1 for the JDK $3 (about 15 s of CPU): a server on an empty log in
# a temporary directory, the requests of a fleet, a stop. The registry's own environment variables
# are left out, so a token or a port set for the real server cannot fail the training.
# Without the training's method profiles (JEP 515, -XX:-AOTRecordTraining): on two cores the ~200
# C2 compilations they bring to every start held its main thread back (start to serving 0.65
# against 0.77 s, medians of 20, alternated), and the first seconds of load were no faster with
# them. A JDK without that diagnostic option ignores it and keeps the profiles.
registry_train_startup() {
    local jar=$1 aot=$2 stamp=$3 tmp="$2.$$" unset_registry
    echo "preparing the start-up cache $aot (once per build of the jar)..." >&2
    unset_registry=$(env | sed -n 's/^\(REGISTRY_[A-Za-z0-9_]*\)=.*/-u \1/p')
    # shellcheck disable=SC2086
    if env $unset_registry "$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS ${REGISTRY_JAVA_OPTS:-} -XX:AOTCacheOutput="$tmp" \
            $REGISTRY_AOT_TRAINING_FLAGS -Xlog:aot*=off -Xlog:cds*=off -Dregistry.startup-training=true -jar "$jar" > "$tmp.log" 2>&1 \
            && [ -s "$tmp" ]; then
        mv -f "$tmp" "$aot" && echo "$stamp" > "$aot.jdk"
        rm -f "$tmp.log"
    else
        echo "start-up cache not written (see $aot.failed.log); starting without it" >&2
        mv -f "$tmp.log" "$aot.failed.log" 2>/dev/null
        rm -f "$tmp" "$tmp.config"
    fi
}
