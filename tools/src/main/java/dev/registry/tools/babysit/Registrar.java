package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.client.Registration;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.client.RegistryException;
import dev.registry.api.client.RegistryUnavailableException;
import dev.registry.api.client.ServiceNotFoundException;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the babysitter's two records in the registry, as the fleet's supervisors do:
 * {@code N} (the babysitter, on port + 1) and {@code N-server} (the model server, type
 * {@code openai-api}, with its models). Both heartbeat every interval; {@code N-server} only while
 * the child serves. A 404 means the registry forgot them (a wipe): register again. An unreachable
 * registry is retried with backoff, forever; nothing here ever ends the babysitter.
 */
final class Registrar {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final String name;
    private final String host;
    private final String hostname;
    private final int port;
    private final String type;
    private final Map<String, Object> extraMetadata;
    private final Duration interval;
    private final HealthServer health;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong childGeneration = new AtomicLong();
    private final Object wake = new Object();
    private volatile boolean stopped;
    private boolean sitterRegistered;
    private long serverGeneration = -1;
    private List<String> models = List.of();
    private List<Object> modelsList = List.of();
    private boolean reportedOutage;
    private Thread thread;

    Registrar(RegistryClient client, String name, String host, String hostname, int port, String type,
              Map<String, Object> extraMetadata, Duration interval, HealthServer health, PrintStream log) {
        this.client = client;
        this.name = name;
        this.host = host;
        this.hostname = hostname;
        this.port = port;
        this.type = type;
        this.extraMetadata = Map.copyOf(extraMetadata);
        this.interval = interval;
        this.health = health;
        this.log = log;
    }

    /** A new child started: its models must be fetched and its record registered afresh. */
    void childStarted() {
        childGeneration.incrementAndGet();
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    List<String> models() {
        return models;
    }

    void start() {
        thread = Thread.ofVirtual().name("babysit-registrar").start(this::loop);
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(250);
        while (!stopped) {
            Duration next = interval;
            try {
                tick();
                backoff = Duration.ofMillis(250);
                if (reportedOutage) {
                    log.println("[" + name + "] registry reachable again");
                    reportedOutage = false;
                }
                if (health.childServing() && serverGeneration != childGeneration.get()) {
                    next = min(interval, Duration.ofMillis(500)); // models not fetched yet: try again soon
                }
            } catch (RegistryUnavailableException ex) {
                if (!reportedOutage) {
                    log.println("[" + name + "] registry unreachable, retrying: " + ex.getMessage());
                    reportedOutage = true;
                }
                next = min(interval, backoff);
                backoff = min(interval, backoff.multipliedBy(2));
            } catch (RuntimeException ex) {
                log.println("[" + name + "] registry call failed: " + ex.getMessage());
            }
            synchronized (wake) {
                if (!stopped) {
                    try {
                        wake.wait(Math.max(1, next.toMillis()));
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }
        }
    }

    private void tick() {
        if (!sitterRegistered) {
            registerSitter();
        } else {
            try {
                client.heartbeat(name);
            } catch (ServiceNotFoundException gone) {
                log.println("[" + name + "] registry does not know " + name + " (404): registering again");
                registerSitter();
            }
        }
        if (!health.childServing()) {
            return; // a dead child gets no heartbeats: let its record expire
        }
        long generation = childGeneration.get();
        if (serverGeneration != generation) {
            if (fetchModels()) {
                registerServer();
                serverGeneration = generation;
            }
            return;
        }
        try {
            client.heartbeat(serverName());
        } catch (ServiceNotFoundException gone) {
            log.println("[" + name + "] registry does not know " + serverName() + " (404): registering again");
            registerServer();
        }
    }

    private void registerSitter() {
        Map<String, Object> meta = new LinkedHashMap<>(extraMetadata);
        meta.put("type", type);
        meta.put("babysitter", true);
        client.register(new Registration(name, host, port + 1, hostname, "http://" + host + ":" + (port + 1),
                "running", null, meta));
        sitterRegistered = true;
    }

    private void registerServer() {
        Map<String, Object> meta = new LinkedHashMap<>(extraMetadata);
        meta.put("type", "openai-api");
        meta.put("parent_service", name);
        meta.put("models", models);
        meta.put("models_list", modelsList);
        client.register(new Registration(serverName(), host, port, hostname, "http://" + host + ":" + port,
                "running", null, meta));
        log.println("[" + name + "] registered " + serverName() + " with models " + models);
    }

    /** {@code GET /v1/models}, else {@code /models}; false while neither answers. */
    private boolean fetchModels() {
        for (String path : List.of("/v1/models", "/models")) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    continue;
                }
                JsonNode body = JSON.readTree(r.body());
                JsonNode data = body.isArray() ? body : body.path("data");
                List<String> ids = new ArrayList<>();
                List<Object> objects = new ArrayList<>();
                for (JsonNode m : data) {
                    ids.add(m.isTextual() ? m.asText() : m.path("id").asText());
                    objects.add(JSON.convertValue(m, Object.class));
                }
                models = List.copyOf(ids);
                modelsList = objects;
                return true;
            } catch (java.io.IOException ex) {
                // not answering yet
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private String serverName() {
        return name + "-server";
    }

    /** Stops heartbeating and removes both records (as far as the registry can be reached). */
    void stopAndDeregister() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        for (String record : List.of(serverName(), name)) {
            try {
                client.deregister(record);
                log.println("[" + name + "] deregistered " + record);
            } catch (ServiceNotFoundException alreadyGone) {
                // nothing to remove
            } catch (RegistryException ex) {
                log.println("[" + name + "] could not deregister " + record + ": " + ex.getMessage());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
