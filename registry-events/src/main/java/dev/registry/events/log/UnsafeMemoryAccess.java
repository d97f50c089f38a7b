package dev.registry.events.log;

import java.lang.reflect.Field;
import java.util.List;

/**
 * Chronicle (through jffi and its own bytes) uses {@code sun.misc.Unsafe} for memory access, on
 * purpose. From JDK 24 the JDK prints a four-line warning on the first such access unless the JVM
 * runs with {@code --sun-misc-unsafe-memory-access=allow}, which the launchers pass but a jar
 * manifest cannot carry. For {@code java -jar}, this marks the warning as already given, which is
 * what the JDK itself does after printing it once; on JDKs without the warning it does nothing.
 */
public final class UnsafeMemoryAccess {

    private UnsafeMemoryAccess() {}

    /**
     * The flag that allows the access for a child JVM of this one's version: JDK 23 introduced it,
     * and older ones refuse to start with it.
     */
    public static List<String> childJvmFlags() {
        return Runtime.version().feature() >= 23 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    /** Call before anything touches Chronicle: the JDK warns at most once, at the first access. */
    public static void quietWarning() {
        try {
            Field warned = Class.forName("sun.misc.Unsafe").getDeclaredField("memoryAccessWarned");
            warned.setAccessible(true); // jdk.unsupported opens sun.misc
            warned.setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException notThisJdk) {
            // JDK 21-23 have no such warning (or a JDK that changed it: then it warns, harmlessly)
        }
    }
}
