package dev.registry.server;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.server.testing.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up cache ({@code registry_startup_flags} in {@code bin/java-env.sh}) on a
 * copy of the packaged jar: the first start trains and writes the cache, the next ones reuse it,
 * a rebuilt jar or a damaged cache never stops a start. On a JDK before 25 the launcher falls back
 * to class-data sharing, which this checks instead.
 */
class StartupCacheIT {

    private static final Path TARGET = Path.of("target");
    private static final Path JAVA_ENV = Path.of("..", "bin", "java-env.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theFirstStartTrainsTheNextReuseAndARebuiltJarTrainsAgain() throws Exception {
        Path jar = copyOfTheJar();
        Path cache = Path.of(jar + ".aot");
        Flags first = startupFlags(jar);
        if (Runtime.version().feature() < 25) {
            assertThat(first.flags(), containsString("-XX:SharedArchiveFile=" + jar + ".jsa"));
            return;
        }
        assertThat(first.stderr(), containsString("preparing the start-up cache"));
        assertThat(first.flags(), containsString("-XX:AOTCache=" + cache));
        assertThat(Files.size(cache) > 1_000_000, is(true));

        Flags second = startupFlags(jar);
        assertThat(second.stderr(), not(containsString("preparing")));
        assertThat(second.flags(), is(first.flags()));

        // a cache an earlier launcher made (with the training's method profiles; its stamp has no
        // "classes") is made again, without them
        Path stamp = Path.of(cache + ".jdk");
        String current = Files.readString(stamp).strip();
        assertThat(current, endsWith(" classes"));
        Files.writeString(stamp, current.substring(0, current.length() - " classes".length()) + "\n");
        Flags older = startupFlags(jar);
        assertThat(older.stderr(), containsString("preparing the start-up cache"));
        assertThat(Files.readString(stamp).strip(), is(current));

        // the server starts on the cache, and the JVM says it used it
        String log = serve(jar, second.flags() + " -Xlog:aot=info");
        assertThat(log, containsString("Opened AOT cache " + cache));

        // a damaged cache is the JVM's to ignore: the server still starts
        byte[] whole = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(whole, whole.length / 10));
        serve(jar, second.flags());

        // a jar newer than its cache gets a new one
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Flags rebuilt = startupFlags(jar);
        assertThat(rebuilt.stderr(), containsString("preparing the start-up cache"));
        assertThat("a whole cache again", Files.size(cache) > whole.length / 2, is(true));

        // a library rebuilt after the cache, the server's jar left as it was: the JVM would refuse
        // the cache (a class path mismatch) and start without any, so the launcher makes a new one
        Path lib;
        try (Stream<Path> libs = Files.list(jar.resolveSibling("libs"))) {
            lib = libs.filter(l -> l.getFileName().toString().startsWith("registry-events"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));
        Files.setLastModifiedTime(lib, FileTime.from(Instant.now().plusSeconds(120)));
        Flags libraryRebuilt = startupFlags(jar);
        assertThat(libraryRebuilt.stderr(), containsString("preparing the start-up cache"));
        String afterLibrary = serve(jar, libraryRebuilt.flags() + " -Xlog:aot=info");
        assertThat(afterLibrary, containsString("Opened AOT cache " + cache));
        assertThat(afterLibrary, not(containsString("mismatch")));
    }

    @Test
    void anotherJarGetsAClassArchiveWrittenAgainAfterARebuild() throws Exception {
        // every jar but the server's gets class-data sharing, on JDK 25 too (bin/registry-tools)
        Path jar = Files.move(copyOfTheJar(), tmp.resolve("dist").resolve("another.jar"));
        Path archive = Path.of(jar + ".jsa");
        String flags = startupFlags(jar).flags();
        assertThat(flags, containsString("-XX:SharedArchiveFile=" + archive));
        serve(jar, flags); // the JVM writes the archive as it exits
        assertThat(Files.exists(archive), is(true));

        // a jar rebuilt after its archive: the JVM would not write it again (a class path mismatch)
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(600)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        flags = startupFlags(jar).flags();
        assertThat("the stale archive is gone", Files.exists(archive), is(false));
        serve(jar, flags);
        String log = serve(jar, flags + " -Xlog:cds=info");
        assertThat(log, containsString("Mapped dynamic region"));
        assertThat(log, not(containsString("mismatch")));
    }

    /** The jar and its libs in a folder of their own, so the cache is written there, not in target. */
    private Path copyOfTheJar() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dist"));
        Files.createDirectories(dir.resolve("libs"));
        try (Stream<Path> libs = Files.list(TARGET.resolve("libs"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()));
            }
        }
        return Files.copy(
                TARGET.resolve("registry-server.jar"),
                dir.resolve("registry-server.jar"),
                StandardCopyOption.COPY_ATTRIBUTES);
    }

    private record Flags(String flags, String stderr) {}

    private Flags startupFlags(Path jar) throws Exception {
        Path err = tmp.resolve("flags.err");
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        ". \"$1\" && registry_startup_flags \"$2\"",
                        "flags",
                        JAVA_ENV.toString(),
                        jar.toString())
                .redirectError(err.toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(5, TimeUnit.MINUTES), is(true));
        assertThat(Files.readString(err), p.exitValue(), is(0));
        return new Flags(out, Files.readString(err));
    }

    /** Starts the jar with {@code flags} on an empty log, waits for it to serve, stops it: its output. */
    private String serve(Path jar, String flags) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = tmp.resolve("server-" + port + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(flags.split(" ")));
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--port",
                Integer.toString(port),
                "--host",
                "127.0.0.1",
                "--data-dir",
                tmp.resolve("data-" + port).toString()));
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Http http = new Http(port);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        assertThat("server exited", server.isAlive(), is(true));
                        return http.get("/health").status() == 200;
                    });
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS), is(true));
        }
        return Files.readString(log);
    }
}
