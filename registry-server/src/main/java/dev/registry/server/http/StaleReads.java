package dev.registry.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.function.BooleanSupplier;

/**
 * Marks every reply {@code X-Registry-Stale: true} while this node's state may lag its log (a
 * node of several that cannot reach Kafka keeps answering reads from what it has, and says so).
 */
public final class StaleReads implements Filter {

    /** Present, {@code true}, on replies of a node that cannot reach its log. */
    public static final HeaderName STALE = HeaderNames.create("X-Registry-Stale");

    private final BooleanSupplier stale;

    public StaleReads(BooleanSupplier stale) {
        this.stale = stale;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (stale.getAsBoolean()) {
            res.header(STALE, "true");
        }
        chain.proceed();
    }
}
