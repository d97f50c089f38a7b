package dev.registry.server.observe;

import dev.registry.server.http.ApiReplies;
import io.helidon.common.HelidonServiceLoader;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The meters in the format the scraper accepts (Prometheus text, OpenMetrics or JSON), written by
 * Helidon's own formatters, optionally narrowed by {@code ?scope=} and {@code ?name=}. Served by us
 * and not by Helidon's metrics observer, which also puts a filter of its own on every request.
 */
final class MetricsEndpoint {

    private final MeterRegistry registry;
    private final MetricsConfig config;
    private final List<MeterRegistryFormatterProvider> formatters;

    MetricsEndpoint(MeterRegistry registry) {
        this.registry = registry;
        this.config = MetricsConfig.create();
        this.formatters = HelidonServiceLoader.builder(ServiceLoader.load(MeterRegistryFormatterProvider.class))
                .build()
                .asList();
    }

    void get(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CACHE_NO_CACHE).header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);
        Optional<MediaType> type = req.headers()
                .bestAccepted(
                        MediaTypes.TEXT_PLAIN, MediaTypes.APPLICATION_OPENMETRICS_TEXT, MediaTypes.APPLICATION_JSON);
        if (type.isEmpty()) {
            res.status(406).send();
            return;
        }
        List<String> scopes = req.query().all("scope", List::of);
        List<String> names = req.query().all("name", List::of);
        Optional<?> output = formatters.stream()
                .flatMap(p ->
                        p
                                .formatter(
                                        type.get(),
                                        config,
                                        registry,
                                        config.scoping().tagName(),
                                        scopes,
                                        names)
                                .stream())
                .findFirst()
                .flatMap(MeterRegistryFormatter::format);
        if (output.isEmpty()) {
            res.status(404).send();
            return;
        }
        res.headers().contentType(type.get());
        // the JSON formatter gives a jakarta.json object, whose text is its JSON; a HEAD gets the length
        String text = output.get() instanceof String s ? s : output.get().toString();
        ApiReplies.sendBody(req, res, text.getBytes(StandardCharsets.UTF_8));
    }
}
