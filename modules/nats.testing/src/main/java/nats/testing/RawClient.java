package nats.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare NATS client over a plain socket, for tests that need to misbehave on the wire (never read, never
 * answer PING, never send CONNECT) and to see exactly which bytes the server sends before it closes.
 */
public final class RawClient implements AutoCloseable {

    /** What {@link #readToEnd} saw: the bytes, and how the stream ended. */
    public record Drained(byte[] bytes, End end, long elapsedMillis) {
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        public boolean closedByServer() {
            return end == End.EOF || end == End.RESET;
        }
    }

    public enum End { EOF, RESET, TIMEOUT, LIMIT }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects; a positive receive buffer size is set before connecting so the TCP window honours it. */
    public static RawClient connect(int port, int receiveBufferSize) throws IOException {
        Socket s = new Socket();
        if (receiveBufferSize > 0) {
            s.setReceiveBufferSize(receiveBufferSize);
        }
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new RawClient(s);
    }

    public Socket socket() {
        return socket;
    }

    public void send(String protocol) throws IOException {
        send(protocol.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one CRLF-terminated line (without the CRLF); fails on timeout or end of stream. */
    public String readLine(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("no complete line within " + timeoutMillis + " ms, got '"
                        + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            prev = b;
        }
    }

    /** Reads lines until one starts with {@code prefix}, skipping others (e.g. MSG frames are not expected). */
    public String readLineStartingWith(String prefix, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            String line = readLine(left);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Reads everything until the server closes the connection (EOF or reset), the timeout passes, or more than
     * {@code maxBytes} arrived. Keeps at most the first {@code keepBytes} bytes.
     */
    public Drained readToEnd(long timeoutMillis, long maxBytes, int keepBytes) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        End end;
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    end = End.TIMEOUT;
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    end = End.TIMEOUT;
                    break;
                }
                if (n < 0) {
                    end = End.EOF;
                    break;
                }
                total += n;
                int keep = Math.min(n, Math.max(0, keepBytes - kept.size()));
                kept.write(buf, 0, keep);
                if (total > maxBytes) {
                    end = End.LIMIT;
                    break;
                }
            }
        } catch (IOException e) {
            end = End.RESET;
        }
        return new Drained(kept.toByteArray(), end, (System.nanoTime() - start) / 1_000_000L);
    }

    /** Like {@link #readToEnd} but keeps every byte, to check the framing of all of it. */
    public Drained readAllToEnd(long timeoutMillis) {
        return readToEnd(timeoutMillis, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
