package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users with publish/subscribe permissions (allow, deny, queue entries, default_permissions), loaded from
 * one config file by both this server and the Go nats-server; the byte exchanges must be identical.
 */
@Timeout(60)
class PermissionsDifferentialTest {

    private static final String CONFIG = """
            host: 127.0.0.1
            port: %d
            authorization {
              default_permissions = { publish: "pub.>", subscribe: { deny: "secret.>" } }
              users = [
                {user: a, password: a, permissions: {
                   publish: { allow: ["foo.*", "bar"], deny: "foo.bad" },
                   subscribe: ["foo.>", "q.* grp"] }}
                {user: b, password: b}
              ]
            }
            """;

    private static final List<String> SCRIPTS = List.of(
            // user a: allow and deny for publish, plain and queue subscriptions
            "CONNECT {\"user\":\"a\",\"pass\":\"a\",\"verbose\":true}\r\nPUB foo.x 1\r\nx\r\nPUB foo.bad 1\r\nx\r\n"
                    + "PUB bar 1\r\nx\r\nPUB baz 1\r\nx\r\nSUB foo.y 1\r\nSUB other 2\r\nSUB q.x grp 3\r\n"
                    + "SUB q.x other 4\r\nSUB q.x 5\r\nSUB foo.* 6\r\nPING\r\n",
            // user b gets the default permissions
            "CONNECT {\"user\":\"b\",\"pass\":\"b\",\"verbose\":false}\r\nPUB pub.x 1\r\nx\r\nPUB other 1\r\nx\r\n"
                    + "SUB secret.x 1\r\nSUB secret.> 2\r\nSUB ok 3\r\nSUB > 4\r\nPING\r\n",
            // a violation leaves the connection usable: the allowed message is still delivered
            "CONNECT {\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}\r\nSUB foo.z 1\r\nPUB nope 1\r\nx\r\n"
                    + "PUB foo.z 2\r\nok\r\nPING\r\n",
            // wrong password
            "CONNECT {\"user\":\"a\",\"pass\":\"b\"}\r\nPING\r\n");

    @Test
    void permissionsBehaveLikeTheGoServer(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Path ourConf = Files.writeString(dir.resolve("ours.conf"), CONFIG.formatted(-1));
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(ourConf, options, true);
        try (GoServer go = GoServer.start(dir, CONFIG); NatsServer ours = NatsServer.start(options)) {
            for (String script : SCRIPTS) {
                String expected = exchange(go.port(), script);
                String actual = exchange(ours.port(), script);
                assertTrue(expected.contains("PONG") || expected.contains("Authorization Violation"),
                        "the Go transcript is meaningful: " + expected);
                assertEquals(expected, actual, "same bytes as the Go server for: " + script);
            }
        }
    }

    /** Sends the script and returns what came back after INFO, until the server closes or goes quiet. */
    private static String exchange(int port, String script) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // The first read (INFO) may wait for a busy machine; only after it does 400 ms of quiet end the transcript.
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(script.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    break;
                }
                if (n < 0) {
                    received.append("<closed>");
                    break;
                }
                received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                socket.setSoTimeout(400);
            }
            String text = received.toString();
            return text.substring(text.indexOf(" \r\n") + 3);
        }
    }


}
