package dev.registry.server.write;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A file system that turns read-only while the registry runs: writes refused at once, resumed when it is writable. */
class DiskGuardTest {

    @Test
    void refusesWhileReadOnlyAndTakesWritesAgainAfter() {
        AtomicBoolean readOnly = new AtomicBoolean(false);
        DiskGuard guard =
                new DiskGuard(() -> Long.MAX_VALUE, readOnly::get, "the data directory has become read-only", 0);
        assertDoesNotThrow(guard::check);

        readOnly.set(true);
        // the first check after the flip may still use the reading of up to a second ago
        assertThrows(WriteFailedException.class, () -> {
            long deadline = System.nanoTime() + 3 * DiskGuard.RECHECK_NANOS;
            while (System.nanoTime() < deadline) {
                guard.check();
                Thread.onSpinWait();
            }
        });
        WriteFailedException refused = assertThrows(WriteFailedException.class, guard::check);
        assertThat(refused.getMessage(), is("the data directory has become read-only"));

        readOnly.set(false);
        assertDoesNotThrow(guard::check); // while refusing it looks on every write, so it resumes at once
    }
}
