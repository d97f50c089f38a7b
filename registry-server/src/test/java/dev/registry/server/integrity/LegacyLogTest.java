package dev.registry.server.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.log.FileChecksum;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.LegacyLog;
import dev.registry.server.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log written before events carried checksums is refused, naming the conversion; nothing is changed. */
class LegacyLogTest {

    @TempDir
    Path tmp;

    @Test
    void anOldLogIsRefusedWithTheCommandThatConvertsItAndLeftAsItWas() throws IOException {
        Path old = LegacyLog.writeSample(tmp);
        Map<String, Long> before = checksums(old);

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> RegistryServer.start(TestRegistry.testDefaults(old), Clock.systemUTC()));
        assertThat(refused.getMessage(), containsString("written before events carried checksums"));
        assertThat(
                refused.getMessage(), containsString("registry-tools convert-log --data-dir " + old.toAbsolutePath()));
        // --repair would throw every event away as damaged: it refuses too
        IllegalStateException repair = assertThrows(
                IllegalStateException.class,
                () -> RegistryServer.start(TestRegistry.testDefaults(old).withRepair(true), Clock.systemUTC()));
        assertThat(repair.getMessage(), containsString("registry-tools convert-log"));

        IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(old));
        assertThat(child.getMessage(), containsString("exited with 1"));
        assertThat(child.getMessage(), containsString("registry-tools convert-log"));

        assertThat(checksums(old), is(before));
    }

    private static Map<String, Long> checksums(Path dir) throws IOException {
        Map<String, Long> sums = new TreeMap<>();
        try (var files = Files.list(dir)) {
            // the lock file is the server's, not the log's
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.endsWith("registry.lock"))
                    .toList()) {
                sums.put(f.getFileName().toString(), FileChecksum.of(f));
            }
        }
        return sums;
    }
}
