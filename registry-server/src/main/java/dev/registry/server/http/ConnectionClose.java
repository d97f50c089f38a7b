package dev.registry.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection right after a reply that says {@code Connection: close}: the request
 * asked for it, or the reply ended the exchange (a request body that could not be read to its
 * end leaves nothing to read the next request from). Helidon 4.5 sends the header but goes on
 * reading the socket until its idle timeout. The outermost filter, so the others see a normal end.
 */
public final class ConnectionClose implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        // Helidon answers a route's exception inside chain.proceed(), so the reply is out here
        chain.proceed();
        // not Headers.containsToken: it cost 4% of a heartbeat's CPU, on every reply's keep-alive
        if ((closes(req.headers()) || closes(res.headers())) && res.hasEntity()) {
            res.commit(); // a streamed reply ends here, before its socket is closed
            throw new CloseConnectionException("closed after the reply, as its Connection: close said");
        }
    }

    /** Whether {@code headers} say {@code Connection: close} (among other tokens, in any case). */
    static boolean closes(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        for (String value : headers.get(HeaderNames.CONNECTION).allValues()) {
            if (value.equalsIgnoreCase("keep-alive")) {
                continue; // what nearly every request and reply says: no split per request
            }
            for (String token : value.split(",", -1)) {
                if (token.strip().equalsIgnoreCase("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code refused}, with a reply that closes the connection after it. */
    static ApiException closing(ApiException refused) {
        return refused.withHeader("Connection", "close");
    }
}
