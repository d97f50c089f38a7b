package dev.registry.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings given by the operator: a properties file ({@code --kafka-config FILE}) and
 * {@code key=value} entries ({@code --kafka-property}, repeatable), the entries winning over the file.
 * What they may set, and what the log refuses, is {@link KafkaEventLog}'s business.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {}

    /**
     * The file's settings (when {@code file} is not null) with {@code entries} over them.
     *
     * @throws IllegalArgumentException with a one-line message when the file cannot be read or an entry
     *                                  is not {@code key=value}
     */
    public static Map<String, String> merge(Path file, List<String> entries) {
        Map<String, String> merged = new LinkedHashMap<>(file == null ? Map.of() : readFile(file));
        merged.putAll(parseEntries(entries));
        return Collections.unmodifiableMap(merged);
    }

    /** Parses {@code key=value} entries; the value is everything after the first {@code =} and may be empty. */
    public static Map<String, String> parseEntries(List<String> entries) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            String key = equals < 0 ? "" : entry.substring(0, equals).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("--kafka-property '" + entry + "' is not key=value");
            }
            parsed.put(key, entry.substring(equals + 1).strip());
        }
        return Collections.unmodifiableMap(parsed);
    }

    /** Reads a Java properties file (UTF-8), as Kafka's own {@code --command-config} files are written. */
    public static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException ex) {
            throw new IllegalArgumentException("--kafka-config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("--kafka-config " + file + " cannot be read: " + ex.getMessage());
        }
        Map<String, String> read = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(name ->
                        read.put(name.strip(), properties.getProperty(name).strip()));
        return Collections.unmodifiableMap(read);
    }
}
