package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.server.options.ServerStartException;
import nats.websocket.testing.GoWsServer;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in a {@code websocket {}} block refuse the start with Go's texts (and Go's file:line:column where Go
 * gives one): the same file goes to both servers, and our refusal must be Go's text (the kernel shows a
 * built-in module's refusal as the module words it).
 */
@Timeout(60)
class ConfigDifferentialTest {

    @TempDir
    Path dir;

    @Test
    void mistakesAreRefusedWithGosTexts() throws Exception {
        assumeTrue(GoWsServer.available(), "the Go nats-server is not installed");
        String users = "authorization { users: [ {user: alice, password: secret} ] }\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("no TLS", "websocket {\n  port: %d\n}\n");
        cases.put("unknown field", "websocket {\n  port: %d\n  no_tls: true\n  username: bob\n}\n");
        cases.put("unknown field in authorization",
                "websocket {\n  port: %d\n  no_tls: true\n  authorization {\n    user: a\n    users: []\n  }\n}\n");
        cases.put("handshake timeout as a float",
                "websocket {\n  port: %d\n  no_tls: true\n  handshake_timeout: 1.5\n}\n");
        cases.put("handshake timeout not a duration",
                "websocket {\n  port: %d\n  no_tls: true\n  handshake_timeout: \"soon\"\n}\n");
        cases.put("allowed origins as a number",
                "websocket {\n  port: %d\n  no_tls: true\n  allowed_origins: 5\n}\n");
        cases.put("allowed origins with a number",
                "websocket {\n  port: %d\n  no_tls: true\n  allowed_origins: [\"http://a\", true]\n}\n");
        cases.put("unparsable allowed origin",
                "websocket {\n  port: %d\n  no_tls: true\n  allowed_origins: [\"::bad\"]\n}\n");
        cases.put("listen with a bad port", "websocket {\n  listen: \"127.0.0.1:x\"\n  no_tls: true\n}\n");
        cases.put("listen without a port", "websocket {\n  listen: \"nowhere\"\n  no_tls: true\n}\n");
        cases.put("TLS without a key", "websocket {\n  port: %d\n  tls {\n    cert_file: \"/nonexistent.pem\"\n  }\n}\n");
        cases.put("no_auth_user without users",
                "websocket {\n  port: %d\n  no_tls: true\n  no_auth_user: bob\n}\n");
        cases.put("no_auth_user not a user",
                users + "websocket {\n  port: %d\n  no_tls: true\n  no_auth_user: bob\n}\n");
        cases.put("username next to users",
                users + "websocket {\n  port: %d\n  no_tls: true\n  authorization { user: bob, password: x }\n}\n");
        cases.put("token next to users",
                users + "websocket {\n  port: %d\n  no_tls: true\n  authorization { token: abc }\n}\n");
        cases.put("JWT cookie without operators",
                "websocket {\n  port: %d\n  no_tls: true\n  jwt_cookie: my_jwt\n}\n");
        cases.put("ws alias", "ws {\n  port: %d\n  nonsense: 1\n}\n");

        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String go = goRefusal(c.getKey(), c.getValue());
            String ours = ourRefusal(c.getKey(), c.getValue());
            if (c.getKey().equals("allowed origins with a number")) {
                // Go points at the array element; a plugin's problems point at the key that holds the array.
                go = go.replaceFirst(":\\d+:\\d+: ", ": ");
                ours = ours.replaceFirst(":\\d+:\\d+: ", ": ");
            }
            if (!ours.equals(go)) {
                differences.add(c.getKey() + ":\n  go:   " + go + "\n  ours: " + ours);
            }
        }
        assertEquals(List.of(), differences, "expected each mistake refused with Go's text");
    }

    @Test
    void aValidBlockStartsBoth() throws Exception {
        String ok = "websocket {\n  port: %d\n  no_tls: true\n  compression: true\n  same_origin: true\n"
                + "  allowed_origins: [\"http://a.example\", \"https://b.example:8443\"]\n  handshake_timeout: \"2s\"\n"
                + "  authorization { user: u, password: p, timeout: 3 }\n}\n";
        assertEquals("", ourRefusal("ok", ok), "expected the block accepted");
    }

    /** Go's complaint on stderr without the program name and with the file as the case name; empty if it starts. */
    private String goRefusal(String name, String template) throws IOException, InterruptedException {
        Path conf = file(name, template.formatted(GoWsServer.freePort()));
        Process p = new ProcessBuilder(GoWsServer.BINARY.toString(), "-a", "127.0.0.1", "-p", "-1", "-c",
                conf.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String firstLine = out.lines().findFirst().orElse("");
        return firstLine.replace("nats-server: ", "").replace(conf.toString(), "CONF");
    }

    private String ourRefusal(String name, String template) throws IOException {
        Path conf = file(name + "-ours", template.formatted(-1));
        try {
            startFrom(conf).close();
            return "";
        } catch (ServerStartException e) {
            return e.getMessage().replace(conf.toString(), "CONF");
        }
    }

    private WsTestServer startFrom(Path conf) throws IOException, ServerStartException {
        return WsTestServer.startFile(conf);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name.replaceAll("[^a-zA-Z0-9]+", "-") + ".conf"), text);
    }

    @Test
    void theRefusalIsGosTextAlone() throws Exception {
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> WsTestServer.start(dir, "websocket { port: -1, no_tls: true, jwt_cookie: c }\n"));
        assertEquals("trusted operators or trusted keys configuration is required for JWT authentication via cookie"
                + " \"c\"", e.getMessage(), "printed as Go prints it, after \"nats-server: \"");
    }
}
