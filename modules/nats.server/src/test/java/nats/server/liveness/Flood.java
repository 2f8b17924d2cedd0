package nats.server.liveness;

import java.io.IOException;
import nats.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw publisher flooding one subject with fixed-size messages from its own thread, until a byte budget or
 * a time budget is used up. A write that blocks (the server stopped reading this publisher) keeps the thread
 * in {@code write}; {@link #await} then reports it as not finished.
 */
final class Flood {

    private final RawClient publisher;
    private final byte[] batch;
    private final int framesPerBatch;
    private final long byteBudget;
    private final long timeBudgetNanos;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long bytesSent;
    private volatile long messagesSent;
    private volatile IOException failure;
    private volatile long finishedAfterMillis = -1;

    private Flood(RawClient publisher, String subject, int payloadSize, long byteBudget, long timeBudgetMillis) {
        this.publisher = publisher;
        byte[] payload = new byte[payloadSize];
        Arrays.fill(payload, (byte) 'x');
        byte[] head = ("PUB " + subject + " " + payloadSize + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int frameLength = head.length + payloadSize + 2;
        this.framesPerBatch = Math.max(1, 64 * 1024 / frameLength);
        this.batch = new byte[frameLength * framesPerBatch];
        for (int i = 0; i < framesPerBatch; i++) {
            int at = i * frameLength;
            System.arraycopy(head, 0, batch, at, head.length);
            System.arraycopy(payload, 0, batch, at + head.length, payloadSize);
            batch[at + frameLength - 2] = '\r';
            batch[at + frameLength - 1] = '\n';
        }
        this.byteBudget = byteBudget;
        this.timeBudgetNanos = TimeUnit.MILLISECONDS.toNanos(timeBudgetMillis);
    }

    static Flood start(RawClient publisher, String subject, int payloadSize, long byteBudget, long timeBudgetMillis) {
        Flood flood = new Flood(publisher, subject, payloadSize, byteBudget, timeBudgetMillis);
        Thread.ofPlatform().daemon(true).name("flood-publisher").start(flood::run);
        return flood;
    }

    private void run() {
        long start = System.nanoTime();
        try {
            while (bytesSent < byteBudget && System.nanoTime() - start < timeBudgetNanos) {
                publisher.send(batch);
                bytesSent += batch.length;
                messagesSent += framesPerBatch;
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            finishedAfterMillis = (System.nanoTime() - start) / 1_000_000L;
            done.countDown();
        }
    }

    /** True if the publisher finished (budget used up or write failed) within the timeout. */
    boolean await(long timeoutMillis) throws InterruptedException {
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean finished() {
        return done.getCount() == 0;
    }

    long bytesSent() {
        return bytesSent;
    }

    long messagesSent() {
        return messagesSent;
    }

    IOException failure() {
        return failure;
    }

    long finishedAfterMillis() {
        return finishedAfterMillis;
    }

    @Override
    public String toString() {
        return "flood[sent " + bytesSent + " bytes / " + messagesSent + " msgs, finished=" + finished()
                + (finished() ? " after " + finishedAfterMillis + " ms" : "") + ", failure=" + failure + "]";
    }
}
