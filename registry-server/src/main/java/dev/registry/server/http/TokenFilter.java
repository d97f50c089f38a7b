package dev.registry.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Map;

/** Authentication, as a filter: a request the {@link BearerToken} requires and does not see is a JSON 401. */
public final class TokenFilter implements Filter {

    private final BearerToken token;

    public TokenFilter(BearerToken token) {
        this.token = token;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (token.required(req.prologue().method().text(), req.path().rawPath())
                && !token.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            ApiReplies.send(
                    req,
                    res,
                    new ApiReply(
                            401,
                            ReplyJson.error("Missing or invalid bearer token"),
                            Map.of("WWW-Authenticate", "Bearer realm=\"registry\"")));
            return;
        }
        chain.proceed();
    }
}
