package dev.registry.server.http;

/** An endpoint: a request in, a JSON reply out. Throws {@link ApiException} to refuse. */
@FunctionalInterface
public interface ApiHandler {

    ApiReply handle(ApiRequest request);
}
