package nats.bench.internal;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses counts such as {@code 1000000}, {@code 1_000_000}, {@code 1,000,000}, {@code 20k} or
 * {@code 1m} (decimal suffixes: k = 10^3, m = 10^6).
 */
public final class CountConverter implements ITypeConverter<Long> {
  /** Creates the converter (instantiated by picocli). */
  public CountConverter() {}

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /**
   * Parses a count.
   *
   * @param value the text
   * @return the count
   * @throws IllegalArgumentException if it is not a non-negative count
   */
  public static long parse(String value) {
    String s = value.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
    long mult = 1;
    if (s.endsWith("k")) {
      mult = 1_000;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      mult = 1_000_000;
      s = s.substring(0, s.length() - 1);
    }
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new IllegalArgumentException("must not be negative: " + value);
      }
      return Math.multiplyExact(v, mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a count: " + value, e);
    }
  }
}
