package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Connection} headers end the exchange (over HTTP: {@code HttpConformanceTest}). */
class ConnectionCloseTest {

    @ParameterizedTest
    @ValueSource(strings = {"close", "Close", "CLOSE", "keep-alive, close", " close ", "upgrade,close"})
    void closeAmongTheTokensInAnyCaseCloses(String value) {
        assertThat(
                value, ConnectionClose.closes(WritableHeaders.create().set(HeaderNames.CONNECTION, value)), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"keep-alive", "Keep-Alive", "upgrade", "closed", "not-close", ""})
    void otherTokensKeepTheConnection(String value) {
        assertThat(
                value, ConnectionClose.closes(WritableHeaders.create().set(HeaderNames.CONNECTION, value)), is(false));
    }

    @Test
    void noConnectionHeaderKeepsTheConnection() {
        assertThat(ConnectionClose.closes(WritableHeaders.create()), is(false));
    }

    @Test
    void closeInASecondValueOfTheHeaderCloses() {
        WritableHeaders<?> headers = WritableHeaders.create()
                .add(HeaderNames.CONNECTION, "keep-alive")
                .add(HeaderNames.CONNECTION, "close");
        assertThat(ConnectionClose.closes(headers), is(true));
    }
}
