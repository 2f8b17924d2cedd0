package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.testing.RawClient;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leafnode port's answers, byte for byte where Go's are fixed, from our hub and from Go 2.9.10's: the INFO a
 * leaf gets, the handshake, loop detection (Go's TestLeafNodeLoop...: a leaf that announces the hub's own
 * {@code $LDS.} subject is refused), wrong credentials, a client on the leafnode port.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeafProtocolDifferentialTest {

    private static final String AUTH = "authorization { user: leaf, password: pw }";

    @TempDir
    Path dir;

    interface Hub extends AutoCloseable {
        int leafPort();

        @Override
        void close();
    }

    private Hub ours() throws Exception {
        Ours o = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n " + AUTH + " }");
        return new Hub() {
            public int leafPort() {
                return o.leafPort;
            }

            public void close() {
                o.close();
            }
        };
    }

    private Hub go() throws Exception {
        int leafPort = Ports.free();
        IntFunction<String> conf = p -> "listen: 127.0.0.1:" + p + "\nleafnodes { listen: 127.0.0.1:" + leafPort
                + "\n " + AUTH + " }\n";
        GoServer g = GoServer.start(dir, conf);
        return new Hub() {
            public int leafPort() {
                return leafPort;
            }

            public void close() {
                g.close();
            }
        };
    }

    @Test
    void loopDetectedAnswersAsGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        try (Hub o = ours(); Hub g = go()) {
            assertEquals(loop(g), loop(o), "the loop refusal");
        }
    }

    @Test
    void wrongCredentialsAndClientsAreRefusedAsGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        try (Hub o = ours(); Hub g = go()) {
            String connect = "CONNECT {\"user\":\"leaf\",\"pass\":\"nope\",\"tls_required\":false,\"name\":\"X\"}\r\n";
            assertEquals(refusal(g, connect), refusal(o, connect), "wrong password");
            String client = "CONNECT {\"verbose\":false,\"lang\":\"java\",\"version\":\"2\",\"user\":\"leaf\",\"pass\":\"pw\"}\r\n";
            assertEquals(refusal(g, client), refusal(o, client), "a client on the leafnode port");
        }
    }

    @Test
    void infoCarriesWhatASolicitorChecks() throws Exception {
        try (Hub o = ours(); RawClient c = RawClient.connect(o.leafPort())) {
            String line = c.readLine(5000);
            assertTrue(line.startsWith("INFO "), "the hub greets with INFO: " + line);
            Map<String, Object> info = Json.parseObject(line.substring(5));
            assertTrue(((Number) info.get("client_id")).longValue() > 0, "a client id (Go's wrong-port check)");
            assertTrue(info.get("leafnode_urls") instanceof java.util.List<?>, "leafnode_urls (Go's wrong-port check)");
            assertEquals(Boolean.TRUE, info.get("info_on_connect"), "the second INFO will follow CONNECT");
            assertEquals(Boolean.TRUE, info.get("auth_required"), "auth_required, always on a leafnode port");
            assertTrue(!String.valueOf(info.get("nonce")).isEmpty(), "a nonce to sign");
            assertTrue(!info.containsKey("jetstream") && !info.containsKey("domain"),
                    "no jetstream or domain without JetStream (Go's omitempty): " + line);
        }
    }

    /** Handshakes as a leaf, then announces the hub's own loop-detection subject back. */
    private static String loop(Hub hub) throws Exception {
        try (RawClient c = RawClient.connect(hub.leafPort())) {
            c.readLine(5000);
            c.send("CONNECT {\"user\":\"leaf\",\"pass\":\"pw\",\"tls_required\":false,\"name\":\"RAW\",\"headers\":true}\r\n");
            String info = c.readLineStartingWith("INFO ", 5000);
            Map<String, Object> second = Json.parseObject(info.substring(5));
            assertEquals(Boolean.TRUE, second.get("connect_info"), "the INFO after CONNECT");
            assertEquals("$G", second.get("remote_account"), "the bound account");
            String lds = c.readLineStartingWith("LS+ $LDS.", 5000);
            c.send(lds + "\r\n");
            return c.readLineStartingWith("-ERR", 5000);
        }
    }

    private static String refusal(Hub hub, String connect) throws Exception {
        try (RawClient c = RawClient.connect(hub.leafPort())) {
            c.readLine(5000);
            c.send(connect);
            try {
                return c.readLineStartingWith("-ERR", 5000);
            } catch (java.io.IOException e) {
                return "closed without -ERR: " + e.getMessage();
            }
        }
    }
}
