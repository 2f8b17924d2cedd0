package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How routes settle: two servers dialling each other keep one route, a server's own address among its routes is
 * not dialled, clients learn the cluster's URLs (and lose a server's when it enters lame-duck mode).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopologyTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void serversDiallingEachOtherKeepOneRoute() throws Exception {
        int portA = Ports.free();
        int portB = Ports.free();
        String routes = "routes: [\"nats-route://127.0.0.1:" + portA + "\", \"nats-route://127.0.0.1:" + portB + "\"]";
        // Both list both addresses: each dials the other (and skips its own).
        try (Node a = Node.start(dir, "A", portA, "name: d, " + routes, "");
             Node b = Node.start(dir, "B", portB, "name: d, " + routes, "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Thread.sleep(3000);
            assertEquals(1, a.routes(), "one route after the duplicate was resolved, and it stays");
            assertEquals(1, b.routes(), "one route on the other side");
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "dup.ok");
            Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "dup.ok2");
        }
    }

    @Test
    void oursAndGoDiallingEachOtherKeepOneRoute() throws Exception {
        GoNode.assumeAvailable();
        int portG = Ports.free();
        int portJ = Ports.free();
        String routes = "routes: [\"nats-route://127.0.0.1:" + portG + "\", \"nats-route://127.0.0.1:" + portJ + "\"]";
        try (GoNode go = GoNode.start(dir, "G", portG, "name: d, " + routes, "");
             Node ours = Node.start(dir, "J", portJ, "name: d, " + routes, "")) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            Thread.sleep(3000);
            assertEquals(1, ours.routes(), "one route");
            assertEquals(1, Monitor.routes(go.httpPort), "one route on Go");
            Clients.assertPubSub(go.clientUrl(), ours.clientUrl(), "dup.mixed");
        }
    }

    @Test
    void clientsGetTheClustersUrlsAndLoseALameDuckServers() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: l", "lame_duck_duration: \"30s\"\n"
                + "lame_duck_grace_period: \"10s\"");
             Node b = Node.start(dir, "B", Ports.free(), "name: l, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Monitor.await(WAIT, "B knows A's client URL", () -> Monitor.get(b.httpPort, "/varz")
                    .get("connect_urls") instanceof List<?> urls && urls.size() == 2);
            checkUrls(a, b);
        }
    }

    private static void checkUrls(Node a, Node b) throws Exception {
        try (Socket client = new Socket("127.0.0.1", b.port)) {
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            Map<String, Object> info = Json.parseObject(readLine(in).substring(5));
            assertEquals(List.of("127.0.0.1:" + b.port, "127.0.0.1:" + a.port), info.get("connect_urls"),
                    "B's INFO names B first, then A");
            assertEquals("l", info.get("cluster"), "and the cluster");
            // Protocol 1 and a first PING: from now on B sends asynchronous INFO.
            out.write("CONNECT {\"protocol\":1,\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("PONG", readLine(in), "PONG");
            a.server().enterLameDuckMode();
            Map<String, Object> update = Json.parseObject(readLine(in).substring(5));
            assertEquals(List.of("127.0.0.1:" + b.port), update.get("connect_urls"),
                    "A went into lame-duck mode: B's clients no longer hear of it");
            assertFalse(update.containsKey("ldm"), "B itself is not in lame-duck mode");
        }
    }

    @Test
    void aLameDuckServerTellsItsClientsWhereToGo() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: l", "lame_duck_duration: \"30s\"\n"
                + "lame_duck_grace_period: \"10s\"");
             Node b = Node.start(dir, "B", Ports.free(), "name: l, routes: [\"" + a.routeUrl() + "\"]", "");
             Socket client = new Socket("127.0.0.1", a.port)) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            readLine(in);
            out.write("CONNECT {\"protocol\":1,\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // A client that connected before the cluster formed gets the new INFO with its first PONG, as from Go.
            String line = readLine(in);
            while (line.startsWith("INFO")) {
                line = readLine(in);
            }
            assertEquals("PONG", line, "PONG");
            a.server().enterLameDuckMode();
            Map<String, Object> update = Json.parseObject(readLine(in).substring(5));
            assertEquals(Boolean.TRUE, update.get("ldm"), "A says it is in lame-duck mode");
            assertEquals(List.of("127.0.0.1:" + b.port), update.get("connect_urls"), "and names only B");
        }
    }

    @Test
    void aServersOwnAddressAmongItsRoutesIsNotDialled() throws Exception {
        int own = Ports.free();
        try (Node a = Node.start(dir, "A", own, "name: s, routes: [\"nats-route://127.0.0.1:" + own + "\"]", "")) {
            Thread.sleep(1500);
            assertEquals(0, a.routes(), "no route to itself");
            assertTrue(Monitor.get(a.httpPort, "/varz").get("cluster") instanceof Map<?, ?>, "still clustered");
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString().trim();
    }
}
