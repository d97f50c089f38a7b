package dev.registry.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trees read through {@link VerbatimNumbers} write every number back as it was written. */
class VerbatimNumbersTest {

    private static final ObjectMapper JSON = PlainJson.newMapper();

    @Test
    void everyNumberIsWrittenBackAsItWasRead() throws Exception {
        List<String> numbers = List.of(
                "1e999",
                "1e-99999999",
                "1.10",
                "-2.5E+3",
                "1E2",
                "0.1000000000000000000000000001",
                "-0",
                "-0.0",
                "2.5",
                "7",
                "-12",
                "123456789012345678901234567890",
                "1796111491.662133",
                "0.0");
        for (String n : numbers) {
            String doc = "{\"n\":" + n + ",\"list\":[" + n + ",{\"deep\":" + n + "}]}";
            JsonNode tree = JSON.readTree(doc);
            assertThat(n, JSON.writeValueAsString(tree), is(doc));
            // through a token buffer too, as valueToTree and convertValue go
            assertThat(n, JSON.writeValueAsString(JSON.valueToTree(tree)), is(doc));
            assertThat(n, JSON.writeValueAsString(JSON.convertValue(tree, ObjectNode.class)), is(doc));
        }
    }

    @Test
    void theValuesAreTheNumbersWritten() throws Exception {
        JsonNode big = JSON.readTree("1e999");
        assertThat(big.isNumber(), is(true));
        assertThat(big.isIntegralNumber(), is(false));
        assertThat(big.decimalValue(), is(new BigDecimal("1e999")));
        assertThat(big.doubleValue(), is(Double.POSITIVE_INFINITY));
        assertThat(JSON.readTree("1e-99999999").decimalValue().signum(), is(1));
        assertThat(JSON.readTree("1796111491.662133").asDouble(), closeTo(1796111491.662133, 1e-6));
        assertThat(JSON.readTree("-0").isIntegralNumber(), is(true));
        assertThat(JSON.readTree("-0").asInt(), is(0));
        assertThat(JSON.readTree("-0").canConvertToInt(), is(true));
        assertThat(JSON.readTree("1e999").canConvertToLong(), is(false));
        assertThat(JSON.readTree("12").isInt(), is(true)); // integers stay Jackson's own nodes
        assertThat(JSON.readTree("1.10"), is(JSON.readTree("1.10")));
    }

    @Test
    void aDoubleASerializerWroteStaysADouble() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("d", 0.5);
        JsonNode copy = JSON.valueToTree(tree);
        assertThat(copy.get("d"), is(DoubleNode.valueOf(0.5)));
    }
}
