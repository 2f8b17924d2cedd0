package nats.bench.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the threads of one scenario and bounds their lifetime by the run's deadline.
 *
 * <p>A worker that throws records the failure in the {@link RunControl}, which makes all other
 * loops of the run stop at their next check.
 */
final class Workers {
  /** Work that may fail with any exception. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  private final RunControl control;
  private final List<Thread> threads = new ArrayList<>();

  Workers(RunControl control) {
    this.control = control;
  }

  void start(String name, Task task) {
    Thread t = Thread.ofPlatform().name(name).daemon(true).start(() -> {
      try {
        task.run();
      } catch (Throwable e) {
        control.fail(e);
      }
    });
    threads.add(t);
  }

  /** Waits for all workers; every loop checks the deadline, so a small grace period suffices. */
  void join() throws InterruptedException {
    for (Thread t : threads) {
      t.join(Math.max(1, control.remainingMillis()) + 2_000);
    }
    for (Thread t : threads) {
      if (t.isAlive()) {
        control.fail(new IllegalStateException(t.getName() + " did not stop in time"));
      }
    }
  }
}
