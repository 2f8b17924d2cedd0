package nats.server.internal.monitor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import nats.api.monitoring.HistogramSamples;
import nats.api.monitoring.HistogramValue;
import nats.api.monitoring.MetricSamples;

/**
 * One scrape's metric families in the Prometheus text exposition format (version 0.0.4): each family's
 * {@code # HELP} and {@code # TYPE} lines, then its samples; families sorted by name, labels sorted by name
 * ({@code le} last), numbers written as Go's
 * {@code strconv.FormatFloat(v, 'g', -1, 64)} writes them, so the text reads as the NATS Prometheus exporter's
 * (client_golang) does.
 */
final class PrometheusText {

    /** A family's type, as the TYPE line names it. */
    enum Type {
        COUNTER, GAUGE, HISTOGRAM, UNTYPED;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Family> families = new HashMap<>();

    /**
     * The family named {@code name}, created on first use; a second use must give the same type and labels.
     *
     * @throws IllegalArgumentException for an invalid name, or one used before with another type or labels
     */
    Family family(String name, Type type, String help, String... labelNames) {
        Family existing = families.get(name);
        if (existing != null) {
            if (existing.type != type || !java.util.Arrays.equals(existing.labelNames, labelNames)) {
                throw new IllegalArgumentException("metric " + name + " is already defined as " + existing.type.text()
                        + " with labels " + java.util.Arrays.toString(existing.labelNames));
            }
            return existing;
        }
        checkNames(name, labelNames);
        Family family = new Family(name, type, help, labelNames.clone());
        families.put(name, family);
        return family;
    }

    boolean has(String name) {
        return families.containsKey(name);
    }

    /** Moves the families of {@code other} in; a name both have is an error and nothing moves. */
    void addAll(PrometheusText other) {
        for (String name : other.families.keySet()) {
            if (families.containsKey(name)) {
                throw new IllegalArgumentException("metric " + name + " is already defined");
            }
        }
        families.putAll(other.families);
    }

    static void checkNames(String name, String... labelNames) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name \"" + name + "\"");
        }
        for (String label : labelNames) {
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                throw new IllegalArgumentException("invalid label name \"" + label + "\" in " + name);
            }
        }
    }

    /** The whole exposition, families sorted by name. */
    String render() {
        List<Family> sorted = new ArrayList<>(families.values());
        sorted.sort(java.util.Comparator.comparing(f -> f.name));
        int size = 0;
        for (Family f : sorted) {
            size += f.samples.length() + f.help.length() + 2 * f.name.length() + 32;
        }
        StringBuilder out = new StringBuilder(size);
        for (Family f : sorted) {
            out.append("# HELP ").append(f.name).append(' ');
            escape(out, f.help, false);
            out.append("\n# TYPE ").append(f.name).append(' ').append(f.type.text()).append('\n');
            out.append(f.samples);
        }
        return out.toString();
    }

    /** One family: its samples are written as text as they are added. */
    static final class Family implements MetricSamples, HistogramSamples {
        final String name;
        final Type type;
        final String help;
        final String[] labelNames;
        final StringBuilder samples = new StringBuilder();

        /** The label names' indices in name order. */
        private final int[] sortedOrder;

        Family(String name, Type type, String help, String[] labelNames) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.labelNames = labelNames;
            this.sortedOrder = order(labelNames);
        }

        private static int[] order(String[] names) {
            Integer[] indices = new Integer[names.length];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i;
            }
            java.util.Arrays.sort(indices, java.util.Comparator.comparing(i -> names[i]));
            int[] order = new int[names.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = indices[i];
            }
            return order;
        }

        @Override
        public Family sample(double value, String... labelValues) {
            if (type == Type.HISTOGRAM) {
                throw new IllegalArgumentException(name + " is a histogram: give it HistogramValues");
            }
            if (type == Type.COUNTER && value < 0) {
                throw new IllegalArgumentException("counter " + name + " cannot be negative: " + value);
            }
            line(name, labelNames, labelValues, null, value);
            return this;
        }

        /**
         * A sample with its own label names: the text format allows a family's samples different label sets (the
         * exporter's per-connection series share their families with the sums).
         */
        void sampleLabelled(String[] names, String[] labelValues, double value) {
            line(name, names, labelValues, null, value);
        }

        @Override
        public Family sample(HistogramValue h, String... labelValues) {
            if (type != Type.HISTOGRAM) {
                throw new IllegalArgumentException(name + " is a " + type.text() + ", not a histogram");
            }
            double[] bounds = h.upperBounds();
            long[] counts = h.cumulativeCounts();
            for (int i = 0; i < bounds.length; i++) {
                line(name + "_bucket", labelNames, labelValues, formatted(bounds[i]), counts[i]);
            }
            line(name + "_bucket", labelNames, labelValues, "+Inf", h.count());
            line(name + "_sum", labelNames, labelValues, null, h.sum());
            line(name + "_count", labelNames, labelValues, null, h.count());
            return this;
        }

        /** Writes one sample; labels sorted by name as client_golang writes them, {@code le} last. */
        private void line(String sampleName, String[] labelNames, String[] labelValues, String le, double value) {
            if (labelValues.length != labelNames.length) {
                throw new IllegalArgumentException(name + " has " + labelNames.length + " labels "
                        + java.util.Arrays.toString(labelNames) + " but a sample gave " + labelValues.length);
            }
            int[] order = labelNames == this.labelNames ? sortedOrder : order(labelNames);
            samples.append(sampleName);
            if (labelNames.length > 0 || le != null) {
                samples.append('{');
                for (int k = 0; k < order.length; k++) {
                    int i = order[k];
                    if (k > 0) {
                        samples.append(',');
                    }
                    samples.append(labelNames[i]).append("=\"");
                    escape(samples, labelValues[i] == null ? "" : labelValues[i], true);
                    samples.append('"');
                }
                if (le != null) {
                    samples.append(labelNames.length > 0 ? ",le=\"" : "le=\"").append(le).append('"');
                }
                samples.append('}');
            }
            samples.append(' ');
            appendGoFloat(samples, value);
            samples.append('\n');
        }
    }

    /** HELP text escapes backslash and newline; label values also the double quote. */
    static void escape(StringBuilder out, String text, boolean labelValue) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    static String formatted(double v) {
        StringBuilder sb = new StringBuilder(24);
        appendGoFloat(sb, v);
        return sb.toString();
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as {@code v}, in
     * exponent form ({@code 1.234567e+06}) when the decimal exponent is below -4 or at least 6 (with the
     * shortest precision Go decides on 6), plain otherwise; {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    static void appendGoFloat(StringBuilder out, double v) {
        if (Double.isNaN(v)) {
            out.append("NaN");
            return;
        }
        if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
            return;
        }
        if (v == 0) {
            out.append(1 / v < 0 ? "-0" : "0");
            return;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            out.append((long) v);
            return;
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exp = digits.length() - 1 - exact.scale();
        if (v < 0) {
            out.append('-');
        }
        if (exp < -4 || exp >= 6) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                out.append('0');
            }
            out.append(e);
        } else if (exp < 0) {
            out.append("0.");
            out.repeat('0', -exp - 1);
            out.append(digits);
        } else {
            int integerDigits = exp + 1;
            if (digits.length() <= integerDigits) {
                out.append(digits);
                out.repeat('0', integerDigits - digits.length());
            } else {
                out.append(digits, 0, integerDigits).append('.').append(digits, integerDigits, digits.length());
            }
        }
    }
}
