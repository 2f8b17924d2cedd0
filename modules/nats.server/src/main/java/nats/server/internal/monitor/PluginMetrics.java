package nats.server.internal.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import nats.api.monitoring.HistogramSamples;
import nats.api.monitoring.HistogramValue;
import nats.api.monitoring.MetricSamples;
import nats.api.monitoring.MetricsSource;
import nats.api.monitoring.MetricsWriter;
import nats.server.internal.monitor.PrometheusText.Family;
import nats.server.internal.monitor.PrometheusText.Type;

/**
 * The metrics plugins add ({@code Monitoring.metrics}): each source writes into a scrape of its own, checked
 * against the naming rules of {@link MetricsWriter}, with {@code server_id} put first on every sample; a source
 * that throws loses its output for that scrape, is logged once and counted, and the scrape goes on.
 */
final class PluginMetrics {

    private static final System.Logger LOG = System.getLogger(PluginMetrics.class.getName());

    /** A registered source and the name its failures are reported under (its module). */
    private record Registered(String name, MetricsSource source) {
    }

    private final List<Registered> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    void add(MetricsSource source) {
        // A plugin's module names it; on the class path, the class that defined the source (a lambda's host).
        Module module = source.getClass().getModule();
        String name = module.isNamed() ? module.getName() : source.getClass().getNestHost().getName();
        sources.add(new Registered(name, source));
    }

    boolean isEmpty() {
        return sources.isEmpty();
    }

    void collect(PrometheusText out, String sid) {
        for (Registered r : sources) {
            PrometheusText own = new PrometheusText();
            try {
                r.source().collect(new Writer(own, sid));
                out.addAll(own);
            } catch (RuntimeException e) {
                LongAdder count = errors.computeIfAbsent(r.name(), n -> new LongAdder());
                if (count.sum() == 0) {
                    LOG.log(System.Logger.Level.WARNING, "metrics of " + r.name() + " left out: " + e);
                }
                count.increment();
            }
        }
        if (!errors.isEmpty()) {
            Family f = out.family("jnatsd_metrics_source_errors_total", Type.COUNTER,
                    "Scrapes in which a plugin's metrics failed and were left out", "server_id", "source");
            errors.forEach((name, n) -> f.sample(n.sum(), sid, name));
        }
    }

    /** What a source writes through: the API's rules, then the kernel's text. */
    private static final class Writer implements MetricsWriter {
        private final PrometheusText out;
        private final String sid;

        Writer(PrometheusText out, String sid) {
            this.out = out;
            this.sid = sid;
        }

        @Override
        public MetricSamples counter(String name, String help, String... labelNames) {
            if (!name.endsWith("_total")) {
                throw new IllegalArgumentException("counter " + name + " must end in _total");
            }
            return scalar(out.family(name, Type.COUNTER, help, withServerId(name, labelNames, false)));
        }

        @Override
        public MetricSamples gauge(String name, String help, String... labelNames) {
            return scalar(out.family(name, Type.GAUGE, help, withServerId(name, labelNames, false)));
        }

        @Override
        public HistogramSamples histogram(String name, String help, String... labelNames) {
            Family f = out.family(name, Type.HISTOGRAM, help, withServerId(name, labelNames, true));
            return new HistogramSamples() {
                @Override
                public HistogramSamples sample(HistogramValue value, String... labelValues) {
                    f.sample(value, withServerIdValue(labelValues));
                    return this;
                }
            };
        }

        private MetricSamples scalar(Family f) {
            return new MetricSamples() {
                @Override
                public MetricSamples sample(double value, String... labelValues) {
                    f.sample(value, withServerIdValue(labelValues));
                    return this;
                }
            };
        }

        private String[] withServerIdValue(String[] labelValues) {
            String[] all = new String[labelValues.length + 1];
            all[0] = sid;
            System.arraycopy(labelValues, 0, all, 1, labelValues.length);
            return all;
        }

        private static String[] withServerId(String name, String[] labelNames, boolean histogram) {
            List<String> all = new ArrayList<>(labelNames.length + 1);
            all.add("server_id");
            for (String label : labelNames) {
                if (label.equals("server_id") || (histogram && label.equals("le"))) {
                    throw new IllegalArgumentException("label " + label + " of " + name + " is reserved");
                }
                all.add(label);
            }
            return all.toArray(String[]::new);
        }
    }
}
