package dev.cycletrack.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text exposition (format 0.0.4): name, labels; values are not needed. */
final class PrometheusScrape {

    record Sample(String name, Map<String, String> labels) {}

    // Labels Prometheus adds to every series of a target; a scrape never has them.
    private static final List<String> TARGET_LABELS = List.of("job", "instance");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusScrape parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace >= 0 && (space < 0 || brace < space)) {
                int close = line.lastIndexOf('}');
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher m = LABEL.matcher(line.substring(brace + 1, close));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
                out.add(new Sample(line.substring(0, brace), labels));
            } else {
                out.add(new Sample(line.substring(0, space), Map.of()));
            }
        }
        return new PrometheusScrape(out);
    }

    List<Sample> samples() {
        return samples;
    }

    /** Whether some sample would be selected by {@code s} (matchers on Prometheus' target labels ignored). */
    boolean selects(PromQl.Selector s) {
        return samples.stream()
                .anyMatch(sample -> sample.name().equals(s.metric())
                        && s.matchers().stream()
                                .filter(m -> !TARGET_LABELS.contains(m.label())
                                        && !m.value().contains("$"))
                                .allMatch(m -> m.test(sample.labels().get(m.label()))));
    }

    boolean hasMetric(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
