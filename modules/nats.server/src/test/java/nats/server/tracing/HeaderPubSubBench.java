package nats.server.tracing;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A pub/sub throughput probe for messages with headers (HPUB to HMSG), the path message tracing adds a check to:
 * one publisher and one subscriber on raw sockets, fixed frames, timed from the first publish to the last byte
 * received. Not a test; run by hand against a server on loopback (nats-bench has no header scenario):
 * {@code java modules/nats.server/src/test/java/nats/server/tracing/HeaderPubSubBench.java PORT MSGS [plain|headers]
 * [SERVER_PID]}; with the server's pid it also reports the server's CPU time per message (from /proc, which a
 * loaded machine disturbs less than the elapsed time).
 */
public final class HeaderPubSubBench {

    private HeaderPubSubBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int msgs = Integer.parseInt(args[1]);
        boolean plain = args.length > 2 && args[2].equals("plain");
        long pid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        byte[] header = "NATS/1.0\r\nNats-Msg-Id: 0123456789ab\r\nApp: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        String pubLine = plain ? "PUB bench " + payload.length + "\r\n"
                : "HPUB bench " + header.length + " " + (header.length + payload.length) + "\r\n";
        String msgLine = plain ? "MSG bench 1 " + payload.length + "\r\n"
                : "HMSG bench 1 " + header.length + " " + (header.length + payload.length) + "\r\n";
        int frame = pubLine.length() + (plain ? 0 : header.length) + payload.length + 2;
        byte[] one = new byte[frame];
        int at = copy(pubLine.getBytes(StandardCharsets.US_ASCII), one, 0);
        if (!plain) {
            at = copy(header, one, at);
        }
        at = copy(payload, one, at);
        one[at++] = '\r';
        one[at] = '\n';
        long expected = (long) msgs * (msgLine.length() + (plain ? 0 : header.length) + payload.length + 2);

        try (Socket sub = connect(port); Socket pub = connect(port)) {
            OutputStream so = sub.getOutputStream();
            so.write("SUB bench 1\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            so.flush();
            awaitPong(sub.getInputStream());
            long[] done = new long[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    byte[] buf = new byte[256 * 1024];
                    long got = 0;
                    InputStream in = sub.getInputStream();
                    while (got < expected) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                    done[0] = System.nanoTime();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int perBatch = Math.max(1, 64 * 1024 / frame);
            byte[] batch = new byte[perBatch * frame];
            for (int i = 0; i < perBatch; i++) {
                System.arraycopy(one, 0, batch, i * frame, frame);
            }
            OutputStream po = pub.getOutputStream();
            long cpuBefore = cpuMillis(pid);
            long start = System.nanoTime();
            for (int sent = 0; sent < msgs; sent += perBatch) {
                int n = Math.min(perBatch, msgs - sent);
                po.write(batch, 0, n * frame);
            }
            po.flush();
            reader.join(120_000);
            double seconds = (done[0] - start) / 1e9;
            long cpu = cpuMillis(pid) - cpuBefore;
            System.out.printf("%s msgs=%d elapsed_ms=%.0f msgs_per_sec=%.0f server_cpu_ms=%d server_ns_per_msg=%.1f%n",
                    plain ? "pubsub-plain" : "pubsub-headers", msgs, seconds * 1000, msgs / seconds, cpu,
                    cpu * 1e6 / msgs);
        }
    }

    /** User plus system time of a process in milliseconds (clock ticks of 10 ms), -1 without a pid. */
    private static long cpuMillis(long pid) throws Exception {
        if (pid < 0) {
            return -1;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static int copy(byte[] from, byte[] to, int at) {
        System.arraycopy(from, 0, to, at, from.length);
        return at + from.length;
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        InputStream in = s.getInputStream();
        readLine(in); // INFO
        s.getOutputStream().write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n"
                + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
        awaitPong(in);
        return s;
    }

    private static void awaitPong(InputStream in) throws Exception {
        while (!readLine(in).equals("PONG")) {
            // +OK or INFO
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
