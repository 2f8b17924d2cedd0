package nats.bench.internal;

/**
 * A scenario as named in {@code compare --scenarios}: {@code fanout}, or {@code fanout:64} with the
 * scenario's count (subscribers, publishers or clients, see {@link Scenario.Param}) fixed.
 *
 * @param scenario what to run
 * @param count the count the spec fixes, 0 for the option's or the scenario's default
 */
public record ScenarioSpec(Scenario scenario, int count) {

  /** Checks the count. */
  public ScenarioSpec {
    if (count < 0 || count > 1000) {
      throw new IllegalArgumentException("count must be 1..1000 in " + scenario.cliName() + ":N");
    }
  }

  /**
   * Parses {@code name} or {@code name:N}.
   *
   * @throws IllegalArgumentException if the name is unknown, or the scenario takes no count
   */
  public static ScenarioSpec parse(String text) {
    String t = text.trim();
    int colon = t.indexOf(':');
    if (colon < 0) {
      return new ScenarioSpec(Scenario.parse(t), 0);
    }
    Scenario s = Scenario.parse(t.substring(0, colon));
    if (s.param() == Scenario.Param.NONE) {
      throw new IllegalArgumentException(s.cliName() + " takes no count (" + text + ")");
    }
    int n;
    try {
      n = Integer.parseInt(t.substring(colon + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad count in " + text, e);
    }
    if (n < 1) {
      throw new IllegalArgumentException("count must be 1..1000 in " + text);
    }
    return new ScenarioSpec(s, n);
  }

  /** @return the label used in tables, e.g. {@code fanout:64} */
  public String label() {
    return count == 0 ? scenario.cliName() : scenario.cliName() + ":" + count;
  }
}
