package dev.registry.server;

import dev.registry.events.log.FileTree;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine;

/**
 * The training run behind the start-up cache (JDK 25's ahead-of-time cache, JEP 483/514): a
 * server started the way {@code registry-server} starts it, on an empty log in a temporary
 * directory, then the requests a fleet sends, then a stop. Run by {@code bin/registry-server}
 * as {@code java -XX:AOTCacheOutput=... -Dregistry.startup-training=true -jar registry-server.jar},
 * the jar and so the class path and the manifest's module options of a server, so the cache holds
 * the classes a start and the request path load, already linked; later starts with
 * {@code -XX:AOTCache} skip that work. The launcher leaves the methods' profiles out (JEP 515's
 * part): on two cores the compilations they bring to a start held it back.
 *
 * <p>Exits 0 when the server served every request as expected, else 1 with the reason (the
 * launcher then starts without a cache).
 */
public final class StartupTraining {

    /** Services registered, and heartbeats per service: every class the request path loads, many times over. */
    private static final int SERVICES = 50;

    private static final int HEARTBEATS = 40;

    private StartupTraining() {}

    /** {@code -Dregistry.startup-training=true}: {@code java -jar registry-server.jar} runs the training. */
    public static final String PROPERTY = "registry.startup-training";

    /**
     * Runs the training.
     *
     * @return the process's exit status: 0 when every request was answered as expected
     */
    static int run() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("registry-training");
        } catch (IOException ex) {
            System.err.println("registry-server start-up training: no temporary directory: " + ex.getMessage());
            return 1;
        }
        try {
            train(dataDir);
            return 0;
        } catch (Exception | AssertionError failed) {
            System.err.println("registry-server start-up training failed: " + failed);
            return 1;
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void train(Path dataDir) throws Exception {
        // the options as the command line parses them, so picocli's start-up is in the cache too
        CommandLine cli = Main.commandLine();
        cli.parseArgs("--data-dir", dataDir.toString(), "--port", "0", "--host", "127.0.0.1", "--checks", "off");
        Main main = cli.getCommand();
        try (RegistryServer server = RegistryServer.start(main.settings(null), Clock.systemUTC());
                HttpClient http = HttpClient.newHttpClient()) {
            Requests r = new Requests(http, "http://127.0.0.1:" + server.port());
            r.expect(200, "GET", "/health", null);
            for (int i = 0; i < SERVICES; i++) {
                r.expect(
                        201,
                        "POST",
                        "/services",
                        "{\"name\":\"model-" + i + "\",\"host\":\"10.0.0." + i + "\",\"port\":8000,"
                                + "\"hostname\":\"node-" + i + "\",\"url\":\"http://10.0.0." + i + ":8000\","
                                + "\"status\":\"running\",\"metadata\":{\"type\":\"openai-api\",\"models\":[\"m"
                                + i + "\"],\"weight\":1.5}}");
            }
            Instant registered = Instant.now();
            for (int beat = 0; beat < HEARTBEATS; beat++) {
                for (int i = 0; i < SERVICES; i++) {
                    r.expect(
                            200,
                            "POST",
                            "/services/model-" + i + "/heartbeat",
                            beat % 2 == 0 ? "" : "{\"status\":\"running\"}");
                }
                r.expect(200, "GET", "/services?healthy=true", null);
                r.expectGzip("/services?healthy=true");
                r.expect(200, "GET", "/services", null);
            }
            r.expect(200, "PUT", "/services/model-1", "{\"status\":\"draining\"}");
            r.expect(200, "GET", "/services/model-1", null);
            r.expect(200, "GET", "/services?status=running", null);
            r.expect(200, "GET", "/services/model-1/history", null);
            r.expect(200, "GET", "/events?limit=100", null);
            r.expect(200, "GET", "/services?at=" + registered, null);
            r.expect(200, "GET", "/diff?from=" + registered + "&to=" + Instant.now(), null);
            r.expect(200, "GET", "/stats", null);
            r.expect(200, "GET", "/observe/metrics", null);
            r.expect(404, "GET", "/services/none", null);
            r.expect(400, "POST", "/services", "{not json");
            r.expect(200, "DELETE", "/services/model-2", null);
        }
    }

    /** Requests to the training server, each checked for its status. */
    private record Requests(HttpClient http, String base) {

        void expect(int status, String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            check(status, method, path, http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        }

        void expectGzip(String path) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Accept-Encoding", "gzip, deflate")
                    .build();
            check(200, "GET", path, http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        }

        private static void check(int status, String method, String path, HttpResponse<byte[]> reply) {
            if (reply.statusCode() != status) {
                throw new AssertionError(method + " " + path + " answered " + reply.statusCode() + ", not " + status);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTree.delete(dir);
        } catch (IOException ex) {
            System.err.println("registry-server start-up training: cannot delete " + dir + ": " + ex.getMessage());
        }
    }
}
