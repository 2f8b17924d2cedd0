package nats.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.Deflater;

import nats.api.net.Connection;

/**
 * The server's side of RFC 6455 framing: what the NATS session writes leaves as binary frames (unmasked, as
 * a server sends them), compressed with permessage-deflate when negotiated and worth it, and the control
 * frames the reader answers with (pong, close). Frames leave whole: one lock orders the session's writer and
 * the reader's control frames.
 *
 * <p>As Go does: output of 64 bytes or less is not compressed; for browsers (a {@code User-Agent} starting
 * with {@code Mozilla/}) frames are cut at 4 KiB (plain output into separate messages, compressed output into
 * fragments of one message, except for Safari, which cannot take fragmented compressed messages).
 */
final class FrameWriter {

    /** Go's wsCompressThreshold. */
    static final int COMPRESS_THRESHOLD = 64;
    /** Go's wsFrameSizeForBrowsers. */
    static final int BROWSER_FRAME_SIZE = 4096;
    /** Output up to this size is copied behind its frame header to leave in one write. */
    private static final int COPY_LIMIT = 64 * 1024;
    /** Room for the longest header a server writes (no mask): 2 + 8 bytes. */
    private static final int HEADER_ROOM = 10;
    /** The empty stored block a sync flush ends with, which RFC 7692 removes from each message. */
    private static final int SYNC_TAIL = 4;

    private final Connection out;
    private final boolean compress;
    private final boolean browser;
    private final boolean fragmentCompressed;
    private final ReentrantLock lock = new ReentrantLock();
    /** Frame staging for the browsers' cut messages, reused under the lock. */
    private byte[] staging = new byte[512];
    /** Frame staging in native memory, allocated when first needed; under the lock. */
    private ByteBuffer direct;
    private final byte[] headerScratch = new byte[HEADER_ROOM];
    private volatile boolean closeSent;
    /**
     * The close frame the reader decided on (an answer to the client's close, or a protocol error), sent when the
     * connection closes, after what the session still writes: as Go appends its close message to the pending
     * output. Null when none.
     */
    private volatile byte[] pendingClose;

    /**
     * @param compress           permessage-deflate was negotiated
     * @param browser            the client is a browser: frames of at most 4 KiB
     * @param fragmentCompressed a browser that takes compressed messages in fragments (not Safari)
     */
    FrameWriter(Connection out, boolean compress, boolean browser, boolean fragmentCompressed) {
        this.out = out;
        this.compress = compress;
        this.browser = browser;
        this.fragmentCompressed = fragmentCompressed;
    }

    /** Writes {@code src} as binary frames; blocks until written. */
    void writeData(ByteBuffer src) throws IOException {
        writeData(new ByteBuffer[] {src}, 0, 1);
    }

    /**
     * Writes the remaining bytes of {@code srcs} (the kernel's gathered output chunks) as one message: one
     * binary frame, or 4 KiB frames for a browser, compressed when negotiated; blocks until written.
     */
    void writeData(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        if (total == 0) {
            return;
        }
        lock.lock();
        try {
            if (compress && total > COMPRESS_THRESHOLD) {
                writeCompressed(srcs, offset, length, (int) total);
            } else if (browser && total > BROWSER_FRAME_SIZE) {
                writeInMessagesOf(srcs, offset, length, (int) total, BROWSER_FRAME_SIZE);
            } else {
                writeFrame(Opcode.FIN | Opcode.BINARY, srcs, offset, length, total);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One frame carrying all of {@code srcs}: header and payload copied into a direct buffer and written at once
     * (a socket write from a heap buffer would copy it into a direct one anyway); large output goes as the header
     * and then the caller's buffers, in one gathering write. Lock held.
     */
    private void writeFrame(int firstByte, ByteBuffer[] srcs, int offset, int length, long total) throws IOException {
        int h = header(headerScratch, 0, firstByte, total);
        if (total > COPY_LIMIT) {
            ByteBuffer[] all = new ByteBuffer[length + 1];
            all[0] = ByteBuffer.wrap(headerScratch, 0, h);
            System.arraycopy(srcs, offset, all, 1, length);
            out.write(all, 0, all.length);
            return;
        }
        ByteBuffer d = direct(h + (int) total);
        d.put(headerScratch, 0, h);
        for (int i = offset; i < offset + length; i++) {
            d.put(srcs[i]);
        }
        out.write(d.flip());
    }

    /** Plain output cut into separate messages of at most {@code size} bytes, in one write. Lock held. */
    private void writeInMessagesOf(ByteBuffer[] srcs, int offset, int length, int total, int size)
            throws IOException {
        int frames = (total + size - 1) / size;
        byte[] b = staging(total + frames * 4);
        int at = 0;
        int i = offset;
        for (int left = total; left > 0; ) {
            int len = Math.min(size, left);
            at += header(b, at, Opcode.FIN | Opcode.BINARY, len);
            for (int filled = 0; filled < len; ) {
                while (!srcs[i].hasRemaining()) {
                    i++;
                }
                int n = Math.min(len - filled, srcs[i].remaining());
                srcs[i].get(b, at, n);
                at += n;
                filled += n;
            }
            left -= len;
        }
        out.write(ByteBuffer.wrap(b, 0, at));
    }

    /**
     * Deflates {@code srcs} (ending with a sync flush, without its final empty block) behind room for the
     * header, so the compressed message needs no further copy. Lock held.
     */
    private void writeCompressed(ByteBuffer[] srcs, int offset, int length, int total) throws IOException {
        Deflater deflater = DeflatePool.SHARED.deflater();
        try {
            ByteBuffer d = direct(HEADER_ROOM + total / 2 + 64);
            d.position(HEADER_ROOM);
            for (int i = offset; i < offset + length; i++) {
                deflater.setInput(srcs[i]);
                int flush = i == offset + length - 1 ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH;
                // Until the input is taken and, for the last, everything is flushed (output left room).
                while (true) {
                    int room = d.remaining();
                    int n = deflater.deflate(d, flush);
                    if (n == room) {
                        d = growDirect(d);
                    } else if (flush == Deflater.NO_FLUSH && !deflater.needsInput()) {
                        continue;
                    } else {
                        break;
                    }
                }
            }
            int compressed = d.position() - HEADER_ROOM - SYNC_TAIL;
            if (browser && fragmentCompressed && compressed > BROWSER_FRAME_SIZE) {
                byte[] bytes = new byte[compressed];
                d.get(HEADER_ROOM, bytes, 0, compressed);
                writeFragments(bytes, 0, compressed);
                return;
            }
            int h = header(headerScratch, 0, Opcode.FIN | Opcode.RSV1 | Opcode.BINARY, compressed);
            d.put(HEADER_ROOM - h, headerScratch, 0, h);
            d.limit(HEADER_ROOM + compressed).position(HEADER_ROOM - h);
            out.write(d);
        } finally {
            DeflatePool.SHARED.release(deflater);
        }
    }

    /** A compressed message in fragments of 4 KiB: RSV1 on the first only (RFC 7692 section 6.1). */
    private void writeFragments(byte[] compressed, int from, int length) throws IOException {
        int frames = (length + BROWSER_FRAME_SIZE - 1) / BROWSER_FRAME_SIZE;
        byte[] b = new byte[length + frames * 4];
        int at = 0;
        for (int done = 0; done < length; done += BROWSER_FRAME_SIZE) {
            int len = Math.min(BROWSER_FRAME_SIZE, length - done);
            int first = done == 0 ? Opcode.RSV1 | Opcode.BINARY : Opcode.CONTINUATION;
            at += header(b, at, first | (done + len == length ? Opcode.FIN : 0), len);
            System.arraycopy(compressed, from + done, b, at, len);
            at += len;
        }
        out.write(ByteBuffer.wrap(b, 0, at));
    }

    /** A ping's answer. */
    void pong(byte[] payload) throws IOException {
        control(Opcode.PONG, payload);
    }

    /**
     * Decides the close frame the connection ends with (the first decision wins), to be sent by
     * {@link #closeQuietly} once the session's pending output went out.
     *
     * @param payload the status and reason, or empty for a close without status
     */
    void closeLater(byte[] payload) {
        if (pendingClose == null) {
            pendingClose = payload;
        }
    }

    /**
     * The last frame of the connection, when the writer is free within a moment (a close that comes while a
     * write is blocked on a peer that stopped reading must not wait for it): the close frame decided by the
     * reader, else {@code payload} (the server's reason), unless a close frame went out already or there is
     * none to send.
     *
     * @param payload the server's close frame payload, or null for none
     */
    void closeQuietly(byte[] payload) {
        byte[] frame = pendingClose != null ? pendingClose : payload;
        if (frame == null || closeSent) {
            return;
        }
        try {
            if (lock.tryLock(100, TimeUnit.MILLISECONDS)) {
                try {
                    if (!closeSent) {
                        closeSent = true;
                        writeControl(Opcode.CLOSE, frame);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: the connection is closing anyway.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void control(int opcode, byte[] payload) throws IOException {
        lock.lock();
        try {
            if (!closeSent && pendingClose == null) {
                writeControl(opcode, payload);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void writeControl(int opcode, byte[] payload) throws IOException {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (Opcode.FIN | opcode);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        out.write(ByteBuffer.wrap(frame));
    }

    private byte[] staging(int size) {
        if (staging.length < size) {
            staging = new byte[Math.max(size, staging.length * 2)];
        } else if (staging.length > 4 * COPY_LIMIT && size < COPY_LIMIT) {
            // A burst made it large; give the memory back.
            staging = new byte[Math.max(size, 512)];
        }
        return staging;
    }

    /** The direct buffer, cleared, with room for {@code size} bytes. Lock held. */
    private ByteBuffer direct(int size) {
        if (direct == null || direct.capacity() < size) {
            direct = ByteBuffer.allocateDirect(Math.max(size, direct == null ? 4096 : direct.capacity() * 2));
        } else if (direct.capacity() > 4 * COPY_LIMIT && size < COPY_LIMIT) {
            // A burst made it large; give the memory back.
            direct = ByteBuffer.allocateDirect(Math.max(size, 4096));
        }
        return direct.clear();
    }

    /** A direct buffer twice as large holding what {@code full} holds (in write mode). Lock held. */
    private ByteBuffer growDirect(ByteBuffer full) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(full.capacity() * 2);
        bigger.put(full.flip());
        direct = bigger;
        return bigger;
    }

    /** Writes an unmasked frame header at {@code at}; returns its length. */
    static int header(byte[] b, int at, int firstByte, long payloadLength) {
        b[at] = (byte) firstByte;
        if (payloadLength <= 125) {
            b[at + 1] = (byte) payloadLength;
            return 2;
        }
        if (payloadLength < 65536) {
            b[at + 1] = 126;
            b[at + 2] = (byte) (payloadLength >>> 8);
            b[at + 3] = (byte) payloadLength;
            return 4;
        }
        b[at + 1] = 127;
        for (int i = 0; i < 8; i++) {
            b[at + 2 + i] = (byte) (payloadLength >>> (56 - 8 * i));
        }
        return 10;
    }
}
