package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    @Test
    void entriesAreKeyEqualsValueWithTheValueAfterTheFirstEquals() {
        assertThat(
                KafkaClientProperties.parseEntries(List.of(
                        "security.protocol=SASL_SSL",
                        "sasl.jaas.config=org.Module required username=\"u\" password=\"p=q\";",
                        "linger.ms =  3 ",
                        "empty=")),
                equalTo(Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.jaas.config",
                        "org.Module required username=\"u\" password=\"p=q\";",
                        "linger.ms",
                        "3",
                        "empty",
                        "")));
    }

    @Test
    void anEntryWithoutKeyIsRefused() {
        assertThat(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> KafkaClientProperties.parseEntries(List.of("novalue")))
                        .getMessage(),
                equalTo("--kafka-property 'novalue' is not key=value"));
        assertThrows(IllegalArgumentException.class, () -> KafkaClientProperties.parseEntries(List.of("=x")));
    }

    @Test
    void commandLineEntriesWinOverTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                # TLS to the cluster
                security.protocol=SSL
                ssl.truststore.location=/etc/kafka/truststore.p12
                linger.ms=5
                """);
        assertThat(
                KafkaClientProperties.merge(file, List.of("linger.ms=1", "client.rack=eu-1")),
                equalTo(Map.of(
                        "security.protocol",
                        "SSL",
                        "ssl.truststore.location",
                        "/etc/kafka/truststore.p12",
                        "linger.ms",
                        "1",
                        "client.rack",
                        "eu-1")));
        assertThat(KafkaClientProperties.merge(null, List.of("a=b")), equalTo(Map.of("a", "b")));
    }

    @Test
    void aMissingFileIsOneClearLine(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        String message = assertThrows(
                        IllegalArgumentException.class, () -> KafkaClientProperties.merge(missing, List.of()))
                .getMessage();
        assertThat(message, containsString("--kafka-config " + missing + ": no such file"));
    }
}
