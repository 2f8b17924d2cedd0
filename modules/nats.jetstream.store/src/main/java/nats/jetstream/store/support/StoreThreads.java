package nats.jetstream.store.support;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Threads shared by every store in the process: one timer thread for {@code max_age} and TTL expiry, and
 * virtual threads for background persistence (consumer state), so that many streams do not cost many
 * platform threads.
 */
public final class StoreThreads {

    private static final ScheduledExecutorService TIMER = createTimer();
    private static final Executor BACKGROUND =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jetstream-store-io-", 0).factory());

    private StoreThreads() {
    }

    /** The shared timer; tasks must be short or hand long work to {@link #background()}. */
    public static ScheduledExecutorService timer() {
        return TIMER;
    }

    /** Runs background persistence work, each task on its own virtual thread. */
    public static Executor background() {
        return BACKGROUND;
    }

    private static ScheduledExecutorService createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("jetstream-store-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
