package nats.bench.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Unique subject names, so runs never see each other's traffic on a shared server. */
final class Subjects {
  private Subjects() {}

  static String unique(String prefix) {
    return prefix + "." + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }
}
