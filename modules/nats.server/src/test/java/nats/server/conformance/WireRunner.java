package nats.server.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a {@link WireScript} against a server on 127.0.0.1 and records, per connection, every byte the
 * server sent and whether the server closed the connection. One reader thread per connection collects the
 * bytes while the script is being sent, so nothing is lost when the server closes early.
 */
final class WireRunner {

    private WireRunner() {
    }

    /** What one connection saw. */
    static final class Conn {
        final Socket socket;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile long lastEventNanos = System.nanoTime();
        volatile boolean closedByServer;
        volatile boolean readerDone;
        volatile boolean writeFailed;
        Thread reader;

        Conn(Socket socket) {
            this.socket = socket;
        }

        synchronized int receivedCount() {
            return received.size();
        }

        synchronized byte[] bytes() {
            return received.toByteArray();
        }

        synchronized void append(byte[] b, int n) {
            received.write(b, 0, n);
            lastEventNanos = System.nanoTime();
        }

        String text() {
            return new String(bytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The raw outcome: per connection, the bytes received and whether the server closed it. */
    record Result(List<byte[]> received, List<Boolean> closedByServer) {

        /** A comparable rendering: INFO normalised, control characters escaped, one protocol line per line. */
        String transcript() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < received.size(); i++) {
                sb.append("[conn ").append(i).append("]\n");
                String text = InfoNormalizer.normalizeInfoLines(new String(received.get(i), StandardCharsets.ISO_8859_1));
                sb.append(escape(text));
                if (!text.isEmpty() && !text.endsWith("\n")) {
                    sb.append('\n');
                }
                sb.append(closedByServer.get(i) ? "<closed by server>" : "<open>").append('\n');
            }
            return sb.toString();
        }

        String rawText(int conn) {
            return new String(received.get(conn), StandardCharsets.ISO_8859_1);
        }
    }

    static Result run(int port, WireScript script) throws IOException, InterruptedException {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < script.connectionCount(); i++) {
            conns.add(null);
        }
        try {
            long lastWrite = System.nanoTime();
            for (WireScript.Step step : script.steps) {
                switch (step) {
                    case WireScript.Open open -> connection(conns, open.conn(), port);
                    case WireScript.Pause pause -> Thread.sleep(pause.millis());
                    case WireScript.Send send -> {
                        Conn c = connection(conns, send.conn(), port);
                        if (!c.writeFailed) {
                            try {
                                OutputStream out = c.socket.getOutputStream();
                                out.write(send.bytes());
                                out.flush();
                            } catch (IOException e) {
                                // The server closed the connection; what it sent before is in the transcript.
                                c.writeFailed = true;
                            }
                        }
                        lastWrite = System.nanoTime();
                        if (send.pauseMillis() > 0) {
                            Thread.sleep(send.pauseMillis());
                        }
                    }
                    case WireScript.Await await -> {
                        Conn c = connection(conns, await.conn(), port);
                        long deadline = System.nanoTime() + await.timeoutMillis() * 1_000_000L;
                        while (count(c.text(), await.text()) < await.count() && !c.readerDone
                                && System.nanoTime() < deadline) {
                            Thread.sleep(2);
                        }
                    }
                }
            }
            awaitQuiet(conns, lastWrite, script.quietMillis, script.maxWaitMillis);
            List<byte[]> received = new ArrayList<>();
            List<Boolean> closed = new ArrayList<>();
            for (Conn c : conns) {
                if (c == null) {
                    received.add(new byte[0]);
                    closed.add(false);
                } else {
                    received.add(c.bytes());
                    closed.add(c.closedByServer);
                }
            }
            return new Result(received, closed);
        } finally {
            for (Conn c : conns) {
                if (c != null) {
                    try {
                        c.socket.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                    c.reader.join(2000);
                }
            }
        }
    }

    private static void awaitQuiet(List<Conn> conns, long lastWrite, long quietMillis, long maxWaitMillis)
            throws InterruptedException {
        long quietNanos = quietMillis * 1_000_000L;
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            boolean settled = now - lastWrite >= quietNanos;
            for (Conn c : conns) {
                // Every server greets with INFO: an open connection that has received nothing yet is not
                // quiet, it is slow (e.g. a loaded machine), so keep waiting up to the deadline.
                if (c != null && !c.readerDone
                        && (now - c.lastEventNanos < quietNanos || c.receivedCount() == 0)) {
                    settled = false;
                }
            }
            if (settled) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static Conn connection(List<Conn> conns, int index, int port) throws IOException {
        Conn c = conns.get(index);
        if (c != null) {
            return c;
        }
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        Conn conn = new Conn(socket);
        conn.reader = Thread.ofPlatform().daemon(true).name("wire-reader-" + port + "-" + index).start(() -> read(conn));
        conns.set(index, conn);
        return conn;
    }

    private static void read(Conn c) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = c.socket.getInputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    c.closedByServer = true;
                    return;
                }
                c.append(buf, n);
            }
        } catch (IOException e) {
            // A reset by the server counts as closed; our own close at the end does not.
            if (!c.socket.isClosed()) {
                c.closedByServer = true;
            }
        } finally {
            c.lastEventNanos = System.nanoTime();
            c.readerDone = true;
        }
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** Makes CR, LF and other control bytes visible; a line break follows every LF. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch >= 0x7f) {
                        sb.append(String.format("\\x%02x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
