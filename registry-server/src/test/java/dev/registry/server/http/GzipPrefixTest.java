package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipPrefixTest {

    @Test
    void eachReplyDecodesToThePrefixFollowedByItsOwnTail() {
        byte[] prefix =
                "{\"services\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"total\":2".getBytes(StandardCharsets.UTF_8);
        GzipPrefix gzip = GzipPrefix.of(prefix);
        for (String tail : new String[] {",\"timestamp\":\"2026-10-01T00:00:00.000000+00:00\"}", ",\"t\":1}", ""}) {
            byte[] t = tail.getBytes(StandardCharsets.UTF_8);
            // GZIPInputStream checks the trailer's CRC-32 and length too
            assertThat(
                    new String(gunzip(gzip.compressed(), gzip.tail(t)), StandardCharsets.UTF_8),
                    is(new String(prefix, StandardCharsets.UTF_8) + tail));
        }
    }

    @Test
    void aLargeListCompressesAndDecodesWhole() {
        StringBuilder json = new StringBuilder("{\"services\":[");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"svc-")
                    .append(i)
                    .append("\",\"host\":\"10.1.")
                    .append(i / 250)
                    .append('.')
                    .append(i % 250)
                    .append("\",\"status\":\"running\",\"is_healthy\":true}");
        }
        byte[] prefix = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = "],\"total\":5000}".getBytes(StandardCharsets.UTF_8);
        GzipPrefix gzip = GzipPrefix.of(prefix);
        assertThat(gzip.compressed().length, lessThan(prefix.length / 5));
        assertThat(gunzip(gzip.compressed(), gzip.tail(tail)), is(concat(prefix, tail)));
    }

    @Test
    void incompressibleAndEmptyPrefixesToo() {
        byte[] noise = new byte[200_000]; // more output than one deflate buffer
        new Random(7).nextBytes(noise);
        byte[] tail = {'x', 'y'};
        assertThat(
                gunzip(GzipPrefix.of(noise).compressed(), GzipPrefix.of(noise).tail(tail)), is(concat(noise, tail)));
        GzipPrefix empty = GzipPrefix.of(new byte[0]);
        assertThat(gunzip(empty.compressed(), empty.tail(tail)), is(tail));
    }

    private static byte[] gunzip(byte[] head, byte[] tail) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(concat(head, tail)))) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
