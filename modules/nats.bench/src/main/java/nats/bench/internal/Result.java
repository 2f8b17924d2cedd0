package nats.bench.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one scenario run.
 *
 * @param scenario scenario name (in a comparison its label, e.g. {@code fanout:64})
 * @param size payload size in bytes
 * @param complete true if every expected message arrived before the limits
 * @param note why the run is incomplete or anything odd about it, or {@code null}
 * @param metrics named numbers in presentation order (see the docs for their meaning)
 * @param unavailable true if the server does not offer what the scenario needs (JetStream);
 *     such a run is reported, not counted as a failure
 */
public record Result(String scenario, int size, boolean complete, String note,
    Map<String, Number> metrics, boolean unavailable) {

  /** The note of a JetStream scenario against a server without JetStream starts with this. */
  static final String JS_UNAVAILABLE = "JetStream not available";

  /** Copies the metrics so the record stays immutable. */
  public Result {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A run the server could serve. */
  public Result(String scenario, int size, boolean complete, String note,
      Map<String, Number> metrics) {
    this(scenario, size, complete, note, metrics, false);
  }

  /** @return a result for a run that could not even start */
  static Result failed(String scenario, int size, String why) {
    return new Result(scenario, size, false, why, Map.of());
  }

  /** @return a result for a JetStream run against a server that has no JetStream */
  static Result jsUnavailable(String scenario, int size, String why) {
    return new Result(scenario, size, false, JS_UNAVAILABLE + ": " + why, Map.of(), true);
  }

  /** @return the same result under another name (a comparison's label) */
  Result withScenario(String name) {
    return new Result(name, size, complete, note, metrics, unavailable);
  }

  /** @return the same result with a note added (keeps the first note first) */
  Result withNote(boolean stillComplete, String more) {
    return new Result(scenario, size, stillComplete, note == null ? more : note + "; " + more,
        metrics, unavailable);
  }

  /** @return true unless the run failed (an unavailable JetStream is not a failure) */
  public boolean ok() {
    return complete || unavailable;
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
    if (unavailable) {
      m.put("unavailable", true);
    }
    m.putAll(metrics);
    String warning = CpuMeter.shareWarning(this);
    if (warning != null) {
      m.put("warning", warning);
    }
    return Json.object(m);
  }

  /** One human-readable line. */
  public String toText() {
    StringBuilder sb = new StringBuilder(160);
    sb.append(String.format(Locale.ROOT, "%-7s size=%dB", scenario, size));
    for (Map.Entry<String, Number> e : metrics.entrySet()) {
      sb.append("  ").append(e.getKey()).append('=').append(format(e.getKey(), e.getValue()));
    }
    if (!complete && !unavailable) {
      sb.append("  INCOMPLETE");
    }
    if (note != null) {
      sb.append("  (").append(note).append(')');
    }
    String warning = CpuMeter.shareWarning(this);
    if (warning != null) {
      sb.append("  WARNING: ").append(warning);
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
