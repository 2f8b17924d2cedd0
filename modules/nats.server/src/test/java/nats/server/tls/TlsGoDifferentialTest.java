package nats.server.tls;

import static nats.server.tls.TlsFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Go nats-server 2.9.10 and jnatsd load the same TLS config file (only the port is overridden, as the
 * {@code -p} flag does) and must agree on: the TLS fields of INFO, what a plain-text client gets, what a TLS
 * client without and with a client certificate gets, and (verify_and_map) what a mapped user may do.
 */
@Timeout(120)
class TlsGoDifferentialTest {

    private static final Pattern TLS_FIELD = Pattern.compile("\"(tls_[a-z]+)\":(true|false)");
    private static final String PING = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n";
    /** For verify_and_map: one allowed and one denied subscription and publish, then PING. */
    private static final String MAPPED_SCRIPT = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n"
            + "SUB alice.x 1\r\nSUB other 2\r\nPUB alice.x 2\r\nhi\r\nPUB other 1\r\nx\r\nPING\r\n";

    @TempDir
    Path dir;

    private String config(String variant) {
        String tls = "cert_file: \"" + file("server-cert.pem") + "\"\n  key_file: \"" + file("server-key.pem")
                + "\"\n  ca_file: \"" + file("ca.pem") + "\"\n  timeout: 5\n";
        return switch (variant) {
            case "tls" -> "host: 127.0.0.1\ntls {\n  " + tls + "}\n";
            case "verify" -> "host: 127.0.0.1\ntls {\n  " + tls + "  verify: true\n}\n";
            case "allow_non_tls" -> "host: 127.0.0.1\nallow_non_tls: true\ntls {\n  " + tls + "}\n";
            case "verify_and_map" -> "host: 127.0.0.1\ntls {\n  " + tls + "  verify_and_map: true\n}\n"
                    + "authorization { users = [ {user: \"alice@example.com\", permissions: "
                    + "{publish: \"alice.>\", subscribe: \"alice.>\"}} ] }\n";
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tls", "verify", "allow_non_tls", "verify_and_map"})
    void behavesLikeTheGoServer(String variant) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Path conf = Files.writeString(dir.resolve(variant + ".conf"), config(variant));
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(conf, options, true);
        try (GoServer go = GoServer.startOverridingPort(dir, conf);
             NatsServer ours = NatsServer.start(options.port(ServerOptions.RANDOM_PORT))) {
            List<String> expected = observe(go.port(), variant);
            List<String> actual = observe(ours.port(), variant);
            assertTrue(expected.get(0).contains("tls_"), "the Go server's INFO has TLS fields: " + expected);
            assertEquals(expected, actual, "same TLS behaviour as the Go server (" + variant + ")");
        }
    }

    /** INFO's TLS fields, then the outcome of a plain-text, a certificate-less TLS and a certificate TLS client. */
    private static List<String> observe(int port, String variant) throws Exception {
        List<String> outcome = new ArrayList<>();
        outcome.add(tlsFields(port));
        outcome.add("plain: " + plainExchange(port));
        outcome.add("tls: " + tlsExchange(port, TlsFixtures.clientContext(), PING));
        String script = variant.equals("verify_and_map") ? MAPPED_SCRIPT : PING;
        outcome.add("tls+cert: " + tlsExchange(port, TlsFixtures.clientContextWithCertificate(), script));
        return outcome;
    }

    private static String tlsFields(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            Matcher m = TLS_FIELD.matcher(TlsClientTest.readLine(s.getInputStream()));
            List<String> fields = new ArrayList<>();
            while (m.find()) {
                fields.add(m.group());
            }
            return String.join(",", fields);
        }
    }

    private static String plainExchange(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            TlsClientTest.readLine(s.getInputStream());
            s.getOutputStream().write(PING.getBytes(StandardCharsets.US_ASCII));
            return readUntilPongOrClose(s.getInputStream());
        }
    }

    private static String tlsExchange(int port, SSLContext context, String script) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(3000);
            TlsClientTest.readLine(plain.getInputStream());
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            try {
                tls.startHandshake();
                // With TLS 1.3 a refused client certificate is announced after the client finished its
                // handshake: wait for such an alert before writing, so the outcome does not depend on timing.
                plain.setSoTimeout(300);
                try {
                    int b = tls.getInputStream().read();
                    return b < 0 ? "<closed>" : "<unexpected byte " + b + ">";
                } catch (SocketTimeoutException quiet) {
                    plain.setSoTimeout(3000);
                }
                tls.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                return readUntilPongOrClose(tls.getInputStream());
            } catch (SSLException e) {
                return failure(e);
            }
        }
    }

    /**
     * A TLS failure as the alert the server sent, which both servers should agree on. One known difference is
     * folded: for a missing client certificate the JDK sends TLS 1.3's certificate_required (RFC 8446) where
     * Go 1.19, which nats-server 2.9.10 is built with, sends bad_certificate; the JDK's choice cannot be changed.
     */
    private static String failure(SSLException e) {
        Matcher alert = Pattern.compile("Received fatal alert: (\\w+)").matcher(String.valueOf(e.getMessage()));
        if (!alert.find()) {
            return "<tls failure>";
        }
        return "<alert " + (alert.group(1).equals("certificate_required") ? "bad_certificate" : alert.group(1)) + ">";
    }

    /** Protocol lines (without the random parts of INFO) until PONG, or until the server closes. */
    private static String readUntilPongOrClose(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                if (received.toString(StandardCharsets.ISO_8859_1).endsWith("PONG\r\n")) {
                    return received.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return received.toString(StandardCharsets.ISO_8859_1) + "<closed>";
        } catch (SocketTimeoutException e) {
            return received.toString(StandardCharsets.ISO_8859_1) + "<silence>";
        } catch (SSLException e) {
            return received.toString(StandardCharsets.ISO_8859_1) + failure(e);
        } catch (IOException e) {
            return received.toString(StandardCharsets.ISO_8859_1) + "<closed>";
        }
    }


}
