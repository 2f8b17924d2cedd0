package nats.jetstream.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;

/**
 * A jnats asynchronous publisher for the fault tests: keeps up to {@code window} publishes in flight at about
 * {@code ratePerSecond}, each with a message id (its payload), and republishes one that fails or gets no ack within
 * 3 s until it is acknowledged. It records every acknowledged sequence with its payload and notes as a violation a
 * sequence acknowledged for two payloads or a payload acknowledged at two sequences.
 */
final class AckedPublisher implements AutoCloseable {

    private static final long ACK_WAIT_MS = 3_000;

    private final JetStream js;
    private final String subject;
    /** What every payload (and message id) starts with: publishers of one stream must differ in it. */
    private final String prefix;
    private final int window;
    private final int ratePerSecond;
    private final int max;
    private final Map<Long, String> acked = new ConcurrentSkipListMap<>();
    private final Map<String, Long> sequenceOf = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile int retries;
    private final Thread thread;

    private record Pending(String body, CompletableFuture<PublishAck> ack, long sentNanos) {
    }

    AckedPublisher(Connection nc, String subject, int window, int ratePerSecond, int max) throws java.io.IOException {
        this(nc, subject, "m-", window, ratePerSecond, max);
    }

    AckedPublisher(Connection nc, String subject, String prefix, int window, int ratePerSecond, int max)
            throws java.io.IOException {
        this.js = nc.jetStream();
        this.subject = subject;
        this.prefix = prefix;
        this.window = window;
        this.ratePerSecond = ratePerSecond;
        this.max = max;
        this.thread = Thread.ofPlatform().name("acked-publisher").daemon().start(this::run);
    }

    private void run() {
        Deque<Pending> inFlight = new ArrayDeque<>();
        long start = System.nanoTime();
        int issued = 0;
        while (running.get() || !inFlight.isEmpty()) {
            long allowed = (System.nanoTime() - start) * ratePerSecond / 1_000_000_000L;
            while (running.get() && issued < max && inFlight.size() < window && issued < allowed) {
                inFlight.addLast(send(prefix + issued++));
            }
            Pending oldest = inFlight.peekFirst();
            if (oldest == null) {
                sleep(5);
                continue;
            }
            try {
                long waited = (System.nanoTime() - oldest.sentNanos) / 1_000_000;
                PublishAck ack = oldest.ack.get(Math.max(1, Math.min(50, ACK_WAIT_MS - waited)), TimeUnit.MILLISECONDS);
                inFlight.removeFirst();
                record(ack.getSeqno(), oldest.body);
            } catch (java.util.concurrent.TimeoutException e) {
                if ((System.nanoTime() - oldest.sentNanos) / 1_000_000 >= ACK_WAIT_MS) {
                    inFlight.removeFirst();
                    oldest.ack.cancel(false);
                    inFlight.addLast(resend(oldest.body));
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                inFlight.removeFirst();
                sleep(50); // no leader for a moment, or no responders: ask again
                inFlight.addLast(resend(oldest.body));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Pending resend(String body) {
        retries++;
        return send(body);
    }

    private Pending send(String body) {
        CompletableFuture<PublishAck> f;
        try {
            f = js.publishAsync(subject, body.getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId(body).build());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return new Pending(body, f, System.nanoTime());
    }

    private void record(long seq, String body) {
        String before = acked.putIfAbsent(seq, body);
        if (before != null && !before.equals(body)) {
            violations.add("sequence " + seq + " acknowledged for " + before + " and for " + body);
        }
        Long at = sequenceOf.putIfAbsent(body, seq);
        if (at != null && at != seq) {
            violations.add(body + " acknowledged at sequence " + at + " and at " + seq);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Acknowledged sequences with their payloads, so far. */
    Map<Long, String> acked() {
        return acked;
    }

    int ackedCount() {
        return acked.size();
    }

    int retries() {
        return retries;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Waits until {@code count} messages (at most all there are to send) are acknowledged, up to {@code wait}. */
    void awaitAcked(int wanted, Duration wait) throws InterruptedException {
        int count = Math.min(wanted, max);
        long deadline = System.nanoTime() + wait.toNanos();
        while (acked.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.size() + " of " + count + " publishes acknowledged within "
                        + wait + " (" + retries + " retries)");
            }
            Thread.sleep(50);
        }
    }

    /** Stops publishing new messages and waits until every one sent is acknowledged. */
    void finish(Duration wait) throws InterruptedException {
        running.set(false);
        thread.join(wait.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("publishes still unacknowledged after " + wait + ": " + acked.size()
                    + " acknowledged, " + retries + " retries");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5_000);
    }
}
