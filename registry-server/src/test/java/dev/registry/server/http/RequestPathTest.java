package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A raw path splits on its slashes first, then each segment is percent-decoded. */
class RequestPathTest {

    @Test
    void splitsBeforeDecodingSoAnEncodedSlashStaysInItsSegment() {
        assertThat(RequestPath.split("/services/a%2Fb/heartbeat"), contains("services", "a/b", "heartbeat"));
        assertThat(RequestPath.split("/services/caf%C3%A9+x"), contains("services", "café+x"));
        assertThat(RequestPath.split("/services"), contains("services"));
    }

    @Test
    void emptySegmentsAreKeptWhereTheSlashesSayTheyAre() {
        assertThat(RequestPath.split("/"), contains(""));
        assertThat(RequestPath.split("/services/"), contains("services", ""));
        assertThat(RequestPath.split("//x"), contains("", "x"));
        assertThat(RequestPath.split("services/x"), contains("services", "x"));
    }

    @Test
    void aBrokenPercentEncodingIsABadRequest() {
        assertThrows(ApiException.class, () -> RequestPath.split("/services/a%2"));
        assertThrows(ApiException.class, () -> RequestPath.split("/services/a%zz"));
    }
}
