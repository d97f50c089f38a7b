package dev.registry.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON written with numbers as the fleet's Python registry wrote them: a double in plain decimal
 * ({@code 1796111491.662133}) where Java would write {@code 1.796111491662133E9}. Python's
 * {@code repr} switches to an exponent only below 1e-4 or from 1e16, and so does this, so every
 * reply, event, history entry and tool prints epoch seconds (and any other double) one way.
 * Trees it reads keep decimal numbers as they were written ({@link VerbatimNumbers}), so that
 * metadata read back from the log is what the client sent.
 */
public final class PlainJson {

    private static final double PLAIN_FROM = 1e-4;
    private static final double PLAIN_BELOW = 1e16;
    private static final ObjectMapper SHARED = newMapper();

    private PlainJson() {}

    /** A new mapper whose generators write doubles in plain decimal, and whose trees keep numbers as written. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder(factory()).addModule(VerbatimNumbers.module()).build();
    }

    /** A JSON factory whose generators write doubles in plain decimal. */
    public static JsonFactory factory() {
        return JsonFactory.builder().addDecorator((f, g) -> new PlainDoubles(g)).build();
    }

    /** {@code node} as compact JSON text, numbers in plain decimal (unlike {@link JsonNode#toString()}). */
    public static String text(JsonNode node) {
        try {
            return SHARED.writeValueAsString(node);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code value} as Python's {@code repr} writes a float in that range, else as Java does. */
    static String format(double value) {
        double magnitude = Math.abs(value);
        if (Double.isFinite(value) && (magnitude == 0 || (magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW))) {
            return EpochSeconds.plain(value);
        }
        return Double.toString(value);
    }

    private static final class PlainDoubles extends JsonGeneratorDelegate {
        PlainDoubles(JsonGenerator d) {
            super(d, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (Double.isFinite(v)) {
                delegate.writeNumber(format(v));
            } else {
                delegate.writeNumber(v);
            }
        }
    }
}
