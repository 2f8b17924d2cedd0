package nats.bench.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one scenario run.
 *
 * @param scenario scenario name
 * @param size payload size in bytes
 * @param complete true if every expected message arrived before the limits
 * @param note why the run is incomplete or anything odd about it, or {@code null}
 * @param metrics named numbers in presentation order (see the docs for their meaning)
 */
public record Result(String scenario, int size, boolean complete, String note,
    Map<String, Number> metrics) {

  /** Copies the metrics so the record stays immutable. */
  public Result {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** @return a result for a run that could not even start */
  static Result failed(String scenario, int size, String why) {
    return new Result(scenario, size, false, why, Map.of());
  }

  /** @return the metric as a double, or NaN if absent */
  public double metric(String key) {
    Number n = metrics.get(key);
    return n == null ? Double.NaN : n.doubleValue();
  }

  /** One JSON object; {@code prefix} fields (e.g. server, round) come first. */
  public String toJson(Map<String, ?> prefix) {
    Map<String, Object> m = new LinkedHashMap<>(prefix);
    m.put("type", "result");
    m.put("scenario", scenario);
    m.put("size", size);
    m.put("complete", complete);
    m.put("note", note);
    m.putAll(metrics);
    return Json.object(m);
  }

  /** One human-readable line. */
  public String toText() {
    StringBuilder sb = new StringBuilder(160);
    sb.append(String.format(Locale.ROOT, "%-7s size=%dB", scenario, size));
    for (Map.Entry<String, Number> e : metrics.entrySet()) {
      sb.append("  ").append(e.getKey()).append('=').append(format(e.getKey(), e.getValue()));
    }
    if (!complete) {
      sb.append("  INCOMPLETE");
    }
    if (note != null) {
      sb.append("  (").append(note).append(')');
    }
    return sb.toString();
  }

  /** Groups thousands; nanosecond latencies are also shown in microseconds. */
  static String format(String key, Number v) {
    if (v instanceof Double || v instanceof Float) {
      double d = v.doubleValue();
      return d >= 1000 ? String.format(Locale.ROOT, "%,.0f", d)
          : String.format(Locale.ROOT, "%.2f", d);
    }
    if (key.endsWith("_ns")) {
      return String.format(Locale.ROOT, "%,dns(%.1fus)", v.longValue(), v.longValue() / 1e3);
    }
    return String.format(Locale.ROOT, "%,d", v.longValue());
  }
}
