package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JavaScript client (npm {@code nats.ws}) under Node.js over {@code ws://}, with and without
 * permessage-deflate (Node's {@code ws} offers it). Skipped when Node or the npm packages are missing
 * ({@code .ci/run} installs them).
 */
@Timeout(90)
class NodeClientTest {

    static final Path NODE_DIR = Path.of(System.getProperty("websocket.node.dir", "src/test/node"));

    @TempDir
    Path dir;

    /** Whether {@code node} runs and the test's npm packages are installed. */
    static boolean nodeAvailable() {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/nats.ws"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void nodeClientPublishesSubscribesAndRequests(boolean compression) throws Exception {
        assumeTrue(nodeAvailable(), "node or the npm packages (npm ci in " + NODE_DIR + ") are missing");
        try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, no_tls: true, compression: "
                + compression + " }\n");
             Connection tcp = Nats.connect("nats://127.0.0.1:" + s.natsPort())) {
            Subscription fromNode = tcp.subscribe("from.node");
            tcp.flush(Duration.ofSeconds(2));
            String out = runNode("ws://127.0.0.1:" + s.wsPort());
            assertEquals("{\"got\":[\"node.a:one\",\"node.b:xxx...(3007)\"],\"reply\":\"re:ping\","
                    + "\"headers\":true}", out, "expected the Node client's own messages and reply");
            Message m = fromNode.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "expected the Node client's message at a TCP subscriber");
            assertEquals("hello java", new String(m.getData(), StandardCharsets.UTF_8), "payload unchanged");
        }
    }

    private String runNode(String url) throws Exception {
        Path log = dir.resolve("node.log");
        Process p = new ProcessBuilder(List.of("node", NODE_DIR.resolve("client.mjs").toAbsolutePath().toString(), url))
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the Node client did not finish in time");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log).strip();
        assertEquals(0, p.exitValue(), () -> "the Node client failed: " + out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
