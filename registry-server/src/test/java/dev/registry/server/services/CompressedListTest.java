package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lists gzip-encoded for clients that accept it, over real HTTP; plain for those that do not. */
class CompressedListTest extends RegistryTestBase {

    private static final String LIST = "/services?healthy=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Still: the plain and the gzip reply carry the same timestamp. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-10-01T00:00:00Z"));

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s, clock);
    }

    @BeforeEach
    void registerSome() {
        for (int i = 0; i < 50; i++) {
            register("svc-" + i, 8000 + i, "{\"type\":\"openai-api\",\"models\":[\"model-" + i % 3 + "\"]}");
        }
    }

    @Test
    void aGzipReplyDecodesToExactlyThePlainReply() {
        for (String path : List.of(LIST, "/services", "/services?status=running", "/services?healthy=false")) {
            HttpResponse<byte[]> plain = get(path, null, null);
            HttpResponse<byte[]> gzip = get(path, "gzip, deflate", null);
            assertThat(plain.headers().firstValue("content-encoding").isPresent(), is(false));
            assertThat(gzip.headers().firstValue("content-encoding").orElseThrow(), is("gzip"));
            assertThat(gzip.headers().firstValue("content-type").orElseThrow(), is("application/json"));
            assertThat(gunzip(gzip.body()), is(text(plain.body())));
            assertThat(
                    gzip.headers().firstValue("x-registry-index"),
                    is(plain.headers().firstValue("x-registry-index")));
        }
        assertThat(
                get(LIST, "gzip", null).body().length,
                lessThan(get(LIST, null, null).body().length / 4));
    }

    @Test
    void clientsThatSendNoAcceptEncodingOrRefuseGzipGetPlainJson() {
        String plain = text(get(LIST, null, null).body());
        assertThat(http.get(LIST).body(), is(plain)); // the JDK's client, as registry-api's client uses it
        for (String refusal : List.of("gzip;q=0", "identity", "deflate", "br;q=1, gzip;q=0")) {
            HttpResponse<byte[]> reply = get(LIST, refusal, null);
            assertThat(refusal, reply.headers().firstValue("content-encoding").isPresent(), is(false));
            assertThat(refusal, text(reply.body()), is(plain));
        }
    }

    @Test
    void eachEncodingHasItsOwnTagAndEveryListReplyVariesOnAcceptEncoding() {
        HttpResponse<byte[]> plain = get(LIST, null, null);
        HttpResponse<byte[]> gzip = get(LIST, "gzip", null);
        String plainTag = plain.headers().firstValue("etag").orElseThrow();
        String gzipTag = gzip.headers().firstValue("etag").orElseThrow();
        assertThat(gzipTag, is(plainTag.substring(0, plainTag.length() - 1) + "-gzip\""));
        assertThat(plain.headers().firstValue("vary").orElseThrow(), is("Accept-Encoding"));
        assertThat(gzip.headers().firstValue("vary").orElseThrow(), is("Accept-Encoding"));

        // each tag gives 304 for its own encoding, with its tag and Vary
        HttpResponse<byte[]> gzipNotModified = get(LIST, "gzip", gzipTag);
        assertThat(gzipNotModified.statusCode(), is(304));
        assertThat(gzipNotModified.body().length, is(0));
        assertThat(gzipNotModified.headers().firstValue("etag").orElseThrow(), is(gzipTag));
        assertThat(gzipNotModified.headers().firstValue("vary").orElseThrow(), is("Accept-Encoding"));
        HttpResponse<byte[]> plainNotModified = get(LIST, null, plainTag);
        assertThat(plainNotModified.statusCode(), is(304));
        assertThat(plainNotModified.headers().firstValue("etag").orElseThrow(), is(plainTag));
        assertThat(plainNotModified.headers().firstValue("vary").orElseThrow(), is("Accept-Encoding"));

        // a client holding the other encoding holds the same list: up to date, told by its own tag
        HttpResponse<byte[]> holdsPlain = get(LIST, "gzip", plainTag);
        assertThat(holdsPlain.statusCode(), is(304));
        assertThat(holdsPlain.headers().firstValue("etag").orElseThrow(), is(plainTag));
        assertThat(get(LIST, null, gzipTag).statusCode(), is(304));
        assertThat(get(LIST, "gzip", "\"somebody-else\"").statusCode(), is(200));

        // a change gives both encodings new tags
        clock.advance(Duration.ofSeconds(1)); // a heartbeat at the same instant would change no byte of the list
        http.send("POST", "/services/svc-1/heartbeat", null);
        HttpResponse<byte[]> changed = get(LIST, "gzip", gzipTag);
        assertThat(changed.statusCode(), is(200));
        assertThat(changed.headers().firstValue("etag").orElseThrow(), not(gzipTag));
        assertThat(get(LIST, "gzip", plainTag).statusCode(), is(200));
        assertThat(get(LIST, null, plainTag).statusCode(), is(200));
        assertThat(gunzip(changed.body()), is(text(get(LIST, null, null).body())));
    }

    @Test
    void theTimestampIsFreshInEveryGzipReply() {
        String before = gunzip(get(LIST, "gzip", null).body());
        clock.advance(Duration.ofMillis(1500));
        HttpResponse<byte[]> later = get(LIST, "gzip", null);
        assertThat(json(gunzip(later.body())).get("timestamp").asText(), is("2026-10-01T00:00:01.500000+00:00"));
        assertThat(
                json(gunzip(later.body())).get("services"),
                is(json(before).get("services"))); // from the same cached compression
    }

    @Test
    void headSaysWhatGetWouldSendAndNoBody() {
        for (String path : List.of(LIST, "/services/svc-1")) {
            for (String acceptEncoding : new String[] {null, "gzip, deflate"}) {
                HttpResponse<byte[]> get = get(path, acceptEncoding, null);
                // the same keep-alive connection: a body after a HEAD's head would be read as the next reply
                HttpResponse<byte[]> head =
                        send(request(path, acceptEncoding, null).method("HEAD", noBody()));
                assertThat(head.statusCode(), is(200));
                assertThat(head.body().length, is(0));
                for (String header : List.of("etag", "vary", "content-type", "content-encoding", "x-registry-index")) {
                    assertThat(
                            header,
                            head.headers().firstValue(header),
                            is(get.headers().firstValue(header)));
                }
                assertThat(
                        head.headers().firstValue("content-length").orElseThrow(),
                        is(Integer.toString(get.body().length)));
                assertThat(get(path, acceptEncoding, null).body(), is(get.body()));
            }
        }
    }

    @Test
    void pythonRequestsDecodesTheGzipReplyTransparently() {
        assumeTrue(
                pythonCanImport("requests"),
                "python3 cannot import requests (the fleet's client library): pip install requests");
        JsonNode seen = python("""
                import json, sys, requests
                r = requests.get(sys.argv[1], timeout=30)
                print(json.dumps({"accept": r.request.headers.get("Accept-Encoding"),
                                  "encoding": r.headers.get("Content-Encoding"), "body": r.json()}))
                """);
        assertThat(seen.get("accept").asText(), is("gzip, deflate"));
        assertSameListAsPlain(seen);
    }

    @Test
    void aiohttpDecodesTheGzipReplyTransparently() {
        assumeTrue(
                pythonCanImport("aiohttp"),
                "python3 cannot import aiohttp (the fleet's async client library): pip install aiohttp");
        JsonNode seen = python("""
                import asyncio, json, sys, aiohttp
                async def main():
                    async with aiohttp.ClientSession() as session:
                        async with session.get(sys.argv[1]) as r:
                            body = await r.json()
                            print(json.dumps({"accept": r.request_info.headers.get("Accept-Encoding"),
                                              "encoding": r.headers.get("Content-Encoding"), "body": body}))
                asyncio.run(main())
                """);
        assertThat(seen.get("accept").asText().contains("gzip"), is(true));
        assertSameListAsPlain(seen);
    }

    private void assertSameListAsPlain(JsonNode seen) {
        assertThat(seen.get("encoding").asText(), is("gzip"));
        assertThat(seen.get("body"), is(json(text(get(LIST, null, null).body()))));
    }

    /** Runs {@code script} with the list's URL as its argument; its one line of output as JSON. */
    private JsonNode python(String script) {
        ProcessResult result = run(List.of("python3", "-c", script, http.base() + LIST));
        assertThat(result.output(), result.exitCode(), is(0));
        return json(result.output().strip());
    }

    private static boolean pythonCanImport(String module) {
        try {
            return run(List.of("python3", "-c", "import " + module)).exitCode() == 0;
        } catch (UncheckedIOException noPython) {
            return false;
        }
    }

    private record ProcessResult(int exitCode, String output) {}

    private static ProcessResult run(List<String> command) {
        Process p = null;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("python3 did not finish: " + output);
            }
            return new ProcessResult(p.exitValue(), output);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding, String ifNoneMatch) {
        return send(request(path, acceptEncoding, ifNoneMatch).GET());
    }

    private HttpRequest.Builder request(String path, String acceptEncoding, String ifNoneMatch) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(http.base() + path)).timeout(Duration.ofSeconds(30));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static HttpRequest.BodyPublisher noBody() {
        return HttpRequest.BodyPublishers.noBody();
    }

    private static String gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return text(in.readAllBytes());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException ex) {
            throw new AssertionError("not JSON: " + text, ex);
        }
    }
}
