package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.ChronicleQueues;
import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chronicle's msync is bound only in a process whose log is forced to disk ({@code --fsync batch}
 * or {@code always}): a server started that way forces its writes, and a process set up without
 * it refuses to open a log that should be forced rather than silently forcing nothing.
 */
class ForcedLogTest {

    @TempDir
    Path tmp;

    @Test
    void aServerForcingItsLogKeepsWhatItAcknowledgedAcrossKillMinus9() {
        Path data = tmp.resolve("data");
        try (ChildRegistry child = ChildRegistry.start(data, "--fsync", "always", "--checks", "off")) {
            assertThat(
                    child.http()
                            .post("/services", Http.registration("forced", 8000, null))
                            .status(),
                    is(201));
            child.kill9();
        }
        try (ChildRegistry again = ChildRegistry.start(data, "--fsync", "batch", "--checks", "off")) {
            assertThat(again.http().get("/services/forced").status(), is(200));
        }
    }

    @Test
    void aProcessSetUpWithoutMsyncRefusesALogThatShouldBeForcedAndCreatesNothing() throws Exception {
        Path plain = tmp.resolve("plain");
        Path forced = tmp.resolve("forced");
        Path out = tmp.resolve("probe.out");
        Process probe = new ProcessBuilder(
                        ChildJvm.command(WithoutMsync.class.getName(), List.of(plain.toString(), forced.toString())))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS), is(true));

        String output = Files.readString(out);
        assertThat(output, probe.exitValue(), is(3));
        assertThat(output, containsString("plain log opened"));
        assertThat(output, containsString("without msync"));
        assertThat(Files.exists(forced), is(false));
    }

    /** A process set up as {@code --fsync none} sets it up, then asked for a log forced to disk. */
    public static final class WithoutMsync {
        public static void main(String[] args) {
            ChronicleQueues.setUpInBackground(false);
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(Path.of(args[0]), false)) {
                System.out.println("plain log opened at index " + log.lastIndex());
            }
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(Path.of(args[1]), true)) {
                System.out.println("forced log opened");
                System.exit(0);
            } catch (IllegalStateException refused) {
                System.out.println(refused.getMessage());
                System.exit(3);
            }
        }
    }
}
