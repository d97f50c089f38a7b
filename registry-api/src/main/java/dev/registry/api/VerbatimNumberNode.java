package dev.registry.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number node that keeps the text the number was written as, and writes exactly that text:
 * {@code 1e999} stays {@code 1e999} (a double would make it {@code Infinity}), {@code 1e-99999999}
 * stays as it is (not {@code 0.0}), {@code 1.10} keeps its zero. Its value, for whoever asks, is
 * the exact decimal, parsed on first use.
 */
final class VerbatimNumberNode extends NumericNode {

    private final String text;
    private final boolean integral;
    /** Parsed on first use: most metadata numbers are only ever written back. */
    private BigDecimal value;

    /** @param text a JSON number, as the parser read it */
    VerbatimNumberNode(String text) {
        this.text = text;
        this.integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }

    @Override
    public JsonToken asToken() {
        return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        return JsonParser.NumberType.BIG_DECIMAL;
    }

    @Override
    public boolean isIntegralNumber() {
        return integral;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return !integral;
    }

    /**
     * The exact value.
     *
     * @throws NumberFormatException when the exponent is beyond what a {@link BigDecimal} holds
     *                               (about 2<sup>31</sup>); {@link #doubleValue()} still answers
     */
    @Override
    public BigDecimal decimalValue() {
        BigDecimal v = value;
        if (v == null) {
            v = new BigDecimal(text);
            value = v;
        }
        return v;
    }

    @Override
    public Number numberValue() {
        return decimalValue();
    }

    @Override
    public int intValue() {
        return decimalValue().intValue();
    }

    @Override
    public long longValue() {
        return decimalValue().longValue();
    }

    @Override
    public short shortValue() {
        return (short) intValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text); // infinite beyond a double's range, as Java would read it
    }

    @Override
    public BigInteger bigIntegerValue() {
        return _bigIntFromBigDec(decimalValue());
    }

    @Override
    public boolean canConvertToInt() {
        return canConvert(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public boolean canConvertToLong() {
        return canConvert(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private boolean canConvert(long min, long max) {
        double d = doubleValue(); // a range check needs no exact value, and no huge one
        return d >= min && d <= max;
    }

    @Override
    public String asText() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeNumber(text);
    }

    /** Equal to the same text: a record compares equal to itself after a replay. */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof VerbatimNumberNode other && other.text.equals(text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
