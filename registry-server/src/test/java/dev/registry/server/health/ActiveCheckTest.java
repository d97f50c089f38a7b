package dev.registry.server.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.HealthChecked;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rounds of active checks against real local HTTP endpoints. */
class ActiveCheckTest extends RegistryTestBase {

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(
                dir,
                s -> s.withChecks(false, RegistrySettings.DEFAULT_CHECK_INTERVAL, Duration.ofMillis(500)),
                java.time.Clock.systemUTC());
    }

    @Test
    void okAnswerMakesHealthyOnceAndAnUnchangedResultAppendsNothing() throws Exception {
        try (FakeService service = FakeService.answering(200)) {
            registerAt("svc", service.url());
            round();
            assertThat(healthStatus("svc"), is("healthy"));
            assertThat(checks(), contains("svc unknown->healthy HTTP 200 check"));
            int events = logSize();
            round();
            round();
            assertThat(logSize(), is(events));
            assertThat(service.requests(), is(3));
        }
    }

    @Test
    void errorStatusIsUnhealthyWithTheCode() throws Exception {
        try (FakeService service = FakeService.answering(500)) {
            registerAt("svc", service.url());
            round();
            assertThat(healthStatus("svc"), is("unhealthy"));
            assertThat(checks(), contains("svc unknown->unhealthy HTTP 500 check"));
        }
    }

    @Test
    void hangingEndpointTimesOut() throws Exception {
        try (FakeService service = FakeService.answering(200)) {
            service.hang();
            registerAt("svc", service.url());
            long t0 = System.nanoTime();
            round();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000, is(true));
            assertThat(checks(), contains("svc unknown->unhealthy timeout check"));
        }
    }

    @Test
    void refusedPortIsUnhealthyRefused() throws Exception {
        registerAt("svc", "http://127.0.0.1:" + FakeService.refusedPort());
        round();
        assertThat(checks(), contains("svc unknown->unhealthy refused check"));
    }

    @Test
    void openAiServersAreCheckedOnTheirPortPlusOne() throws Exception {
        try (FakeService babysitter = FakeService.answering(200)) {
            int serverPort = babysitter.port() - 1;
            String body = Http.registration("model", serverPort, "{\"type\":\"openai-api\"}")
                    .replace("http://127.0.0.1:" + serverPort, "http://127.0.0.1:" + FakeService.refusedPort());
            assertThat(http.post("/services", body).status(), is(201));
            round();
            assertThat(healthStatus("model"), is("healthy"));
            assertThat(babysitter.requests(), is(1));
        }
    }

    @Test
    void otherTypesAreCheckedAtTheirUrlPlusHealth() throws Exception {
        try (FakeService service = FakeService.answering(204)) {
            // port+1 would be refused: only {url}/health can make this healthy
            String body = Http.registration("sitter", FakeService.refusedPort(), "{\"type\":\"vllm\"}")
                    .replaceFirst("\"url\":\"[^\"]*\"", "\"url\":\"" + service.url() + "/\"");
            assertThat(http.post("/services", body).status(), is(201));
            round();
            assertThat(healthStatus("sitter"), is("healthy"));
        }
    }

    @Test
    void everyFlipIsOneEventAndNothingElse() throws Exception {
        try (FakeService service = FakeService.answering(200)) {
            registerAt("svc", service.url());
            round();
            round();
            service.answer(503);
            round();
            round();
            service.answer(200);
            round();
            assertThat(
                    checks(),
                    contains(
                            "svc unknown->healthy HTTP 200 check",
                            "svc healthy->unhealthy HTTP 503 check",
                            "svc unhealthy->healthy HTTP 200 check"));
        }
    }

    @Test
    void anOpenAiServerOnTheLastPortHasNoPortPlusOneAndIsUnhealthyNotStuck() throws Exception {
        String body = Http.registration("edge", 65_535, "{\"type\":\"openai-api\"}");
        assertThat(http.post("/services", body).status(), is(201));
        round();
        round();
        assertThat(checks(), contains("edge unknown->unhealthy invalid url check"));
    }

    @Test
    void noRecordsNoEvents() throws Exception {
        int events = logSize();
        round();
        assertThat(logSize(), is(events));
        assertThat(checks(), is(empty()));
    }

    @Test
    void failuresAreDescribedByKind() {
        assertThat(Probe.describe(new CompletionException(new ConnectException())), is("refused"));
        assertThat(Probe.describe(new HttpConnectTimeoutException("slow")), is("timeout"));
        assertThat(Probe.describe(new HttpTimeoutException("slow")), is("timeout"));
        assertThat(
                Probe.describe(new ConnectException("x") {
                    {
                        initCause(new UnresolvedAddressException());
                    }
                }),
                is("dns"));
        assertThat(Probe.describe(new java.io.IOException("reset")), is("error: IOException"));
    }

    private void registerAt(String name, String url) {
        String body = Http.registration(name, 1, null).replace("http://127.0.0.1:1", url);
        assertThat(http.post("/services", body).status(), is(201));
    }

    private void round() throws Exception {
        registry.server().checkRoundNow().get(30, TimeUnit.SECONDS);
    }

    private String healthStatus(String name) {
        return http.get("/services/" + name).json().get("health_status").asText();
    }

    /** The health-checked events in the log, as "name old->new detail cause". */
    private List<String> checks() {
        return registry.logEvents().stream()
                .map(LoggedEvent::event)
                .filter(e -> e instanceof HealthChecked)
                .map(e -> (HealthChecked) e)
                .map(e -> e.name() + " " + e.oldStatus() + "->" + e.newStatus() + " " + e.detail() + " " + e.cause())
                .toList();
    }
}
