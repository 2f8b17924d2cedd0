package nats.bench.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Shared stop conditions of one scenario run: a hard deadline and the first failure.
 *
 * <p>Every loop of the tool checks {@link #shouldStop()}, so a stuck server or a failed peer
 * thread ends the run within the deadline instead of hanging it. Connections that block in
 * reads are registered with {@link #closeOnStop}; a watchdog closes them when the run stops,
 * fails or reaches its deadline, which ends the blocked read.
 */
final class RunControl {
  private final long deadlineNanos;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<AutoCloseable> blockers = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  private Thread watchdog;

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
    closeBlockers();
  }

  /**
   * Records the first failure; later ones are usually consequences of it, and so is anything
   * after {@link #stop()} (closing blocked connections makes their reads throw).
   */
  void fail(Throwable t) {
    if (stopped) {
      return;
    }
    failure.compareAndSet(null, t);
    closeBlockers();
  }

  /** Closes {@code c} when the run stops, fails or expires (see {@link Connection#useBlockingIo}). */
  synchronized void closeOnStop(AutoCloseable c) {
    blockers.add(c);
    if (shouldStop()) {
      closeBlockers();
    } else if (watchdog == null) {
      watchdog = Thread.ofPlatform().daemon(true).name("run-watchdog").start(this::watch);
    }
  }

  /**
   * The watchdog's loop: until the run ends or nothing is registered any more. Deciding to quit
   * and clearing {@link #watchdog} happen under the same lock as a registration, so a connection
   * registered at that moment still gets a watchdog.
   */
  private void watch() {
    while (!shouldStop()) {
      synchronized (this) {
        if (blockers.isEmpty()) {
          watchdog = null;
          return;
        }
      }
      LockSupport.parkNanos(Math.max(1, Math.min(100_000_000L,
          deadlineNanos - System.nanoTime())));
    }
    if (failure.get() == null && !stopped && expired()) {
      fail(new StopException("duration limit reached"));
    }
    closeBlockers();
    synchronized (this) {
      watchdog = null;
    }
  }

  /** Forgets a connection that was closed by its owner. */
  void forget(AutoCloseable c) {
    blockers.remove(c);
  }

  private void closeBlockers() {
    for (AutoCloseable c : blockers) {
      blockers.remove(c);
      try {
        c.close();
      } catch (Exception e) {
        // Closing to unblock a reader: a second error adds nothing.
      }
    }
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
