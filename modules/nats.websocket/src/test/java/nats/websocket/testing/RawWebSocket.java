package nats.websocket.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a raw socket, for tests that need exact bytes: it writes whatever frames a test asks
 * for (masked or not, fragmented, compressed, malformed) and reads the server's frames one by one.
 */
public final class RawWebSocket implements AutoCloseable {

    /** A key whose accept value RFC 6455 section 1.3 gives: {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}. */
    public static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /**
     * One frame from the server.
     *
     * @param fin     the FIN bit
     * @param rsv1    the RSV1 bit (a compressed message's first frame)
     * @param opcode  the opcode
     * @param masked  whether the server masked it (it must not)
     * @param payload the payload as sent
     */
    public record Frame(boolean fin, boolean rsv1, int opcode, boolean masked, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status, or -1 when it has none. */
        public int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        /** A close frame's reason. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Inflater inflater = new Inflater(true);
    private String responseHead = "";

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A plain TCP connection to the listener, nothing sent yet. */
    public static RawWebSocket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return new RawWebSocket(s);
    }

    /** Opens a connection and upgrades it with a standard request plus {@code extraHeaders} (CRLF-terminated lines). */
    public static RawWebSocket upgraded(int port, String extraHeaders) throws IOException {
        RawWebSocket ws = open(port);
        String head = ws.request("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + standardHeaders()
                + extraHeaders + "\r\n");
        if (!head.startsWith("HTTP/1.1 101 ")) {
            ws.close();
            throw new IOException("upgrade refused: " + head);
        }
        return ws;
    }

    /** The upgrade headers every test request carries. */
    public static String standardHeaders() {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + SAMPLE_KEY
                + "\r\nSec-WebSocket-Version: 13\r\n";
    }

    /** Sends raw request bytes and reads the response head (up to the blank line). */
    public String request(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
        return readResponseHead();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads an HTTP response head, through its blank line. */
    public String readResponseHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + head.length() + " bytes: " + head);
            }
            head.append((char) b);
        }
        responseHead = head.toString();
        return responseHead;
    }

    /** Reads exactly {@code n} bytes (e.g. an error response's body). */
    public byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** The last response head read. */
    public String responseHead() {
        return responseHead;
    }

    // ---- frames ---------------------------------------------------------------------------------------------

    /** One frame, masked with {@code key} when not null; the first byte is given whole (FIN, RSV, opcode). */
    public static byte[] frame(int firstByte, byte[] payload, byte[] key) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(firstByte);
        int maskBit = key == null ? 0 : 0x80;
        int n = payload.length;
        if (n <= 125) {
            b.write(maskBit | n);
        } else if (n < 65536) {
            b.write(maskBit | 126);
            b.write(n >>> 8);
            b.write(n);
        } else {
            b.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) n >>> (8 * i)));
            }
        }
        if (key != null) {
            b.writeBytes(key);
            for (int i = 0; i < n; i++) {
                b.write(payload[i] ^ key[i & 3]);
            }
        } else {
            b.writeBytes(payload);
        }
        return b.toByteArray();
    }

    /** A masked final binary frame. */
    public static byte[] binary(String text) {
        return frame(0x82, text.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4});
    }

    /** A masked frame with the given first byte. */
    public static byte[] masked(int firstByte, byte[] payload) {
        return frame(firstByte, payload, new byte[] {(byte) 0x9a, 0x12, (byte) 0xfe, 0x47});
    }

    /** Raw deflate with a sync flush, its trailing empty block removed (RFC 7692 section 7.2.1). */
    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        byte[] out = new byte[n - 4];
        System.arraycopy(buf, 0, out, 0, n - 4);
        return out;
    }

    /** Sends a masked binary frame with {@code text}. */
    public void sendText(String text) throws IOException {
        send(binary(text));
    }

    /** Reads the next frame. */
    public Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = masked ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("frame cut short");
        }
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0f, masked, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    /**
     * Reads data frames (skipping nothing: control frames end the read) until {@code text} appears in the
     * collected payload, decompressing compressed messages; returns everything collected.
     */
    public String readUntil(String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        List<byte[]> compressed = new ArrayList<>();
        while (seen.indexOf(text) < 0) {
            Frame f = readFrame();
            if (f.opcode() >= 8) {
                throw new IOException("control frame " + f.opcode() + " (" + f.closeStatus() + " " + f.closeReason()
                        + ") before '" + text + "'; got so far: " + seen);
            }
            if (f.rsv1() || !compressed.isEmpty()) {
                compressed.add(f.payload());
                if (f.fin()) {
                    seen.append(inflate(compressed));
                    compressed.clear();
                }
            } else {
                seen.append(f.text());
            }
        }
        return seen.toString();
    }

    /** Inflates one compressed message's payload (its frames joined). */
    public String inflate(byte[] message) throws IOException {
        return inflate(List.of(message));
    }

    private String inflate(List<byte[]> parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        all.writeBytes(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        inflater.setInput(all.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        inflater.reset();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (EOF) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        socket.close();
    }
}
