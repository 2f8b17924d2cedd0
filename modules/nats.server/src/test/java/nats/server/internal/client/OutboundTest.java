package nats.server.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import nats.api.net.Connection;
import nats.server.internal.routing.RoutedMessage;

/** The write side on its own: frame layout and order across chunks, off-heap backlog, limits and the stall. */
@Timeout(20)
class OutboundTest {

    private static final byte[] SID = "7".getBytes(StandardCharsets.US_ASCII);

    /** Collects what is written; can hold writes until released (a client that stopped reading). */
    private static final class Sink implements Connection {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        volatile CountDownLatch gate = new CountDownLatch(0);
        int directBuffersSeen;

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (this) {
                if (src.isDirect()) {
                    directBuffersSeen++;
                }
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                out.writeBytes(bytes);
            }
        }

        synchronized String text() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 2);
        }
    }

    private static RoutedMessage message(String subject, String reply, String payload) {
        RoutedMessage m = new RoutedMessage();
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        m.set(subject.getBytes(StandardCharsets.ISO_8859_1),
                reply == null ? null : reply.getBytes(StandardCharsets.ISO_8859_1), data, 0, 0, data.length);
        return m;
    }

    private static Thread flusher(Outbound outbound, Sink sink) {
        return Thread.ofVirtual().start(() -> {
            try {
                outbound.flushLoop(sink, () -> false);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void framesLeaveInOrderAcrossGrowingChunksAndOffHeapBacklog() throws Exception {
        DirectChunks pool = new DirectChunks(64L * 1024 * 1024);
        Outbound outbound = new Outbound(64L * 1024 * 1024, pool);
        Sink sink = new Sink();
        sink.gate = new CountDownLatch(1);
        Thread flusher = flusher(outbound, sink);
        StringBuilder expected = new StringBuilder();
        // The first frame is taken by the flusher, which then blocks: the rest piles up, fills 64 KiB chunks and
        // moves off the heap.
        for (int i = 0; i < 20_000; i++) {
            String payload = "payload-" + i;
            String reply = i % 3 == 0 ? "r." + i : null;
            assertTrue(outbound.appendMessage(SID, message("s." + i, reply, payload), false), "frame " + i + " queued");
            expected.append("MSG s.").append(i).append(" 7 ").append(reply == null ? "" : reply + " ")
                    .append(payload.length()).append("\r\n").append(payload).append("\r\n");
            if (i == 0) {
                outbound.signal();
            }
        }
        assertTrue(outbound.appendProtocol("PONG\r\n".getBytes(StandardCharsets.US_ASCII)), "protocol line queued");
        expected.append("PONG\r\n");
        outbound.signal();
        sink.gate.countDown();
        outbound.close();
        flusher.join(10_000);
        assertFalse(flusher.isAlive(), "flusher ends after close once drained");
        assertEquals(expected.toString(), sink.text(), "every frame once, in order");
        assertTrue(sink.directBuffersSeen > 0, "a backlog of full chunks is written from off-heap chunks");
        assertEquals(pool.reserved(), (long) pool.idle() * DirectChunks.SIZE, "every off-heap chunk came back");
        assertEquals(0, outbound.pendingBytes(), "nothing pending after the flush");
        assertEquals(20_000, outbound.deliveredMessages(), "messages counted");
    }

    @Test
    void framesThatFitAndFramesThatSpanChunksCountTheirBytesAlike() throws Exception {
        Outbound outbound = new Outbound(64L * 1024 * 1024, new DirectChunks(64L * 1024 * 1024));
        StringBuilder expected = new StringBuilder();
        // A small frame fits the first chunk whole; a payload bigger than any chunk spans several; the next small
        // frames fit again.
        String[] payloads = {"a", "b".repeat(100_000), "c", "d".repeat(700), "e"};
        for (String payload : payloads) {
            assertTrue(outbound.appendMessage(SID, message("s", null, payload), false), "frame queued");
            expected.append("MSG s 7 ").append(payload.length()).append("\r\n").append(payload).append("\r\n");
            assertEquals(expected.length(), outbound.pendingBytes(), "pending bytes after a frame of " + payload.length());
        }
        Sink sink = new Sink();
        Thread flusher = flusher(outbound, sink);
        outbound.signal();
        outbound.close();
        flusher.join(10_000);
        assertFalse(flusher.isAlive(), "flusher ends after close once drained");
        assertEquals(expected.toString(), sink.text(), "every frame once, whole and in order");
    }

    @Test
    void pendingLimitMakesASlowConsumer() {
        Outbound outbound = new Outbound(1000, new DirectChunks(1 << 20));
        RoutedMessage m = message("s", null, "x".repeat(100));
        int queued = 0;
        while (outbound.appendMessage(SID, m, false)) {
            queued++;
        }
        assertEquals(8, queued, "frames of 115 bytes fit 8 times in 1000");
        assertTrue(outbound.isSlowConsumer(), "the frame over the limit marks a slow consumer");
    }

    @Test
    void stalledProducerIsReleasedWhenTheConsumerDrains() throws Exception {
        Outbound outbound = new Outbound(10_000, new DirectChunks(1 << 20));
        Sink sink = new Sink();
        sink.gate = new CountDownLatch(1);
        RoutedMessage m = message("s", null, "x".repeat(985));
        for (int i = 0; i < 9; i++) {
            assertTrue(outbound.appendMessage(SID, m, false), "frame " + i + " queued");
        }
        Thread flusher = flusher(outbound, sink);
        CountDownLatch released = new CountDownLatch(1);
        long started = System.nanoTime();
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                outbound.awaitIfStalled();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            released.countDown();
        });
        assertFalse(released.await(50, TimeUnit.MILLISECONDS), "9,000 of 10,000 bytes pending: the producer waits (up to 900 ms)");
        sink.gate.countDown();
        assertTrue(released.await(5, TimeUnit.SECONDS), "released once written");
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(600),
                "released by the drain, not by the stall's timeout");
        producer.join();
        outbound.close();
        flusher.join(5_000);
        assertEquals(9 * 1000, sink.out.size(), "the nine frames written");
    }

    @Test
    void discardGivesOffHeapChunksBack() {
        DirectChunks pool = new DirectChunks(64L * 1024 * 1024);
        Outbound outbound = new Outbound(64L * 1024 * 1024, pool);
        RoutedMessage m = message("s", null, "y".repeat(1000));
        for (int i = 0; i < 1000; i++) {
            assertTrue(outbound.appendMessage(SID, m, false), "frame " + i + " queued");
        }
        assertTrue(pool.reserved() > 0, "a megabyte of backlog went off the heap");
        outbound.discard();
        assertEquals(pool.reserved(), (long) pool.idle() * DirectChunks.SIZE, "every off-heap chunk is idle again");
        assertFalse(outbound.appendMessage(SID, m, false), "nothing is queued after discard");
    }
    /** A non-blocking socket that takes at most {@code room} bytes, then reports itself full. */
    private static final class PartialSocket implements Outbound.NonBlockingWrite {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int room;
        int calls;

        PartialSocket(int room) {
            this.room = room;
        }

        @Override
        public synchronized boolean tryWrite(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining() && room > 0) {
                    taken.write(srcs[i].get());
                    room--;
                }
                if (srcs[i].hasRemaining()) {
                    return false;
                }
            }
            return true;
        }
    }

    @Test
    void anotherThreadWritesSmallOutputWithoutTheFlusherOnceTheSocketIsNonBlocking() throws Exception {
        Outbound outbound = new Outbound(1 << 20, new DirectChunks(1 << 20));
        Sink sink = new Sink();
        Thread flusher = flusher(outbound, sink);
        PartialSocket socket = new PartialSocket(Integer.MAX_VALUE);
        assertTrue(outbound.appendMessage(SID, message("a", "r.1", "req"), false), "queued");
        outbound.flushFromElsewhere(socket);
        assertEquals(0, socket.calls, "blocking mode: no write from another thread, the flusher writes it");
        assertTrue(waitFor(() -> sink.text().equals("MSG a 7 r.1 3\r\nreq\r\n")), "written by the flusher");

        assertTrue(outbound.switchMode(true, () -> { }), "switched while no write is under way");
        assertTrue(outbound.appendMessage(SID, message("b", null, "one"), false), "queued");
        outbound.flushFromElsewhere(socket);
        assertEquals("MSG b 7 3\r\none\r\n", socket.taken.toString(StandardCharsets.ISO_8859_1),
                "written at once by the calling thread");
        assertEquals(0, outbound.pendingBytes(), "nothing left pending");

        assertTrue(outbound.switchMode(false, () -> { }), "back to blocking mode");
        assertTrue(outbound.appendMessage(SID, message("c", null, "two"), false), "queued");
        outbound.flushFromElsewhere(socket);
        assertEquals(1, socket.calls, "no other-thread write after leaving non-blocking mode");
        assertTrue(waitFor(() -> sink.text().endsWith("MSG c 7 3\r\ntwo\r\n")), "the flusher wrote it");
        outbound.close();
        flusher.join(5_000);
        assertFalse(flusher.isAlive(), "flusher ended");
    }

    @Test
    void aFullSocketHandsTheRestToTheFlusherInOrder() throws Exception {
        Outbound outbound = new Outbound(1 << 20, new DirectChunks(1 << 20));
        Sink sink = new Sink();
        Thread flusher = flusher(outbound, sink);
        assertTrue(outbound.switchMode(true, () -> { }), "non-blocking mode");
        PartialSocket socket = new PartialSocket(10);
        assertTrue(outbound.appendMessage(SID, message("first", null, "0123456789"), false), "queued");
        outbound.flushFromElsewhere(socket);
        assertEquals("MSG first ", socket.taken.toString(StandardCharsets.ISO_8859_1), "the socket took 10 bytes");
        // Frames queued meanwhile go after the rest of the first one.
        assertTrue(outbound.appendMessage(SID, message("second", null, "x"), false), "queued");
        outbound.signal();
        assertTrue(waitFor(() -> sink.text().equals("7 10\r\n0123456789\r\nMSG second 7 1\r\nx\r\n")),
                "the flusher finished the first frame, then wrote the second; got " + sink.text());
        // The write side is free again: small output goes out from the calling thread once more.
        socket.room = Integer.MAX_VALUE;
        assertTrue(outbound.appendMessage(SID, message("third", null, "y"), false), "queued");
        outbound.flushFromElsewhere(socket);
        assertTrue(socket.taken.toString(StandardCharsets.ISO_8859_1).endsWith("MSG third 7 1\r\ny\r\n"),
                "written by the caller after the hand-off ended");
        outbound.close();
        flusher.join(5_000);
        assertFalse(flusher.isAlive(), "flusher ended");
    }

    @Test
    void modeDoesNotChangeWhileAWriteIsUnderWay() throws Exception {
        Outbound outbound = new Outbound(1 << 20, new DirectChunks(1 << 20));
        Sink sink = new Sink();
        sink.gate = new CountDownLatch(1);
        Thread flusher = flusher(outbound, sink);
        assertTrue(outbound.appendMessage(SID, message("a", null, "x"), false), "queued");
        outbound.signal();
        assertTrue(waitFor(() -> outbound.writeStalled(0)), "the flusher is blocked in its write");
        boolean[] ran = {false};
        assertFalse(outbound.switchMode(true, () -> ran[0] = true), "refused while a write is under way");
        assertFalse(ran[0], "the change did not run");
        sink.gate.countDown();
        assertTrue(waitFor(() -> outbound.pendingBytes() == 0), "drained");
        outbound.close();
        flusher.join(5_000);
        assertFalse(flusher.isAlive(), "flusher ended");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(2);
        }
        return condition.getAsBoolean();
    }
}
