package nats.server.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.transport.tls.TlsOptions;

/**
 * Run in its own JVM by {@link TlsKeyUpdateTest} with tiny TLS key limits, so that both sides renew their keys
 * (TLS 1.3 KeyUpdate, requested and answered) every few records while the server reads and writes at the same
 * time. The client uses one thread for reading and writing (the JDK's SSLSocket mishandles a KeyUpdate that
 * arrives while another thread writes). Exits 0 when every message came back intact.
 */
public final class KeyUpdateScenario {

    private static final int ROUNDS = 30;
    private static final int PER_ROUND = 100;

    private KeyUpdateScenario() {
    }

    public static void main(String[] args) throws Exception {
        NatsServer server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .tls(TlsOptions.of(TlsFixtures.file("server-cert.pem"), TlsFixtures.file("server-key.pem"))
                        // The handshake runs with TLS debug output on a cold JVM, possibly on a busy machine.
                        .withTimeout(java.time.Duration.ofSeconds(30))));
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(10_000);
            TlsClientTest.readLine(plain.getInputStream());
            SSLSocket tls = (SSLSocket) TlsFixtures.clientContext("TLSv1.3", null, null).getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.port(), true);
            OutputStream out = tls.getOutputStream();
            InputStream in = tls.getInputStream();
            out.write("CONNECT {\"verbose\":false}\r\nSUB ku 1\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] payload = new byte[1000];
            for (int round = 0; round < ROUNDS; round++) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < PER_ROUND; i++) {
                    java.util.Arrays.fill(payload, (byte) ('a' + (round + i) % 26));
                    batch.append("PUB ku 1000\r\n").append(new String(payload, StandardCharsets.US_ASCII))
                            .append("\r\n");
                }
                batch.append("PING\r\n");
                out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // The server's own keep-alive PING may come in between (payloads are lower case).
                String received = readUntilPong(in).replace("PING\r\n", "");
                for (int i = 0; i < PER_ROUND; i++) {
                    String expected = "MSG ku 1 1000\r\n" + String.valueOf((char) ('a' + (round + i) % 26))
                            .repeat(1000) + "\r\n";
                    if (!received.startsWith(expected, i * expected.length())) {
                        System.out.println("round " + round + " message " + i + " is wrong");
                        System.exit(1);
                    }
                }
            }
            System.out.println("all " + ROUNDS * PER_ROUND + " messages intact");
        } finally {
            server.shutdown();
        }
        System.exit(0);
    }

    private static String readUntilPong(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buffer = new byte[16 * 1024];
        while (!sb.toString().endsWith("PONG\r\n")) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IllegalStateException("closed after " + sb.length() + " bytes");
            }
            sb.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }
}
