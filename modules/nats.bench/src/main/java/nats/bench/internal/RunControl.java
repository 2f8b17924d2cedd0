package nats.bench.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared stop conditions of one scenario run: a hard deadline and the first failure.
 *
 * <p>Every loop of the tool checks {@link #shouldStop()}, so a stuck server or a failed peer
 * thread ends the run within the deadline instead of hanging it.
 */
final class RunControl {
  private final long deadlineNanos;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopped;

  RunControl(long durationLimitSeconds) {
    this.deadlineNanos = System.nanoTime() + durationLimitSeconds * 1_000_000_000L;
  }

  boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /** Milliseconds left before the deadline, at least 1 so it can be used as a poll timeout. */
  long remainingMillis() {
    return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  boolean shouldStop() {
    return stopped || failure.get() != null || expired();
  }

  /** Asks all loops to end (e.g. once the publisher and subscribers are done). */
  void stop() {
    stopped = true;
  }

  /** Records the first failure; later ones are usually consequences of it. */
  void fail(Throwable t) {
    failure.compareAndSet(null, t);
  }

  Throwable failure() {
    return failure.get();
  }

  /** A short reason for an incomplete run, or {@code null} if it was not cut short. */
  String reason() {
    Throwable t = failure.get();
    if (t != null) {
      return t.getMessage() == null ? t.toString() : t.getMessage();
    }
    return expired() ? "duration limit reached" : null;
  }

  /** Thrown out of loops when the run has to end early. */
  static final class StopException extends java.io.IOException {
    StopException(String message) {
      super(message);
    }
  }

  /** Throws if the run should end. */
  void check(String where) throws StopException {
    if (shouldStop()) {
      String r = reason();
      throw new StopException(where + ": stopped (" + (r == null ? "run ended" : r) + ")");
    }
  }
}
