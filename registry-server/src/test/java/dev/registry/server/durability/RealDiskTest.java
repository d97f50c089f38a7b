package dev.registry.server.durability;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.Mounts;
import dev.registry.server.testing.TestRegistry;
import dev.registry.server.write.DiskGuard;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk cases on real file systems: a small tmpfs that fills up, and a read-only mount. */
class RealDiskTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsMounts() {
        assumeTrue(Mounts.available(tmp), "mounting file systems needs privileges this run does not have");
    }

    @Test
    void aFillingTmpfsRefusesWritesKeepsReadsAndResumes() throws IOException {
        Path mount = tmp.resolve("small");
        Mounts.tmpfs(mount, 160);
        Path data = mount.resolve("data");
        Path filler = mount.resolve("filler");
        try {
            try (TestRegistry registry = new TestRegistry(
                    data, s -> s.withMinFreeSpace(48 * MIB), Clock.systemUTC(), DiskGuard.usableSpaceOf(mount))) {
                Http http = registry.http();
                assertThat(
                        http.post("/services", Http.registration("before", 1, null))
                                .status(),
                        is(201));

                fill(filler, Files.getFileStore(mount).getUsableSpace() - 24 * MIB);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> http.post("/services/before/heartbeat", "").status() == 503);
                int events = registry.logEvents().size();
                Http.Reply refused = http.post("/services", Http.registration("during", 1, null));
                assertThat(refused.status(), is(503));
                assertThat(refused.json().get("error").asText(), containsString("the disk is almost full"));
                assertThat(http.get("/services/before").status(), is(200));
                assertThat(http.get("/services/before/history").status(), is(200));
                assertThat(registry.logEvents().size(), is(events));

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> http.post("/services", Http.registration("after", 1, null))
                                        .status()
                                == 201);
            }
            try (TestRegistry again = new TestRegistry(data)) {
                assertThat(again.http().get("/services/before").status(), is(200));
                assertThat(again.http().get("/services/after").status(), is(200));
                assertThat(again.http().get("/services/during").status(), is(404));
            }
        } finally {
            Mounts.unmount(mount);
        }
    }

    @Test
    void aTmpfsFullToTheLastByteRefusesWritesWithoutHalfWrittenEventsAndResumes() throws IOException {
        Path mount = tmp.resolve("full");
        Mounts.tmpfs(mount, 100);
        Path data = mount.resolve("data");
        Path filler = mount.resolve("filler");
        String pad = "{\"pad\": \"" + "x".repeat(4000) + "\"}";
        try {
            // no --min-free-space guard: the log's memory-mapped file meets the full disk itself
            try (TestRegistry registry = new TestRegistry(
                    data, s -> s.withMinFreeSpace(0), Clock.systemUTC(), DiskGuard.usableSpaceOf(mount))) {
                Http http = registry.http();
                assertThat(
                        http.post("/services", Http.registration("before", 1, pad))
                                .status(),
                        is(201));
                fill(filler, 200 * MIB); // stops at the end of the file system
                int events = registry.logEvents().size();
                Http.Reply refused = null;
                for (int i = 0; i < 500 && refused == null; i++) {
                    Http.Reply reply = http.post("/services", Http.registration("svc-" + i, 1, pad));
                    refused = reply.status() == 503 ? reply : null;
                    events += reply.status() == 201 ? 1 : 0;
                }
                assertThat("no write was refused", refused != null, is(true));
                assertThat(refused.json().get("error").asText(), containsString("is the disk full?"));
                assertThat(
                        http.post("/services", Http.registration("again", 1, pad))
                                .status(),
                        is(503));
                assertThat(http.get("/services/before").status(), is(200));
                assertThat(registry.logEvents().size(), is(events)); // nothing half-written counts

                Files.delete(filler);
                assertThat(
                        http.post("/services", Http.registration("after", 1, pad))
                                .status(),
                        is(201));
            }
            try (TestRegistry again = new TestRegistry(data)) { // every event decodes: the start replays them all
                assertThat(again.http().get("/services/before").status(), is(200));
                assertThat(again.http().get("/services/after").status(), is(200));
                assertThat(again.http().get("/services/again").status(), is(404));
            }
        } finally {
            Mounts.unmount(mount);
        }
    }

    @Test
    void aReadOnlyDirectoryServesItsLogAndRefusesWrites() throws IOException {
        Path data = tmp.resolve("data");
        try (TestRegistry registry = new TestRegistry(data)) {
            Http http = registry.http();
            http.post("/services", Http.registration("a", 1, null));
            http.post("/services", Http.registration("b", 2, null));
            http.put("/services/a", "{\"metadata\": {\"model\": \"m1\"}}");
        }
        Path readOnly = tmp.resolve("read-only");
        Mounts.readOnlyView(data, readOnly);
        try (TestRegistry registry = new TestRegistry(readOnly)) {
            Http http = registry.http();
            assertThat(http.get("/services").json().get("total").asInt(), is(2));
            assertThat(
                    http.get("/services/a").json().get("metadata").get("model").asText(), is("m1"));
            assertThat(http.get("/services/a/history").json().get("history").size(), is(2));
            Http.Reply refused = http.post("/services", Http.registration("c", 3, null));
            assertThat(refused.status(), is(503));
            assertThat(refused.json().get("error").asText(), containsString("is read-only"));
            assertThat(http.post("/services/a/heartbeat", "").status(), is(503));
            assertThat(http.delete("/services/b").status(), is(503));
            assertThat(http.get("/services").json().get("total").asInt(), is(2));
        } finally {
            Mounts.unmount(readOnly);
        }
        // and the directory, writable again, takes writes as before
        try (TestRegistry registry = new TestRegistry(data)) {
            assertThat(
                    registry.http()
                            .post("/services", Http.registration("c", 3, null))
                            .status(),
                    is(201));
        }
    }

    @Test
    void aReadOnlyDirectoryWithoutALogRefusesToStart() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path readOnly = tmp.resolve("empty-read-only");
        Mounts.readOnlyView(empty, readOnly);
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new TestRegistry(readOnly));
            assertThat(refused.getMessage(), containsString("is read-only and holds no log"));
        } finally {
            Mounts.unmount(readOnly);
        }
    }

    /**
     * Takes {@code bytes} of the file system with a real file (tmpfs allocates what is written),
     * or all there is when that is less.
     */
    private static void fill(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) MIB);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += MIB) {
                chunk.clear();
                ch.write(chunk);
            }
        } catch (IOException noSpaceLeft) {
            if (!String.valueOf(noSpaceLeft.getMessage()).contains("No space left")) {
                throw noSpaceLeft;
            }
        }
    }
}
