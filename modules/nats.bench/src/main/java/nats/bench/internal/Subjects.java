package nats.bench.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique subject names, so runs never see each other's traffic on a shared server.
 *
 * <p>Names are kept short ({@code <prefix>.<5 characters>}): a server parses every byte of every
 * frame, so a long subject makes each message cost more and the tool would measure subject
 * lengths rather than servers. Five base-36 characters leave about 58 million names per prefix.
 */
final class Subjects {
  private static final long MIN = 36L * 36 * 36 * 36; // smallest 5-digit base-36 number
  private static final long MAX = MIN * 36;

  private Subjects() {}

  static String unique(String prefix) {
    return prefix + "." + Long.toString(ThreadLocalRandom.current().nextLong(MIN, MAX), 36);
  }
}
