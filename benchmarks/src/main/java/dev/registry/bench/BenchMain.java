package dev.registry.bench;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.FileTree;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.log.RollPeriod;
import dev.registry.events.log.UnsafeMemoryAccess;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.RegistryServer;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.retention.Pruner;
import dev.registry.server.retention.RetentionRule;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * The benchmark driver behind {@code tools/bench/run-all.sh}. Subcommands print Markdown table
 * rows, so the script can assemble the results file:
 * <ul>
 *   <li>{@code http PORT SECONDS [SCENARIO]}: load on a running server (seeds 1,000 records first);</li>
 *   <li>{@code seed PORT}: registers the same 1,000 records, for a load generator of its own (wrk);</li>
 *   <li>{@code floor-server PORT}: Helidon's floor, a server that only answers (see {@link FloorServer});</li>
 *   <li>{@code restart SERVER_JAR SIZE...}: time from process start to serving, per log size, with
 *       and without a snapshot; a SIZE is {@code EVENTS} (1,000 records) or {@code EVENTS/RECORDS};
 *       first an empty log, five starts of each kind alternated, beside Helidon's floor (on JDK 25+,
 *       with an ahead-of-time cache of its own);</li>
 *   <li>{@code starts ROUNDS [--on DATA_DIR] START...}: time from process start to serving on an
 *       empty log (or on DATA_DIR's log and snapshots, which each start adds its start event to),
 *       for builds or JVM options side by side, one start of each per round, ROUNDS rounds. A
 *       START is {@code SERVER_JAR} with the launcher's flags (this build and another revision's:
 *       {@code tools/bench/compare-start.sh}), {@code SERVER_JAR+OPTIONS} with JVM options after
 *       those (the last of an option wins), or {@code SERVER_JAR=OPTIONS} with those alone;
 *       OPTIONS are separated by spaces;</li>
 *   <li>{@code heap RECORDS}: heap in use after GC with that many records;</li>
 *   <li>{@code prune EVENTS}: time retention takes to delete an hourly file of that many events
 *       (replaying them onto the retention base, writing it, deleting);</li>
 *   <li>{@code heavy-readers PORT PID SECONDS LABEL [TRAVELLERS LISTERS]}: heartbeat latency and the
 *       server's RSS while readers (default 8 and 16) ask for diffs, past views and whole lists of
 *       200,000 records (see {@link HeavyReaders});</li>
 *   <li>{@code route TOOLS_JAR SECONDS [RATE]}: what the router adds to a direct call to a fast backend,
 *       at RATE requests/s (default 5,000), at saturation, and to a streamed reply's first byte;</li>
 *   <li>{@code streams PORT SERVER_PID SECONDS [SUBSCRIBERS] [SLOW] [RATE]}: heartbeat latency and the
 *       server's RSS while SUBSCRIBERS (default 2,000) follow {@code GET /events/stream}, SLOW of them
 *       (default 10) reading nothing, at RATE heartbeats/s (default 500; see {@link StreamSubscribersBench});</li>
 *   <li>{@code generate DIR EVENTS RECORDS}: a synthetic log.</li>
 *   <li>{@code snapshot DIR}: a snapshot at the end of the log in {@code DIR}, as a running server would write it.</li>
 * </ul>
 */
public final class BenchMain {

    /** What the fleet's Python clients send. */
    private static final String ACCEPT_GZIP = "Accept-Encoding: gzip, deflate";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "snapshot" -> {
                long t0 = System.nanoTime();
                writeSnapshotAtEnd(Path.of(args[1]));
                System.out.printf("wrote a snapshot at the log's end in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            case "generate" -> {
                long t0 = System.nanoTime();
                SyntheticLog.write(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
                System.out.printf("wrote %s events in %.1f s%n", args[2], (System.nanoTime() - t0) / 1e9);
            }
            case "floor-server" -> FloorServer.serve(Integer.parseInt(args[1]));
            case "http" -> http(Integer.parseInt(args[1]), Double.parseDouble(args[2]), args.length > 3 ? args[3] : "");
            case "seed" -> seed(Integer.parseInt(args[1]));
            case "restart" -> restart(Path.of(args[1]), List.of(args).subList(2, args.length));
            case "starts" -> {
                List<String> jars = List.of(args).subList(2, args.length);
                Path on = null;
                if (!jars.isEmpty() && jars.getFirst().equals("--on")) {
                    on = Path.of(jars.get(1));
                    jars = jars.subList(2, jars.size());
                }
                starts(Integer.parseInt(args[1]), on, jars);
            }
            case "heap" -> heap(Integer.parseInt(args[1]));
            case "prune" -> prune(Long.parseLong(args[1]));
            case "streams" -> {
                StreamSubscribersBench.header();
                StreamSubscribersBench.run(
                        Integer.parseInt(args[1]),
                        Long.parseLong(args[2]),
                        Double.parseDouble(args[3]),
                        args.length > 4 ? Integer.parseInt(args[4]) : 2000,
                        args.length > 5 ? Integer.parseInt(args[5]) : 10,
                        args.length > 6 ? Double.parseDouble(args[6]) : 500);
            }
            case "heavy-readers" ->
                HeavyReaders.run(
                        args[4],
                        Integer.parseInt(args[1]),
                        Long.parseLong(args[2]),
                        Double.parseDouble(args[3]),
                        args.length > 5 ? Integer.parseInt(args[5]) : HeavyReaders.TIME_TRAVELLERS,
                        args.length > 6 ? Integer.parseInt(args[6]) : HeavyReaders.LISTERS);
            case "kafka" -> KafkaNodesBench.run(Path.of(args[1]), args[2], Double.parseDouble(args[3]));
            case "route" ->
                RouterOverhead.run(
                        Path.of(args[1]),
                        Double.parseDouble(args[2]),
                        args.length > 3 ? Double.parseDouble(args[3]) : 5000);
            default -> {
                System.err.println(
                        "usage: generate DIR EVENTS RECORDS | snapshot DIR | http PORT SECONDS [SCENARIO] | seed PORT | floor-server PORT | restart SERVER_JAR SIZE... | starts ROUNDS [--on DATA_DIR] START... | heap RECORDS | prune EVENTS | route TOOLS_JAR SECONDS [RATE] | heavy-readers PORT PID SECONDS LABEL [TRAVELLERS LISTERS] | streams PORT SERVER_PID SECONDS [SUBSCRIBERS] [SLOW] [RATE] | kafka SERVER_JAR BOOTSTRAP SECONDS");
                System.exit(2);
            }
        }
    }

    // ---- HTTP load -------------------------------------------------------------------------

    /**
     * Runs the scenarios whose names contain {@code only} (all when empty), or any of its
     * {@code |}-separated parts ({@code "records|gzip"}).
     */
    private static void http(int port, double seconds, String only) throws Exception {
        HttpLoad load = new HttpLoad("127.0.0.1", port);
        seed(port);
        String etag = etagOf(port, "/services?healthy=true");
        int listBytes = request(port, "GET", "/services?healthy=true", null).length();
        int gzipBytes = gzipLength(port, "/services?healthy=true");
        System.out.printf(
                "| scenario | saturation (req/s) | rate for latency (req/s) | p50 ms | p99 ms | p99.9 ms | errors |%n");
        System.out.printf("|---|---|---|---|---|---|---|%n");
        List<HttpLoad.Scenario> scenarios = List.of(
                new HttpLoad.Scenario(
                        "GET /services?healthy=true, 1,000 records (" + listBytes / 1024 + " KiB)",
                        k -> HttpLoad.Scenario.http("GET", "/services?healthy=true", null),
                        200),
                new HttpLoad.Scenario(
                        "same, If-None-Match (304)",
                        k -> HttpLoad.Scenario.http("GET", "/services?healthy=true", null, "If-None-Match: " + etag),
                        304),
                new HttpLoad.Scenario("GET /health", k -> HttpLoad.Scenario.http("GET", "/health", null), 200),
                new HttpLoad.Scenario(
                        "GET /services?healthy=true, Accept-Encoding: gzip (" + gzipBytes / 1024 + " KiB)",
                        k -> HttpLoad.Scenario.http("GET", "/services?healthy=true", null, ACCEPT_GZIP),
                        200),
                new HttpLoad.Scenario(
                        "GET /services?status=running, 1,000 records",
                        k -> HttpLoad.Scenario.http("GET", "/services?status=running", null),
                        200),
                new HttpLoad.Scenario(
                        "GET /services?healthy=false (empty list)",
                        k -> HttpLoad.Scenario.http("GET", "/services?healthy=false", null),
                        200),
                new HttpLoad.Scenario(
                        "GET /services/{name}",
                        k -> HttpLoad.Scenario.http("GET", "/services/svc-" + k % 1000, null),
                        200),
                new HttpLoad.Scenario(
                        "POST /services/{name}/heartbeat",
                        k -> HttpLoad.Scenario.http("POST", "/services/svc-" + k % 1000 + "/heartbeat", null),
                        200),
                new HttpLoad.Scenario(
                        "POST /services (register)",
                        k -> HttpLoad.Scenario.http("POST", "/services", registration(k % 1000)),
                        201));
        for (HttpLoad.Scenario s : scenarios.stream()
                .filter(s -> List.of(only.split("\\|", -1)).stream().anyMatch(s.name()::contains))
                .toList()) {
            load.saturate(s, 64, Math.min(3, seconds)); // warm-up
            HttpLoad.Result max = load.saturate(s, 64, seconds);
            double rate = Math.floor(max.perSecond() / 2 / 100) * 100;
            HttpLoad.Result half = load.atRate(s, 64, seconds, rate);
            row(s.name(), max, rate, half);
            if (s.name().contains("heartbeat")
                    && max.perSecond() > 30_000) { // the fixed rate, where the server can take it
                row(s.name() + " at 25,000/s", max, 25_000, load.atRate(s, 64, seconds, 25_000));
            }
        }
    }

    /** The 1,000 records every HTTP scenario runs against: svc-0 to svc-999. */
    private static void seed(int port) throws IOException {
        for (int i = 0; i < 1000; i++) {
            request(port, "POST", "/services", registration(i));
        }
    }

    private static void row(String name, HttpLoad.Result max, double rate, HttpLoad.Result at) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %d |%n",
                name,
                max.perSecond(),
                rate,
                at.percentileMillis(50),
                at.percentileMillis(99),
                at.percentileMillis(99.9),
                max.errors() + at.errors());
    }

    static String registration(int i) {
        return "{\"name\":\"svc-" + i + "\",\"host\":\"10.1." + i / 250 + "." + i % 250 + "\",\"port\":"
                + (8000 + i % 1000)
                + ",\"hostname\":\"gpu-node-" + i + ".cluster.local\",\"url\":\"http://10.1." + i / 250 + "." + i % 250
                + ":"
                + (8000 + i % 1000)
                + "\",\"status\":\"running\",\"metadata\":{\"type\":\"openai-api\",\"models\":[\"model-"
                + i % 7 + "\"],\"models_list\":[{\"id\":\"model-" + i % 7
                + "\",\"object\":\"model\",\"owned_by\":\"fleet\"}],"
                + "\"parent_service\":\"sitter-" + i + "\",\"weight\":" + (1 + i % 3) + "}}";
    }

    static String request(int port, String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The length of a reply sent gzip-encoded (HttpURLConnection leaves it encoded). */
    private static int gzipLength(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestProperty("Accept-Encoding", "gzip");
        try (var in = c.getInputStream()) {
            return in.readAllBytes().length;
        }
    }

    private static String etagOf(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.getInputStream().readAllBytes();
        return c.getHeaderField("ETag");
    }

    // ---- Restart time ----------------------------------------------------------------------

    /** The longest a start may take to serve: a 1M-record log takes seconds, never minutes. */
    private static final Duration START_BOUND = Duration.ofMinutes(10);

    /** Starts of each kind on an empty log, one of each kind a round. */
    private static final int EMPTY_LOG_ROUNDS = 5;

    private static void restart(Path serverJar, List<String> sizes) throws Exception {
        System.out.printf(
                "| events in the log | records | process start to serving, full replay | same, from a snapshot at the end |%n");
        System.out.printf("|---|---|---|---|%n");
        List<String> cds = List.of(
                "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + serverJar + ".bench.jsa",
                "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
        List<String> launcher = launcherStartupFlags(serverJar);
        Path empty = Files.createTempDirectory("bench-restart");
        try {
            // starts of an empty log, alternated round by round: one start says little on a shared machine
            Map<String, Callable<Double>> starts = new LinkedHashMap<>();
            if (Runtime.version().feature() >= 25) {
                // the floor of the start-up target: Helidon alone, with an ahead-of-time cache of its own
                Path floorCache = empty.resolve("floor.aot");
                trainFloorCache(floorCache);
                // started as bin/java-env.sh starts the registry with its cache
                List<String> floorFlags = new ArrayList<>(List.of("-XX:AOTCache=" + floorCache));
                floorFlags.addAll(fromJavaEnv("echo \"$REGISTRY_AOT_START_FLAGS\"", ""));
                IntFunction<List<String>> floor = floorServer(floorFlags);
                starts.put(
                        "Helidon's floor: BenchMain floor-server, a server that only answers, its own ahead-of-time cache",
                        () -> timeToServing(floor));
            }
            // writes the class-data sharing archive, as a first launch does (the JVM does not write
            // it again over one of an earlier build of the jar)
            Files.deleteIfExists(Path.of(serverJar + ".bench.jsa"));
            timeToServing(serverJar, empty, cds);
            for (var start : List.of(
                    Map.entry("no class archive", List.<String>of()),
                    Map.entry("class-data sharing archive", cds),
                    Map.entry(
                            launcher.stream().anyMatch(f -> f.startsWith("-XX:AOTCache"))
                                    ? "bin/registry-server's ahead-of-time cache"
                                    : "bin/registry-server's flags",
                            launcher))) {
                starts.put(
                        "JVM, Helidon and Chronicle start-up alone; " + start.getKey(),
                        () -> timeToServing(serverJar, empty, start.getValue()));
            }
            alternate(starts, EMPTY_LOG_ROUNDS)
                    .forEach((name, sorted) -> System.out.printf(
                            Locale.ROOT,
                            "| 0 (%s) | 0 | %.2f s (median of %d starts, alternated: %.2f-%.2f s) | |%n",
                            name,
                            median(sorted),
                            sorted.size(),
                            sorted.getFirst(),
                            sorted.getLast()));
        } finally {
            FileTree.delete(empty);
        }
        for (String size : sizes) {
            String[] eventsAndRecords = size.split("/", 2);
            long events = Long.parseLong(eventsAndRecords[0]);
            int records = eventsAndRecords.length > 1 ? Integer.parseInt(eventsAndRecords[1]) : 1000;
            Path dir = Files.createTempDirectory("bench-restart");
            try {
                SyntheticLog.write(dir, events, records);
                double full = timeToServing(serverJar, dir, launcher);
                writeSnapshotAtEnd(dir);
                double fromSnapshot = timeToServing(serverJar, dir, launcher);
                System.out.printf(
                        Locale.ROOT, "| %,d | %,d | %.2f s | %.2f s |%n", events, records, full, fromSnapshot);
            } finally {
                FileTree.delete(dir);
            }
        }
    }

    /**
     * Starts each server jar with the launcher's flags (its cache trained first if it has none),
     * with more options, or with other options, one start of each per round: builds or options
     * compared in one run, as the figures of one start each differ by a fifth on a shared machine.
     *
     * @param on the data directory every start opens (its log is replayed, from its newest snapshot
     *           if it has one); null for a start on an empty log each time
     */
    private static void starts(int rounds, Path on, List<String> specs) throws Exception {
        if (on != null && !Files.isDirectory(on)) {
            throw new IllegalArgumentException("no data directory " + on);
        }
        Map<String, Callable<Double>> starts = new LinkedHashMap<>();
        List<Path> empties = new ArrayList<>();
        try {
            for (String start : specs) {
                // JAR, JAR+OPTIONS (after the launcher's: the last of an option wins) or JAR=OPTIONS
                int plus = start.indexOf(".jar+");
                int equals = start.indexOf(".jar=");
                int end = plus >= 0 ? plus + 4 : equals >= 0 ? equals + 4 : start.length();
                Path serverJar = Path.of(start.substring(0, end));
                List<String> flags = new ArrayList<>(equals >= 0 ? List.of() : launcherStartupFlags(serverJar));
                if (end < start.length()) {
                    flags.addAll(List.of(start.substring(end + 1).trim().split(" +")));
                }
                Path dataDir = on;
                if (on == null) {
                    Path empty = Files.createTempDirectory("bench-starts");
                    empties.add(empty);
                    dataDir = empty.resolve("data");
                }
                Path dir = dataDir;
                starts.put(start, () -> {
                    if (on == null) {
                        FileTree.delete(dir); // every start on an empty log
                    }
                    return timeToServing(serverJar, dir, flags);
                });
            }
            System.out.printf(
                    "| server jar (+ options) | process start to serving, %s, median | mean | range |%n",
                    on == null ? "empty log" : "on " + on);
            System.out.printf("|---|---|---|---|%n");
            alternate(starts, rounds)
                    .forEach((jar, sorted) -> System.out.printf(
                            Locale.ROOT,
                            "| %s | %.3f s | %.3f s | %.2f-%.2f s (%d starts, alternated) |%n",
                            jar,
                            median(sorted),
                            sorted.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .average()
                                    .orElseThrow(),
                            sorted.getFirst(),
                            sorted.getLast(),
                            sorted.size()));
        } finally {
            for (Path empty : empties) {
                FileTree.delete(empty);
            }
        }
    }

    /** Each start once per round, {@code rounds} times: each start's seconds, sorted. */
    private static Map<String, List<Double>> alternate(Map<String, Callable<Double>> starts, int rounds)
            throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (var start : starts.entrySet()) {
                seconds.computeIfAbsent(start.getKey(), k -> new ArrayList<>())
                        .add(start.getValue().call());
            }
        }
        seconds.replaceAll((name, times) -> times.stream().sorted().toList());
        return seconds;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The JVM flags {@code bin/registry-server} starts the jar with (on JDK 25 an ahead-of-time
     * cache, trained here first if the jar has none), from the launcher's own shell function.
     */
    private static List<String> launcherStartupFlags(Path serverJar) throws Exception {
        return fromJavaEnv(
                "registry_startup_flags \"$1\"", serverJar.toAbsolutePath().toString());
    }

    /** The JVM flags {@code bin/java-env.sh}'s {@code command} prints (with {@code $1} as {@code argument}). */
    private static List<String> fromJavaEnv(String command, String argument) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". bin/java-env.sh && " + command, "flags", argument)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String flags = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/java-env.sh: " + command + " failed");
        }
        return flags.isEmpty() ? List.of() : List.of(flags.split(" "));
    }

    /** Seconds from starting {@code java [startupFlags] -jar SERVER_JAR} to its first answer on /health. */
    private static double timeToServing(Path serverJar, Path dataDir, List<String> startupFlags) throws Exception {
        return timeToServing(port -> {
            List<String> command = javaCommand(startupFlags);
            command.addAll(List.of(
                    "-jar",
                    serverJar.toAbsolutePath().toString(), // as the launcher and its cache's training name it
                    "--port",
                    Integer.toString(port),
                    "--host",
                    "127.0.0.1",
                    "--data-dir",
                    dataDir.toString(),
                    "--checks",
                    "off",
                    "--snapshot-every",
                    "0",
                    "--snapshot-interval",
                    "0s"));
            return command;
        });
    }

    /** Seconds from starting the command for a free port to its first answer on /health. */
    private static double timeToServing(IntFunction<List<String>> commandForPort) throws Exception {
        int port = LoopbackServer.freePort();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(commandForPort.apply(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            LoopbackServer.awaitHealth(p, port, "the server", START_BOUND);
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** {@code java}, as this JVM was started, with the flags every child server gets and {@code flags}. */
    private static List<String> javaCommand(List<String> flags) {
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(UnsafeMemoryAccess.childJvmFlags());
        command.add("-Xmx2g");
        command.addAll(flags);
        return command;
    }

    /** The command of {@link FloorServer} from this jar, with {@code flags}, for a port. */
    private static IntFunction<List<String>> floorServer(List<String> flags) throws Exception {
        String jar = Path.of(BenchMain.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        return port -> {
            List<String> command = javaCommand(flags);
            command.addAll(List.of("-jar", jar, "floor-server", Integer.toString(port)));
            return command;
        };
    }

    /**
     * Writes an ahead-of-time cache of {@link FloorServer} to {@code cache}, as the registry's
     * launcher does for its jar: a run that starts, answers requests of the fleet's kinds, and
     * stops (the JVM writes the cache as it exits).
     */
    private static void trainFloorCache(Path cache) throws Exception {
        int port = LoopbackServer.freePort();
        // as bin/java-env.sh trains the registry's cache (without the training's method profiles)
        List<String> flags = new ArrayList<>(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=off"));
        flags.addAll(fromJavaEnv("echo \"$REGISTRY_AOT_TRAINING_FLAGS\"", ""));
        Process p = new ProcessBuilder(floorServer(flags).apply(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            LoopbackServer.awaitHealth(p, port, "the floor server", START_BOUND);
            for (int i = 0; i < 2_000; i++) {
                request(port, "GET", "/health", null);
                request(port, "POST", "/services/svc-" + (i % 100) + "/heartbeat", null);
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the floor server wrote no ahead-of-time cache");
        }
    }

    /** A snapshot at the log's last event, as a running server would have written. */
    private static void writeSnapshotAtEnd(Path dir) throws IOException {
        RegistryView view = new RegistryView();
        HistoryIndex history = new HistoryIndex();
        Projection all = Projection.onView(view, List.of(history));
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir);
                EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                all.apply(e);
            }
        }
        new SnapshotStore(dir, 3).write(new Snapshot(view.lastIndex(), view, history.timelines()));
    }

    // ---- Heap ------------------------------------------------------------------------------

    private static void prune(long events) throws Exception {
        Path dir = Files.createTempDirectory("bench-prune");
        Instant hour0 = Instant.parse("2026-11-28T00:00:00Z");
        try {
            SplittableRandom random = new SplittableRandom(42);
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(
                    dir, false, RollPeriod.HOURLY, Clock.fixed(hour0, ZoneOffset.UTC))) {
                for (long n = 0; n < events; n++) {
                    log.append(SyntheticLog.event(n, 1000, hour0, random));
                }
            }
            Instant later = hour0.plus(Duration.ofHours(5));
            long last;
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(
                    dir, false, RollPeriod.HOURLY, Clock.fixed(later, ZoneOffset.UTC))) {
                last = log.append(new dev.registry.events.event.ServiceDeregistered(later, "svc-1"));
            }
            SnapshotStore store = new SnapshotStore(dir, 3);
            store.write(new Snapshot(last, new RegistryView(), java.util.Map.of())); // only its place counts here
            Clock now = Clock.fixed(later.plus(Duration.ofHours(1)), ZoneOffset.UTC);
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir, false, RollPeriod.HOURLY, now);
                    Pruner pruner = new Pruner(
                            dir,
                            log,
                            store,
                            new Checkpoints(new RegistryView(), 16_384),
                            new HistoryIndex(),
                            new RegistryView(),
                            new RetentionRule(Duration.ofHours(1)),
                            now)) {
                long t0 = System.nanoTime();
                int deleted = pruner.pruneNow().size();
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "| %,d events in %d file | %.2f s | %,.0f events/s |%n",
                        events,
                        deleted,
                        seconds,
                        events / seconds);
            }
        } finally {
            FileTree.delete(dir);
        }
    }

    private static void heap(int records) throws Exception {
        Path dir = Files.createTempDirectory("bench-heap");
        try {
            SyntheticLog.write(dir, records + 1L, records);
            RegistrySettings settings = RegistrySettings.defaults(dir, 0)
                    .withHost("127.0.0.1")
                    .withChecks(false, Duration.ofSeconds(30), Duration.ofSeconds(5))
                    .withSnapshots(0, Duration.ZERO);
            try (RegistryServer server = RegistryServer.start(settings, Clock.systemUTC())) {
                long used = 0;
                for (int i = 0; i < 5; i++) {
                    System.gc();
                    Thread.sleep(200); // let the collector finish before reading the heap
                    used = ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed();
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %,d records | %,d MiB heap in use after GC (whole server, JVM included) |%n",
                        server.view().size(),
                        used >> 20);
            }
        } finally {
            FileTree.delete(dir);
        }
    }
}
