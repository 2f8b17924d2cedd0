package nats.bench.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the runs of a comparison into a table of medians per server and their ratio A/B.
 *
 * <p>Only complete runs count towards a median. The ratio is always A divided by B: for
 * throughput above 1 means A is faster; for latency, CPU per message and memory above 1 means A
 * is slower, costlier or bigger.
 */
final class CompareTable {
  private CompareTable() {}

  /** One server's result of one round. */
  record Run(String server, int round, Result result) {}

  /** One compared metric of one scenario and size. */
  record Row(String scenario, int size, String metric, String unit, double medianA,
      double medianB, int okA, int runsA, int okB, int runsB, int unavailableA,
      int unavailableB) {
    double ratio() {
      return medianA / medianB;
    }

    /** @return a note for sides whose server had no JetStream in every run, or "" */
    String availability() {
      String a = unavailableA > 0 && unavailableA == runsA ? "A" : "";
      String b = unavailableB > 0 && unavailableB == runsB ? "B" : "";
      String both = a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b;
      return both.isEmpty() ? "" : both + ": " + Result.JS_UNAVAILABLE;
    }

    String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "compare");
      m.put("scenario", scenario);
      m.put("size", size);
      m.put("metric", metric);
      m.put("median_a", medianA);
      m.put("median_b", medianB);
      m.put("ratio_a_b", ratio());
      m.put("complete_a", okA);
      m.put("runs_a", runsA);
      m.put("complete_b", okB);
      m.put("runs_b", runsB);
      if (!availability().isEmpty()) {
        m.put("note", availability());
      }
      return Json.object(m);
    }
  }

  private static final String[] SHARE = {"client_cpu_share", "x server"};
  private static final String[] CPU = {"server_ns_per_msg", "ns/msg"};

  /** The metrics compared for a scenario (its label's name part): key, display unit. */
  static List<String[]> metrics(String scenario) {
    String name = scenario.contains(":") ? scenario.substring(0, scenario.indexOf(':'))
        : scenario;
    return switch (name) {
      case "reqrep" -> List.of(new String[] {"p50_ns", "us"}, new String[] {"p99_ns", "us"},
          new String[] {"req_per_sec", "req/s"}, new String[] {"server_ns_per_msg", "ns/req"},
          SHARE);
      case "js-pub-sync", "js-kv-put" -> List.of(new String[] {"p50_ns", "us"},
          new String[] {"p99_ns", "us"}, new String[] {"req_per_sec", "ops/s"},
          new String[] {"server_ns_per_msg", "ns/op"},
          new String[] {"fsync_per_sec", "fsyncs/s, this run"},
          new String[] {"limit_ops_per_sec", "ops/s limit"},
          new String[] {"vs_limit", "x limit"},
          new String[] {"fdatasync_overwrite_per_sec", "/s, this run"},
          new String[] {"vs_floor", "x limit"},
          new String[] {"p50_over_limit", "x p50 floor"}, SHARE);
      case "mqtt-rtt" -> List.of(new String[] {"p50_ns", "us"}, new String[] {"p99_ns", "us"},
          new String[] {"req_per_sec", "msgs/s"}, new String[] {"server_ns_per_msg", "ns/msg"},
          SHARE);
      case "js-kv-get" -> List.of(new String[] {"p50_ns", "us"}, new String[] {"p99_ns", "us"},
          new String[] {"req_per_sec", "ops/s"}, new String[] {"server_ns_per_msg", "ns/op"},
          SHARE);
      case "fanout" -> List.of(new String[] {"msgs_per_sec", "deliveries/s"},
          new String[] {"server_ns_per_delivery", "ns/delivery"}, CPU, SHARE);
      case "churn" -> List.of(new String[] {"msgs_per_sec", "msgs/s"},
          new String[] {"churn_per_sec", "sub+unsub/s"}, CPU, SHARE);
      case "slowsub" -> List.of(new String[] {"vm_hwm_kb", "MiB"},
          new String[] {"rss_peak_kb", "MiB"}, new String[] {"rss_before_kb", "MiB"},
          new String[] {"server_ns_per_delivery", "ns/delivery"},
          new String[] {"subs_closed", "subs"});
      case "js-wq-r3", "js-interest-r3" -> List.of(new String[] {"msgs_per_sec", "msgs/s"}, CPU,
          new String[] {"drain_ms", "ms after the last ack"}, SHARE);
      case "js-failover" -> List.of(new String[] {"failover_ms", "ms"},
          new String[] {"attempts", "publishes"});
      case "memory" -> List.of(new String[] {"rss_after_kb", "MiB"},
          new String[] {"rss_per_conn_bytes", "B/conn"});
      default -> List.of(new String[] {"msgs_per_sec", "msgs/s"}, CPU, SHARE);
    };
  }

  static List<Row> rows(List<Run> runs) {
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    for (Run r : runs) {
      groups.computeIfAbsent(r.result().scenario() + "/" + r.result().size(),
          k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (List<Run> g : groups.values()) {
      Result first = g.getFirst().result();
      for (String[] metric : metrics(first.scenario())) {
        double[] a = values(g, "A", metric[0]);
        double[] b = values(g, "B", metric[0]);
        rows.add(new Row(first.scenario(), first.size(), metric[0], metric[1], median(a),
            median(b), a.length, count(g, "A", false), b.length, count(g, "B", false),
            count(g, "A", true), count(g, "B", true)));
      }
    }
    return rows;
  }

  private static double[] values(List<Run> g, String server, String key) {
    return g.stream().filter(r -> r.server().equals(server) && r.result().complete())
        .mapToDouble(r -> r.result().metric(key)).filter(v -> !Double.isNaN(v) && v >= 0)
        .toArray();
  }

  private static int count(List<Run> g, String server, boolean unavailableOnly) {
    return (int) g.stream().filter(r -> r.server().equals(server)
        && (!unavailableOnly || r.result().unavailable())).count();
  }

  /** @return the median, or NaN for no values */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int mid = s.length / 2;
    return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }

  /** Formats the rows as an aligned text table. */
  static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-14s %6s  %-38s %14s %14s %11s  %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "scenario", "size", "metric", "A (median)",
        "B (median)", "ratio (A/B)", "complete A/B"));
    for (Row r : rows) {
      String complete = r.okA() + "/" + r.runsA() + " " + r.okB() + "/" + r.runsB();
      String avail = r.availability();
      sb.append(String.format(Locale.ROOT, fmt, r.scenario(),
          r.scenario().equals("memory") ? "-" : r.size() + "B", r.metric() + " [" + r.unit() + "]",
          show(r.medianA(), r.unit()), show(r.medianB(), r.unit()),
          Double.isNaN(r.ratio()) || Double.isInfinite(r.ratio()) ? "n/a"
              : String.format(Locale.ROOT, "%.3f", r.ratio()),
          avail.isEmpty() ? complete : complete + "  " + avail));
    }
    sb.append("ratio (A/B): throughput (msgs/s, deliveries/s, req/s, ops/s) > 1 means A is"
        + " faster; latency, CPU per message (ns/...) and memory > 1 means A is slower,"
        + " costlier, bigger.\n");
    sb.append("client_cpu_share: the load generator's CPU time over the server's in the same"
        + " window; above 0.33 the generator may limit the result.\n");
    if (rows.stream().anyMatch(r -> r.metric().equals("vs_limit"))) {
      sb.append("fsyncs/s: the disk probed (128 B append + fsync) for 0.1 s before each tenth of"
          + " the run and after the last; limit = 1 / (mean round trip + mean fsync), vs_limit = ops/s"
          + " over it (taken per run); fdatasync_overwrite: 128 B overwriting preallocated space +"
          + " fdatasync in the same windows, vs_floor = ops/s over 1 / (round trip + that), the"
          + " stricter bound; p50 floor = round trip p50 + fsync p50.\n");
    }
    return sb.toString();
  }

  private static String show(double v, String unit) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return switch (unit) {
      case "us" -> String.format(Locale.ROOT, "%,.1f", v / 1e3);
      case "MiB" -> String.format(Locale.ROOT, "%,.1f", v / 1024);
      case "x server", "x limit", "x p50 floor" -> String.format(Locale.ROOT, "%.3f", v);
      default -> v < 100 ? String.format(Locale.ROOT, "%,.1f", v)
          : String.format(Locale.ROOT, "%,.0f", v);
    };
  }
}
