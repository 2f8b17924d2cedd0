package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import nats.api.monitoring.HistogramValue;
import nats.server.internal.monitor.PrometheusText.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text format as client_golang writes it: Go's float format, escaping, families sorted, histograms. */
class PrometheusTextTest {

    /** Expected texts are Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}. */
    @ParameterizedTest
    @CsvSource({
        "0, 0", "1, 1", "-2.5, -2.5", "0.5, 0.5", "123456, 123456", "999999, 999999", "1000000, 1e+06",
        "1234567, 1.234567e+06", "1.048576e6, 1.048576e+06", "6.7108864e7, 6.7108864e+07", "1.2e11, 1.2e+11",
        "1796618190566, 1.796618190566e+12", "0.0001, 0.0001", "0.00001, 1e-05", "0.000123, 0.000123",
        "0.0000123, 1.23e-05", "123456.7, 123456.7", "1e21, 1e+21", "1.5e300, 1.5e+300", "0.019591229, 0.019591229",
        "100000, 100000", "12345.678, 12345.678", "9007199254740993, 9.007199254740992e+15",
    })
    void formatsNumbersAsGo(double value, String go) {
        assertEquals(go, PrometheusText.formatted(value), "FormatFloat(" + value + ", 'g', -1, 64)");
    }

    @Test
    void formatsSpecialValuesAsTheTextFormatWantsThem() {
        assertEquals("NaN", PrometheusText.formatted(Double.NaN), "NaN");
        assertEquals("+Inf", PrometheusText.formatted(Double.POSITIVE_INFINITY), "+Inf");
        assertEquals("-Inf", PrometheusText.formatted(Double.NEGATIVE_INFINITY), "-Inf");
    }

    @Test
    void writesFamiliesSortedWithEscapedTexts() {
        PrometheusText text = new PrometheusText();
        text.family("zz_total", Type.COUNTER, "last", "a").sample(3, "x\"y\\z\nw");
        text.family("aa", Type.GAUGE, "first \\ line\nnext").sample(1.5);
        assertEquals("""
                # HELP aa first \\\\ line\\nnext
                # TYPE aa gauge
                aa 1.5
                # HELP zz_total last
                # TYPE zz_total counter
                zz_total{a="x\\"y\\\\z\\nw"} 3
                """, text.render(), "sorted families, HELP escapes \\ and newline, label values also the quote");
    }

    @Test
    void writesLabelsSortedByNameAsClientGolangDoes() {
        PrometheusText text = new PrometheusText();
        text.family("m", Type.GAUGE, "h", "server_id", "account", "zone").sample(1, "S", "A", "Z");
        assertEquals("# HELP m h\n# TYPE m gauge\nm{account=\"A\",server_id=\"S\",zone=\"Z\"} 1\n", text.render(),
                "labels in name order, whatever order the family declared");
    }

    @Test
    void writesHistogramsWithCumulativeBuckets() {
        PrometheusText text = new PrometheusText();
        text.family("fsync_seconds", Type.HISTOGRAM, "fsync latency", "server_id")
                .sample(new HistogramValue(new double[] {0.0001, 0.001}, new long[] {3, 7}, 9, 0.004), "S");
        assertEquals("""
                # HELP fsync_seconds fsync latency
                # TYPE fsync_seconds histogram
                fsync_seconds_bucket{server_id="S",le="0.0001"} 3
                fsync_seconds_bucket{server_id="S",le="0.001"} 7
                fsync_seconds_bucket{server_id="S",le="+Inf"} 9
                fsync_seconds_sum{server_id="S"} 0.004
                fsync_seconds_count{server_id="S"} 9
                """, text.render(), "buckets, +Inf, sum and count");
    }

    @Test
    void refusesWhatTheFormatCannotHold() {
        PrometheusText text = new PrometheusText();
        assertThrows(IllegalArgumentException.class, () -> text.family("1bad", Type.GAUGE, ""), "name");
        assertThrows(IllegalArgumentException.class, () -> text.family("ok", Type.GAUGE, "", "__reserved"), "label");
        text.family("ok", Type.GAUGE, "", "a");
        assertThrows(IllegalArgumentException.class, () -> text.family("ok", Type.COUNTER, "", "a"),
                "one name, two types");
        assertThrows(IllegalArgumentException.class, () -> text.family("ok", Type.GAUGE, "", "a").sample(1),
                "a sample without its label");
        assertThrows(IllegalArgumentException.class,
                () -> text.family("c_total", Type.COUNTER, "").sample(-1), "a negative counter");
        assertThrows(IllegalArgumentException.class,
                () -> new HistogramValue(new double[] {1, 0.5}, new long[] {1, 2}, 2, 1), "bounds not increasing");
        assertThrows(IllegalArgumentException.class,
                () -> new HistogramValue(new double[] {1, 2}, new long[] {3, 2}, 3, 1), "counts not cumulative");
    }
}
