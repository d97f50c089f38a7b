# Sourced by the launchers and .ci/run: sets REGISTRY_JAVA to a `java` of version 21 or newer,
# and REGISTRY_JAVA_FLAGS to the JVM flags that Chronicle Queue wants on that version.
# Looks at JAVA_HOME, then `java` on the PATH, then the usual JDK folders (newest first).

registry_java_version() {
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
if [ "$(registry_java_version "$REGISTRY_JAVA")" -ge 23 ]; then
    # Chronicle's dependencies still use sun.misc.Unsafe; without this, JDK 24+ warns at start.
    REGISTRY_JAVA_FLAGS="$REGISTRY_JAVA_FLAGS --sun-misc-unsafe-memory-access=allow"
fi
export REGISTRY_JAVA REGISTRY_JAVA_HOME REGISTRY_JAVA_FLAGS

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
    local cds=""
    if [ "$(registry_java_version "$REGISTRY_JAVA")" -ge 19 ]; then
        # Class-data sharing: the first run writes an archive beside the jar (rewritten when the
        # jar changes); later starts load classes from it, about a second faster.
        cds="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$jar.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
    fi
    # shellcheck disable=SC2086
    exec "$REGISTRY_JAVA" $REGISTRY_JAVA_FLAGS $cds ${REGISTRY_JAVA_OPTS:-} -jar "$jar" "$@"
}
