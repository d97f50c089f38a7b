package dev.registry.server.http;

import dev.registry.events.log.DamagedEventException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;

/**
 * Errors as JSON replies, through Helidon's error handlers: an {@link ApiException} is its status
 * and message; anything unexpected a logged 500 that says no more than "Internal error".
 */
public final class ApiErrors {

    private static final System.Logger LOG = System.getLogger(ApiErrors.class.getName());

    private ApiErrors() {}

    /** Registers the handlers on {@code routing}; more specific ones may be added beside them. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ApiErrors::reply);
        routing.error(DamagedEventException.class, (req, res, ex) -> ApiReplies.send(req, res, DamagedLogReply.of(ex)));
        routing.error(RuntimeException.class, (req, res, ex) -> {
            LOG.log(
                    Level.ERROR,
                    "unexpected failure on " + req.prologue().method().text() + " "
                            + req.path().rawPath(),
                    ex);
            ApiReplies.sendError(req, res, 500, "Internal error");
        });
    }

    /** The reply to a refusal: its status, its message as {@code error}, its headers. */
    private static void reply(ServerRequest req, ServerResponse res, ApiException ex) {
        ApiReplies.send(
                req, res, new ApiReply(ex.status(), ReplyJson.error(ex.getMessage(), ex.details()), ex.headers()));
    }
}
