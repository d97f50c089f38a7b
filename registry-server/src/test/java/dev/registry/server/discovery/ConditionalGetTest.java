package dev.registry.server.discovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** ETags, 304s and X-Registry-Index on reads. */
class ConditionalGetTest extends RegistryTestBase {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-10-01T00:00:00Z"));

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s, clock);
    }

    @Test
    void unchangedListIs304AndAnyChangeIs200WithANewTag() {
        register("a");
        register("b");
        Http.Reply first = http.get("/services?healthy=true");
        String etag = first.headers().firstValue("etag").orElseThrow();
        long index =
                Long.parseLong(first.headers().firstValue("x-registry-index").orElseThrow());

        clock.advance(Duration.ofSeconds(1));
        Http.Reply again = conditional("/services?healthy=true", etag);
        assertThat(again.status(), is(304));
        assertThat(again.body(), is(""));
        assertThat(again.headers().firstValue("etag").orElseThrow(), is(etag));
        assertThat(
                http.get("/services?healthy=true").headers().firstValue("etag").orElseThrow(), is(etag));

        http.send("POST", "/services/a/heartbeat", null);
        Http.Reply changed = conditional("/services?healthy=true", etag);
        assertThat(changed.status(), is(200));
        assertThat(changed.headers().firstValue("etag").orElseThrow(), not(etag));
        assertThat(
                Long.parseLong(changed.headers().firstValue("x-registry-index").orElseThrow()), greaterThan(index));
        assertThat(changed.json().get("total").asInt(), is(2));
    }

    @Test
    void eachFilterHasItsOwnTagAndTheTimestampIsFreshOnEveryReply() {
        register("a");
        Http.Reply all = http.get("/services");
        Http.Reply running = http.get("/services?status=running");
        clock.advance(Duration.ofSeconds(3));
        Http.Reply allAgain = http.get("/services");
        assertThat(allAgain.headers().firstValue("etag"), is(all.headers().firstValue("etag")));
        assertThat(allAgain.json().get("timestamp").asText(), is("2026-10-01T00:00:03.000000+00:00"));
        assertThat(running.json().get("services"), is(all.json().get("services")));
    }

    @Test
    void healthTurningWithTimeIsNeverServedFromAStaleEncoding() {
        register("a");
        String etag =
                http.get("/services?healthy=true").headers().firstValue("etag").orElseThrow();
        clock.advance(Duration.ofSeconds(121));
        Http.Reply later = conditional("/services?healthy=true", etag);
        assertThat(later.status(), is(200));
        assertThat(later.json().get("total").asInt(), is(0));
        assertThat(http.get("/services/a").json().get("is_healthy").asBoolean(), is(false));
    }

    @Test
    void singleRecordsCarryTagsAndIndexToo() {
        register("a");
        Http.Reply one = http.get("/services/a");
        String etag = one.headers().firstValue("etag").orElseThrow();
        assertThat(one.headers().firstValue("x-registry-index").isPresent(), is(true));
        assertThat(conditional("/services/a", etag).status(), is(304));
        http.put("/services/a", "{\"port\":9}");
        assertThat(conditional("/services/a", etag).status(), is(200));
        assertThat(http.get("/health").headers().firstValue("x-registry-index").isPresent(), is(true));
        assertThat(http.get("/stats").headers().firstValue("etag").isPresent(), is(true));
    }

    @Test
    void writesAndErrorsCarryNoTags() {
        Http.Reply created = http.post("/services", Http.registration("a", 1, null));
        assertThat(created.headers().firstValue("etag").isPresent(), is(false));
        assertThat(http.get("/services/missing").headers().firstValue("etag").isPresent(), is(false));
    }

    private Http.Reply conditional(String path, String etag) {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("If-None-Match", etag)
                .GET());
    }
}
