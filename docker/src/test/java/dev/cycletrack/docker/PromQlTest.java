package dev.cycletrack.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selector extraction the dashboard check relies on: it must neither miss a metric nor invent one. */
class PromQlTest {

    private static List<String> names(String expr) {
        return PromQl.selectors(expr).stream().map(PromQl.Selector::metric).toList();
    }

    @Test
    void findsMetricsInsideFunctionsAggregationsAndArithmetic() {
        assertEquals(
                List.of("a_total", "b_sum", "b_count"),
                names("sum by (result, reason) (rate(a_total[5m])) + sum(rate(b_sum[$__rate_interval]))"
                        + " / sum without (x) (rate(b_count[1m] offset 5m))"));
        assertEquals(List.of("lat_bucket"), names("histogram_quantile(0.95, sum by (le) (rate(lat_bucket[1m])))"));
        assertEquals(List.of("info"), names("max(info) by (version) == 1"));
        assertEquals(List.of("x", "y"), names("x and on (job) group_left (version) y > bool 1e3"));
    }

    @Test
    void readsLabelMatchersAndSkipsStringsAndVariables() {
        PromQl.Selector s = PromQl.selectors(
                        "sum(rate(m_total{result=\"skipped\", reason=~\"too_.*\"}[$__rate_interval]))")
                .get(0);
        assertEquals("m_total", s.metric());
        assertEquals(
                List.of(
                        new PromQl.LabelMatcher("result", "=", "skipped"),
                        new PromQl.LabelMatcher("reason", "=~", "too_.*")),
                s.matchers());
        assertEquals(List.of("up"), names("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")"));
        assertEquals(List.of("n"), names("{__name__=\"n\", a=\"b\"}"));
    }

    @Test
    void aSelectorMatchesOnlyTheSeriesItsMatchersAllow() {
        PrometheusScrape scrape = PrometheusScrape.parse(
                "# TYPE m_total counter\nm_total{reason=\"\",result=\"labelled\"} 4.0\nm_total{reason=\"too_old\",result=\"skipped\"} 1.0\n");
        assertTrue(
                scrape.selects(PromQl.selectors("m_total{result=\"skipped\"}").get(0)));
        assertTrue(scrape.selects(PromQl.selectors("m_total{result=~\"skip.*\",job=\"cycletrack\"}")
                .get(0)));
        assertFalse(
                scrape.selects(PromQl.selectors("m_total{result=\"invalid\"}").get(0)));
        assertFalse(scrape.selects(PromQl.selectors("m_totl").get(0)));
        assertEquals(
                Map.of("reason", "too_old", "result", "skipped"),
                scrape.samples().get(1).labels());
    }
}
