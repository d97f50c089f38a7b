package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void theFleetsClientsAndBrowsersGetGzip() {
        assertThat(AcceptEncoding.allowsGzip("gzip, deflate"), is(true)); // requests, aiohttp
        assertThat(AcceptEncoding.allowsGzip("gzip, deflate, br, zstd"), is(true));
        assertThat(AcceptEncoding.allowsGzip("GZIP"), is(true));
        assertThat(AcceptEncoding.allowsGzip("x-gzip"), is(true));
        assertThat(AcceptEncoding.allowsGzip("deflate;q=1, gzip;q=0.5"), is(true));
        assertThat(AcceptEncoding.allowsGzip(" gzip ; q=1.0 "), is(true));
        assertThat(AcceptEncoding.allowsGzip("*"), is(true));
        assertThat(AcceptEncoding.allowsGzip("br;q=1, *;q=0.1"), is(true));
    }

    @Test
    void noHeaderOrARefusalMeansPlain() {
        assertThat(AcceptEncoding.allowsGzip(Optional.empty()), is(false)); // curl, the JDK's client
        assertThat(AcceptEncoding.allowsGzip(""), is(false));
        assertThat(AcceptEncoding.allowsGzip("identity"), is(false));
        assertThat(AcceptEncoding.allowsGzip("deflate, br"), is(false));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0"), is(false));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0.000, deflate"), is(false));
        assertThat(AcceptEncoding.allowsGzip("*, gzip;q=0"), is(false)); // named wins over *
        assertThat(AcceptEncoding.allowsGzip("*;q=0"), is(false));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0.5, identity;q=1"), is(false));
    }

    @Test
    void aMalformedQualityCountsForNothing() {
        assertThat(AcceptEncoding.allowsGzip("gzip;q=2"), is(false));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=abc"), is(false));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0.5;level=9"), is(true));
        assertThat(AcceptEncoding.allowsGzip("gzip;q=-1, *"), is(true));
    }
}
