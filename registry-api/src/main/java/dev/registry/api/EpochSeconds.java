package dev.registry.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Epoch seconds as JSON numbers in plain decimal ({@code 1795847853.802243}), as the registry this
 * one replaces wrote them, rather than Java's {@code 1.795847853802243E9}: the same value, but
 * greppable and familiar.
 */
public final class EpochSeconds {

    private EpochSeconds() {}

    /**
     * The shortest decimal that reads back as {@code seconds}, without an exponent and, as Python
     * writes a float, always with a fraction ({@code 1796111491.0}).
     */
    public static String plain(double seconds) {
        String plain = new BigDecimal(Double.toString(seconds)).toPlainString();
        return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }

    /** Jackson serializer writing {@link #plain}. */
    public static final class Serializer extends StdSerializer<Double> {
        public Serializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeNumber(plain(value));
        }
    }
}
