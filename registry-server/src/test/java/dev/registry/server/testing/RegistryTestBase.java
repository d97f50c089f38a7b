package dev.registry.server.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh registry on a fresh log for every test. */
public abstract class RegistryTestBase {

    @TempDir
    protected Path dataDir;

    protected TestRegistry registry;
    protected Http http;

    @BeforeEach
    void startRegistry() {
        registry = newRegistry(dataDir);
        http = registry.http();
    }

    /** Override to start the registry with other settings or another clock (keep {@link #onTheLog}). */
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, this::onTheLog, java.time.Clock.systemUTC());
    }

    /** Which log the registry runs on: the embedded one; the contract suite also runs on Kafka. */
    protected dev.registry.server.config.RegistrySettings onTheLog(
            dev.registry.server.config.RegistrySettings settings) {
        return settings;
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    /** Registers {@code name} (running, port 8000) and returns the stored record. */
    protected JsonNode register(String name) {
        return register(name, 8000, null);
    }

    protected JsonNode register(String name, int port, String metadataJson) {
        Http.Reply reply = http.post("/services", Http.registration(name, port, metadataJson));
        assertThat(reply.body(), reply.status(), is(201));
        return reply.json().get("service");
    }

    /** How many events the log holds, counted by an independent reader. */
    protected int logSize() {
        return registry.logEvents().size();
    }
}
