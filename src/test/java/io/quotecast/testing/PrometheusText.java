package io.quotecast.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /metrics}, parsed as Prometheus reads its text format: every sample line
 * ({@code name{labels} value}) by series, comments ({@code # HELP}, {@code # TYPE}) checked for form.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)( \\d+)?$");
    private static final Pattern COMMENT = Pattern.compile("^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$");

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** Parses a scrape; fails on any line that is not a sample, a HELP or TYPE comment, or blank. */
    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("#")) {
                if (!COMMENT.matcher(line).matches()) {
                    throw new AssertionError("not a Prometheus comment line: " + line);
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            String labels = sample.group(2) == null ? "" : sample.group(2);
            samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
        }
        return new PrometheusText(samples);
    }

    /** The value of the one series of {@code name} whose labels include every {@code label="value"} given. */
    public double value(String name, String... labels) {
        Double found = null;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            if (matches(sample.getKey(), name, labels)) {
                if (found != null) {
                    throw new AssertionError("more than one series " + name + " " + String.join(",", labels));
                }
                found = sample.getValue();
            }
        }
        if (found == null) {
            throw new AssertionError("no series " + name + " " + String.join(",", labels) + " among " + samples.keySet());
        }
        return found;
    }

    /** The sum of every series of {@code name} with every label given; 0 where there is none. */
    public double sum(String name, String... labels) {
        return samples.entrySet().stream().filter(sample -> matches(sample.getKey(), name, labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether any series of {@code name} has every label given. */
    public boolean has(String name, String... labels) {
        return samples.keySet().stream().anyMatch(series -> matches(series, name, labels));
    }

    private static boolean matches(String series, String name, String... labels) {
        if (!(series.equals(name) || series.startsWith(name + "{"))) {
            return false;
        }
        for (String label : labels) {
            if (!series.contains(label)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return samples.toString();
    }
}
