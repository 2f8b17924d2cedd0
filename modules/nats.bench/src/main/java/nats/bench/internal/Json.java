package nats.bench.internal;

import java.util.Locale;
import java.util.Map;

/** Minimal JSON writer for flat objects of strings, numbers and booleans. */
final class Json {
  private Json() {}

  /** Writes one flat JSON object; values may be {@code null}, strings, numbers or booleans. */
  static String object(Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder(256).append('{');
    boolean first = true;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      value(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void value(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("null");
      case Boolean b -> sb.append(b);
      case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
      case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
      case Double d -> sb.append(String.format(Locale.ROOT, "%.3f", d));
      case Float f -> sb.append(String.format(Locale.ROOT, "%.3f", f));
      case Number n -> sb.append(n);
      default -> string(sb, v.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
