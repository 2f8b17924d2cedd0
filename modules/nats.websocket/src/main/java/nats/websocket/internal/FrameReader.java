package nats.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import nats.api.net.Connection;

/**
 * The server's side of RFC 6455 reading: frames off the connection, unmasked, decompressed, and their payloads
 * handed on as one byte stream (NATS does not care where messages begin). Control frames between the frames
 * of a message are answered (a pong at once; a close frame, echoing the client's or with status 1002 and Go's text
 * for a protocol violation, once the session's pending output is out); a close or a violation ends the stream
 * once the bytes decoded before it were read.
 *
 * <p>Copies: a payload is unmasked while it is copied into the caller's buffer, or, for a large frame that
 * is not buffered yet, read straight into the caller's buffer and unmasked there; a compressed payload is
 * unmasked in place and inflated from there into the caller's buffer, piece by piece as it arrives, so no
 * frame or message is ever held whole. Reader thread only.
 */
final class FrameReader {

    private static final System.Logger LOG = System.getLogger(FrameReader.class.getName());
    private static final int MIN_BUFFER = 2048;
    private static final int MAX_BUFFER = 64 * 1024;
    /** A frame at least this large that is not buffered yet is read straight into the caller's buffer. */
    private static final int DIRECT_READ = 4096;
    /** RFC 7692 section 7.2.2: the sync flush end a sender removed from each compressed message. */
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final Connection in;
    private final FrameWriter out;
    private final boolean requireMask;
    private final boolean compression;

    /** Received bytes not yet decoded are {@code buf[pos, lim)}. */
    private byte[] buf = new byte[MIN_BUFFER];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private int pos;
    private int lim;

    /** Payload bytes left in the current data frame; positive while reading a payload. */
    private long remaining;
    private int maskKey;
    private int maskPos;
    private boolean masked;
    /** The current data frame is its message's last. */
    private boolean finalFrame;
    /** A message's final frame is still to come: only continuation (and control) frames may follow. */
    private boolean expectContinuation;
    /** Decompresses the current message; null when it is not compressed. */
    private Inflater inflater;
    /** The current compressed message's last frame was fed to the inflater. */
    private boolean compressedComplete;
    private boolean tailFed;
    /** The client sent close: the stream ends once what came before it was read. */
    private boolean closed;
    /** A protocol violation, reported once what came before it was read. */
    private IOException failure;

    FrameReader(Connection in, FrameWriter out, boolean requireMask, boolean compression, ByteBuffer alreadyRead) {
        this.in = in;
        this.out = out;
        this.requireMask = requireMask;
        this.compression = compression;
        if (alreadyRead.remaining() > buf.length) {
            buf = new byte[alreadyRead.remaining()];
            view = ByteBuffer.wrap(buf);
        }
        lim = alreadyRead.remaining();
        alreadyRead.get(buf, 0, lim);
    }

    /** Reads payload bytes into {@code dst}: at least one, blocking until they arrive; -1 at the end. */
    int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            while (true) {
                int n = decode(dst);
                if (n > 0) {
                    return n;
                }
                if (failure != null) {
                    throw failure;
                }
                if (closed) {
                    releaseInflater();
                    return -1;
                }
                if (remaining >= DIRECT_READ && inflater == null && pos == lim && dst.remaining() >= DIRECT_READ) {
                    int direct = readDirect(dst);
                    if (direct != 0) {
                        return direct;
                    }
                } else if (fill() < 0) {
                    releaseInflater();
                    return -1;
                }
            }
        } catch (IOException | RuntimeException e) {
            releaseInflater();
            throw e;
        }
    }

    /** Decodes what is buffered, without blocking; returns the payload bytes put into {@code dst}. */
    private int decode(ByteBuffer dst) throws IOException {
        int start = dst.position();
        while (dst.hasRemaining() && failure == null && !closed) {
            if (inflater != null) {
                if (!drain(dst)) {
                    break; // dst is full; the inflater may hold more output
                }
                if (remaining == 0 && compressedComplete) {
                    if (!tailFed) {
                        inflater.setInput(DEFLATE_TAIL);
                        tailFed = true;
                    } else {
                        releaseInflater();
                    }
                    continue;
                }
            }
            if (remaining > 0) {
                if (!payload(dst)) {
                    break;
                }
            } else if (!header()) {
                break;
            }
        }
        return dst.position() - start;
    }

    /** Takes buffered payload bytes of the current frame; false when none are buffered. */
    private boolean payload(ByteBuffer dst) {
        int avail = (int) Math.min(remaining, lim - pos);
        if (avail == 0) {
            return false;
        }
        if (inflater != null) {
            // Unmasked in place: the inflater reads from the buffer, which is not refilled until it has.
            if (masked) {
                maskPos = Masking.unmask(buf, pos, buf, pos, avail, maskKey, maskPos);
            }
            if (!inflater.finished()) {
                inflater.setInput(buf, pos, avail);
            }
            pos += avail;
            remaining -= avail;
        } else {
            int n = Math.min(avail, dst.remaining());
            copyOut(dst, n);
            pos += n;
            remaining -= n;
        }
        if (remaining == 0 && finalFrame && inflater != null) {
            compressedComplete = true;
        }
        return true;
    }

    private void copyOut(ByteBuffer dst, int n) {
        if (dst.hasArray()) {
            int at = dst.arrayOffset() + dst.position();
            if (masked) {
                maskPos = Masking.unmask(buf, pos, dst.array(), at, n, maskKey, maskPos);
            } else {
                System.arraycopy(buf, pos, dst.array(), at, n);
            }
            dst.position(dst.position() + n);
        } else {
            if (masked) {
                maskPos = Masking.unmask(buf, pos, buf, pos, n, maskKey, maskPos);
            }
            dst.put(buf, pos, n);
        }
    }

    /**
     * Inflates into {@code dst} until the inflater has nothing more without new input.
     *
     * @return false when {@code dst} filled up first
     */
    private boolean drain(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n;
            try {
                n = inflater.inflate(dst);
            } catch (DataFormatException e) {
                throw new IOException("flate: " + e.getMessage(), e);
            }
            if (n == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes one frame header (and a whole control frame) if buffered.
     *
     * @return false when more bytes are needed
     */
    private boolean header() throws IOException {
        int avail = lim - pos;
        if (avail < 2) {
            return false;
        }
        int b0 = buf[pos] & 0xff;
        int b1 = buf[pos + 1] & 0xff;
        int opcode = b0 & 0x0f;
        boolean fin = (b0 & Opcode.FIN) != 0;
        boolean rsv1 = (b0 & Opcode.RSV1) != 0;
        boolean mask = (b1 & Opcode.MASK) != 0;
        int len7 = b1 & 0x7f;
        // Go's checks, in Go's order.
        if ((b0 & Opcode.RSV2_RSV3) != 0) {
            return violation("RSV2 and RSV3 must be clear");
        }
        if (rsv1 && !compression) {
            return violation("compressed frame received without negotiated permessage-deflate");
        }
        if (requireMask && !mask) {
            return violation("mask bit missing");
        }
        switch (opcode) {
            case Opcode.CLOSE, Opcode.PING, Opcode.PONG -> {
                if (len7 > CloseStatus.MAX_CONTROL_PAYLOAD) {
                    return violation("control frame length bigger than maximum allowed of "
                            + CloseStatus.MAX_CONTROL_PAYLOAD + " bytes");
                }
                if (!fin) {
                    return violation("control frame does not have final bit set");
                }
                if (rsv1) {
                    return violation("control frame must not be compressed");
                }
            }
            case Opcode.TEXT, Opcode.BINARY -> {
                if (expectContinuation) {
                    return violation("new message started before final frame for previous message was received");
                }
            }
            case Opcode.CONTINUATION -> {
                if (!expectContinuation || rsv1) {
                    return violation("invalid continuation frame");
                }
            }
            default -> {
                return violation("unknown opcode " + opcode);
            }
        }
        int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (mask ? 4 : 0);
        if (avail < headerLength) {
            return false;
        }
        int p = pos + 2;
        long length = len7;
        if (len7 == 126) {
            length = ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
            p += 2;
        } else if (len7 == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (buf[p + i] & 0xff);
            }
            p += 8;
            if (length < 0) {
                return violation("invalid 64-bit payload length");
            }
        }
        int key = 0;
        if (mask) {
            key = ((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16) | ((buf[p + 2] & 0xff) << 8)
                    | (buf[p + 3] & 0xff);
            p += 4;
        }
        if (Opcode.isControl(opcode)) {
            if (avail < headerLength + length) {
                return false; // a control frame is handled whole
            }
            byte[] payload = new byte[(int) length];
            if (mask) {
                Masking.unmask(buf, p, payload, 0, payload.length, key, 0);
            } else {
                System.arraycopy(buf, p, payload, 0, payload.length);
            }
            pos = p + payload.length;
            control(opcode, payload);
            return true;
        }
        pos = p;
        if (opcode != Opcode.CONTINUATION && rsv1) {
            inflater = DeflatePool.SHARED.inflater();
            compressedComplete = false;
            tailFed = false;
        }
        expectContinuation = !fin;
        finalFrame = fin;
        masked = mask;
        maskKey = key;
        maskPos = 0;
        remaining = length;
        if (length == 0 && fin && inflater != null) {
            compressedComplete = true;
        }
        return true;
    }

    private void control(int opcode, byte[] payload) throws IOException {
        switch (opcode) {
            case Opcode.PING -> out.pong(payload);
            case Opcode.CLOSE -> closeReceived(payload);
            default -> {
                // A pong needs no answer.
            }
        }
    }

    /**
     * Go's answer to a close frame: the status echoed (or no status when none came), 1007 when the reason is
     * not UTF-8; a 1-byte payload or a status a peer may not send is a protocol error.
     */
    private void closeReceived(byte[] payload) throws IOException {
        if (payload.length == 1) {
            violation("close frame payload cannot be 1 byte");
            return;
        }
        byte[] answer = new byte[0];
        if (payload.length >= 2) {
            int status = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            if (!CloseStatus.isValid(status)) {
                violation("invalid close status code " + status);
                return;
            }
            String reason = "";
            if (payload.length > 2) {
                try {
                    reason = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(payload, 2, payload.length - 2)).toString();
                } catch (CharacterCodingException e) {
                    status = CloseStatus.INVALID_PAYLOAD;
                    reason = "invalid utf8 body in close frame";
                }
            }
            answer = CloseStatus.payload(status, reason);
        }
        closed = true;
        out.closeLater(answer);
    }

    /** Answers a protocol violation with close 1002 and Go's text; the stream fails after what came before. */
    private boolean violation(String message) {
        LOG.log(System.Logger.Level.ERROR, "{0} - websocket read error: {1}", in.remoteAddress(), message);
        out.closeLater(CloseStatus.payload(CloseStatus.PROTOCOL_ERROR, message));
        failure = new IOException(message);
        return false;
    }

    /** Reads part of a large frame straight into {@code dst} and unmasks it there. */
    private int readDirect(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int want = (int) Math.min(remaining, dst.remaining());
        int limit = dst.limit();
        dst.limit(start + want);
        int n;
        try {
            n = in.read(dst);
        } finally {
            dst.limit(limit);
        }
        if (n <= 0) {
            return n;
        }
        if (masked) {
            if (dst.hasArray()) {
                int at = dst.arrayOffset() + start;
                maskPos = Masking.unmask(dst.array(), at, dst.array(), at, n, maskKey, maskPos);
            } else {
                byte[] chunk = new byte[n];
                dst.get(start, chunk);
                maskPos = Masking.unmask(chunk, 0, chunk, 0, n, maskKey, maskPos);
                dst.put(start, chunk);
            }
        }
        remaining -= n;
        return n;
    }

    /** Reads more bytes after the undecoded ones; the buffer grows while reads fill it and shrinks when idle. */
    private int fill() throws IOException {
        int undecoded = lim - pos;
        byte[] target = buf;
        if (undecoded == 0 && lim == buf.length && buf.length < MAX_BUFFER) {
            target = new byte[buf.length * 2];
        } else if (undecoded == 0 && lim < buf.length / 4 && buf.length > MIN_BUFFER) {
            target = new byte[buf.length / 2];
        } else if (undecoded == buf.length) {
            target = new byte[buf.length * 2]; // a header split across reads never needs this; kept for safety
        }
        if (target != buf || pos > 0) {
            System.arraycopy(buf, pos, target, 0, undecoded);
            if (target != buf) {
                buf = target;
                view = ByteBuffer.wrap(buf);
            }
            lim = undecoded;
            pos = 0;
        }
        view.limit(buf.length).position(lim);
        int n = in.read(view);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    /** Gives a compressed message's inflater back; reader thread only. */
    private void releaseInflater() {
        if (inflater != null) {
            DeflatePool.SHARED.release(inflater);
            inflater = null;
        }
    }
}
