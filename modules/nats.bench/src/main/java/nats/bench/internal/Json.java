package nats.bench.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Minimal JSON for the tool: a writer for flat objects, and field look-ups in the JetStream API's
 * replies (the tool depends on no JSON library; the replies it reads are small and flat enough
 * that finding {@code "name":} and reading the value after it is exact for them).
 */
final class Json {
  private Json() {}

  /**
   * The string value of the first {@code "name":"..."} in {@code json}, or null. Escapes are
   * kept as written, which is enough for error descriptions.
   */
  static String stringField(String json, String name) {
    int at = valueStart(json, name);
    if (at < 0 || at >= json.length() || json.charAt(at) != '"') {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = at + 1; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\' && i + 1 < json.length()) {
        sb.append(json.charAt(++i));
      } else if (c == '"') {
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
    return null;
  }

  /** The integer value of the first {@code "name":123} in {@code json}, or {@code missing}. */
  static long longField(String json, String name, long missing) {
    int at = valueStart(json, name);
    if (at < 0) {
      return missing;
    }
    int end = at;
    if (end < json.length() && json.charAt(end) == '-') {
      end++;
    }
    while (end < json.length() && Character.isDigit(json.charAt(end))) {
      end++;
    }
    try {
      return Long.parseLong(json.substring(at, end));
    } catch (NumberFormatException e) {
      return missing;
    }
  }

  /** @return true if {@code json} has {@code "name":} followed by an object */
  static boolean hasObject(String json, String name) {
    int at = valueStart(json, name);
    return at >= 0 && at < json.length() && json.charAt(at) == '{';
  }

  private static int valueStart(String json, String name) {
    String key = "\"" + name + "\"";
    int i = json.indexOf(key);
    if (i < 0) {
      return -1;
    }
    i += key.length();
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    if (i >= json.length() || json.charAt(i) != ':') {
      return -1;
    }
    i++;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Quotes a string for a JSON document. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    string(sb, s);
    return sb.toString();
  }

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
