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
 * {@code N} (the babysitter, on port + 1, type: the backend's kind) and {@code N-server} (the model
 * server, type {@code --type}). Both heartbeat every interval; {@code N-server} only while the
 * child serves, and is marked {@code stopped} as soon as the child exits, so that routers drop it
 * at once. A 404 means the registry forgot them (a wipe): both are registered again. An
 * unreachable registry is retried with backoff, forever; nothing here ever ends the babysitter.
 *
 * <p>A new child's record waits until the child is ready: for {@code openai-api}, until its
 * {@code /v1/models} (or {@code /models}) answers, whose models the record carries; for any other
 * type, until its port accepts connections (no models). Readiness is tried at once, then after
 * 1 s, doubling to 30 s, and the log says each time what it waits for.
 */
final class Registrar {

    /** The API type whose servers have models and are routed to. */
    static final String OPENAI_API = "openai-api";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    /** Who the records describe. */
    record Identity(
            String name,
            String host,
            String hostname,
            int port,
            String backendKind,
            String apiType,
            Map<String, Object> metadata) {
        Identity {
            metadata = Map.copyOf(metadata);
        }
    }

    private final RegistryClient client;
    private final Identity id;
    private final Duration interval;
    private final HealthServer health;
    private final Supervisor supervisor;
    private final PrintStream log;
    private final String prefix;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong childGeneration = new AtomicLong();
    private final AtomicLong exitedGeneration = new AtomicLong(-1);
    private final Object wake = new Object();
    private volatile boolean stopped;
    private boolean sitterRegistered;
    private long serverGeneration = -1;
    private boolean serverMarkedStopped;
    private long readinessGeneration = -1;
    private long nextReadinessNanos;
    private Duration readinessWait = FIRST_WAIT;
    private volatile List<String> models = List.of();
    private volatile List<Object> modelsList = List.of();
    private boolean reportedOutage;
    private Thread thread;

    Registrar(
            RegistryClient client,
            Identity id,
            Duration interval,
            HealthServer health,
            Supervisor supervisor,
            PrintStream log) {
        this.client = client;
        this.id = id;
        this.interval = interval;
        this.health = health;
        this.supervisor = supervisor;
        this.log = log;
        this.prefix = "[" + id.name() + "] ";
    }

    /** A new child started: its readiness is awaited and its record registered afresh. */
    void childStarted() {
        childGeneration.incrementAndGet();
        wakeUp();
    }

    /** The child exited: its record is marked stopped. */
    void childExited() {
        exitedGeneration.set(childGeneration.get());
        wakeUp();
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    List<String> models() {
        return models;
    }

    List<Object> modelsList() {
        return modelsList;
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
                    log.println(prefix + "registry reachable again");
                    reportedOutage = false;
                }
                if (supervisor.childAlive() && serverGeneration != childGeneration.get()) {
                    next = min(interval, Duration.ofNanos(Math.max(1_000_000, nextReadinessNanos - System.nanoTime())));
                }
            } catch (RegistryUnavailableException ex) {
                if (!reportedOutage) {
                    log.println(prefix + "registry unreachable, retrying: " + ex.getMessage());
                    reportedOutage = true;
                }
                next = min(interval, backoff);
                backoff = min(interval, backoff.multipliedBy(2));
            } catch (RuntimeException ex) {
                log.println(prefix + "registry call failed: " + ex.getMessage());
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
                client.heartbeat(id.name());
            } catch (ServiceNotFoundException gone) {
                log.println(prefix + "registry does not know " + id.name() + " (404): registering both records again");
                registerSitter();
                serverGeneration = -1;
            }
        }
        long generation = childGeneration.get();
        if (serverGeneration == exitedGeneration.get() && !serverMarkedStopped) {
            markServerStopped();
        }
        if (!supervisor.childAlive()) {
            return; // a dead child gets no heartbeats
        }
        if (serverGeneration != generation) {
            if (readinessGeneration != generation) {
                readinessGeneration = generation;
                readinessWait = FIRST_WAIT;
                nextReadinessNanos = System.nanoTime();
            }
            if (System.nanoTime() - nextReadinessNanos >= 0) {
                String waitingFor = ready();
                if (waitingFor == null) {
                    registerServer();
                    serverGeneration = generation;
                    serverMarkedStopped = false;
                } else {
                    log.println(prefix + "waiting for " + waitingFor + "; next try in "
                            + readinessWait.toMillis() / 1000.0 + " s");
                    nextReadinessNanos = System.nanoTime() + readinessWait.toNanos();
                    readinessWait = min(LONGEST_WAIT, readinessWait.multipliedBy(2));
                }
            }
            return;
        }
        if (!health.childServing()) {
            return; // running but not answering: let its record expire
        }
        try {
            client.heartbeat(serverName());
        } catch (ServiceNotFoundException gone) {
            log.println(prefix + "registry does not know " + serverName() + " (404): registering both records again");
            registerSitter();
            registerServer();
        }
    }

    /** Null when the child is ready for its record; else what it is waiting for. */
    private String ready() {
        if (!OPENAI_API.equals(id.apiType())) {
            return health.childServing() ? null : "the server to accept connections on " + id.host() + ":" + id.port();
        }
        return fetchModels();
    }

    private void markServerStopped() {
        try {
            client.heartbeat(serverName(), "stopped");
            log.println(prefix + serverName() + " marked stopped: the model server exited");
        } catch (ServiceNotFoundException alreadyGone) {
            // nothing to mark
        }
        serverMarkedStopped = true;
    }

    private void registerSitter() {
        Map<String, Object> meta = new LinkedHashMap<>(id.metadata());
        meta.put("type", id.backendKind());
        meta.put("babysitter", true);
        client.register(new Registration(
                id.name(),
                id.host(),
                id.port() + 1,
                id.hostname(),
                "http://" + id.host() + ":" + (id.port() + 1),
                "running",
                null,
                meta));
        sitterRegistered = true;
    }

    private void registerServer() {
        Map<String, Object> meta = new LinkedHashMap<>(id.metadata());
        meta.put("type", id.apiType());
        meta.put("parent_service", id.name());
        meta.put("models", models);
        meta.put("models_list", modelsList);
        client.register(new Registration(
                serverName(),
                id.host(),
                id.port(),
                id.hostname(),
                "http://" + id.host() + ":" + id.port(),
                "running",
                null,
                meta));
        log.println(prefix + "registered " + serverName()
                + (OPENAI_API.equals(id.apiType()) ? " with models " + models : ""));
    }

    /** {@code GET /v1/models}, else {@code /models}; null once one answers, else what was seen. */
    private String fetchModels() {
        List<String> seen = new ArrayList<>();
        for (String path : List.of("/v1/models", "/models")) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://" + id.host() + ":" + id.port() + path))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    seen.add(path + " answered " + r.statusCode());
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
                return null;
            } catch (java.io.IOException ex) {
                seen.add(path + ": " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "the model server to answer GET http://" + id.host() + ":" + id.port() + "/v1/models or /models ("
                + String.join(", ", seen) + ")";
    }

    private String serverName() {
        return id.name() + "-server";
    }

    /** Stops heartbeating and removes both records (as far as the registry can be reached). */
    void stopAndDeregister() {
        stopped = true;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        for (String record : List.of(serverName(), id.name())) {
            try {
                client.deregister(record);
                log.println(prefix + "deregistered " + record);
            } catch (ServiceNotFoundException alreadyGone) {
                // nothing to remove
            } catch (RegistryException ex) {
                log.println(prefix + "could not deregister " + record + ": " + ex.getMessage());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
