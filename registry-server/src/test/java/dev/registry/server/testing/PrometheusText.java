package dev.registry.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prometheus text exposition (format 0.0.4), parsed: each sample line's name, labels and value.
 * Comments are checked for shape ({@code # HELP}, {@code # TYPE}) and otherwise skipped.
 */
public final class PrometheusText {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (!line.startsWith("# HELP ") && !line.startsWith("# TYPE ") && !line.startsWith("# EOF")) {
                    throw new AssertionError("not a Prometheus comment: " + line);
                }
                continue;
            }
            samples.add(sample(line));
        }
        return new PrometheusText(samples);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            throw new AssertionError("not a Prometheus sample: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int close = line.lastIndexOf('}');
            String inner = line.substring(brace + 1, close);
            int i = 0;
            while (i < inner.length()) {
                int eq = inner.indexOf('=', i);
                if (eq < 0) {
                    break;
                }
                String key = inner.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // after ="
                for (; inner.charAt(j) != '"'; j++) {
                    if (inner.charAt(j) == '\\') {
                        j++;
                    }
                    value.append(inner.charAt(j));
                }
                labels.put(key, value.toString());
                i = j + 1;
                while (i < inner.length() && (inner.charAt(i) == ',' || inner.charAt(i) == ' ')) {
                    i++;
                }
            }
        } else {
            name = line.substring(0, space);
        }
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new AssertionError("not a Prometheus metric name: " + name + " in " + line);
        }
        return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    /**
     * The sum of the samples named {@code name} whose labels include {@code labels} (pairs of key
     * and value); 0 when there is none.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Sample s : matching(name, labels)) {
            sum += s.value();
        }
        return sum;
    }

    /** Whether any sample is named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    public List<Sample> matching(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }

    /** Every metric name present. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
