package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin contract (API 2.1) exercised from outside: the image runs with the {@code contract-probe} jar in
 * its plugins directory, so every element works from the child module layer, not only from the boot layer.
 * Each test uses one element through a real client: jnats, a raw socket, or HTTP monitoring.
 */
@Timeout(120)
class PluginContractIT {

    private static ImageProcess server;
    private static Path dir;
    private static int port;
    private static int httpPort;
    private static int linePort;
    private static int natsPort;

    @BeforeAll
    static void startWithProbe() throws Exception {
        dir = Files.createTempDirectory("probe-");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("probe.plugin.jar")), plugins.resolve("contract-probe.jar"));
        port = ImageProcess.freePort();
        httpPort = ImageProcess.freePort();
        linePort = ImageProcess.freePort();
        natsPort = ImageProcess.freePort();
        Path conf = Files.writeString(dir.resolve("probe.conf"), """
                accounts {
                  A { users = [ {user: a, password: a} ] }
                  B { users = [ {user: b, password: b} ] }
                  SYS { users = [ {user: sys, password: sys} ] }
                }
                system_account: SYS
                probe { line_port: %d, nats_port: %d, greeting: hi }
                """.formatted(linePort, natsPort));
        server = ImageProcess.start(port, "-c", conf.toString(), "-m", Integer.toString(httpPort), "--plugins-dir",
                plugins.toString(), "--ports_file_dir", dir.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String user) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void accountsAndTheFastPathServeEveryAccount() throws Exception {
        try (Connection a = connect("a"); Connection b = connect("b")) {
            Message fromA = a.request("$PROBE.echo", "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            Message fromB = b.request("$PROBE.echo", "pong".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertEquals("A:ping", new String(fromA.getData(), StandardCharsets.UTF_8),
                    "the plugin answers in account A through a direct handler");
            assertEquals("B:pong", new String(fromB.getData(), StandardCharsets.UTF_8),
                    "and separately in account B");
        }
    }

    @Test
    void aPluginListenerServesTheNatsProtocolWithItsOwnCredentials() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", natsPort)) {
            raw.setSoTimeout(5000);
            String info = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(info.startsWith("INFO ") && info.contains("\"probe\":true") && info.contains("\"auth_required\":true"),
                    "INFO carries the plugin's override and its credentials' auth_required: " + info);
        }
        Options options = new Options.Builder().server("nats://127.0.0.1:" + natsPort).userInfo("probe", "secret")
                .connectionTimeout(Duration.ofSeconds(5)).build();
        try (Connection viaPlugin = Nats.connect(options)) {
            Subscription sub = viaPlugin.subscribe("through.plugin");
            viaPlugin.flush(Duration.ofSeconds(5));
            // The plugin's clients authenticate as the plugin's user, which lives in the global account.
            try (Connection global = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + natsPort)
                    .userInfo("probe", "secret").build())) {
                global.publish("through.plugin", "x".getBytes(StandardCharsets.UTF_8));
                global.flush(Duration.ofSeconds(5));
            }
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertEquals("x", m == null ? null : new String(m.getData(), StandardCharsets.UTF_8),
                    "a message travels between two clients of the plugin's listener");
            String connz = get("/connz?auth=true");
            assertTrue(connz.contains("\"authorized_user\": \"probe\""), "they are ordinary clients in /connz: " + connz);
        }
        Options wrong = new Options.Builder().server("nats://127.0.0.1:" + natsPort).userInfo("a", "a")
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).build();
        assertTrue(refused(wrong), "the server's users are not the plugin listener's users");
    }

    private static boolean refused(Options options) {
        try (Connection c = Nats.connect(options)) {
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void structuredSessionsAreAuthenticatedCheckedAndListed() throws Exception {
        try (LineClient line = LineClient.open(linePort); Connection nats = connect("a")) {
            assertEquals("PROBE hi", line.read(), "the plugin's own protocol greets with its configured greeting");
            assertTrue(line.command("login a wrong").startsWith("refused Authorization Violation"),
                    "wrong credentials are refused by the kernel");
            String ok = line.command("login a a");
            assertTrue(ok.startsWith("ok ") && ok.endsWith(" A"), "the session is bound to the user's account: " + ok);
            assertEquals("subscribed", line.command("sub from.nats"), "a session subscribes through the kernel");
            nats.publish("from.nats", "hello".getBytes(StandardCharsets.UTF_8));
            nats.flush(Duration.ofSeconds(5));
            assertEquals("msg from.nats hello", line.read(), "a NATS client's message reaches the session");
            Subscription sub = nats.subscribe("from.session");
            nats.flush(Duration.ofSeconds(5));
            assertEquals("routed", line.command("pub from.session hey"), "the session's publish is routed");
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertEquals("hey", m == null ? null : new String(m.getData(), StandardCharsets.UTF_8),
                    "and reaches the NATS subscriber in the same account");
            String connz = get("/connz?auth=true");
            assertTrue(connz.contains("\"name\": \"probe-line\"") && connz.contains("\"probe_client\": \"a\""),
                    "the session is listed in /connz with the plugin's field: " + connz);
        }
    }

    @Test
    void monitoringExtensionsShowOnHttpAndSystemRequests() throws Exception {
        String probez = get("/probez");
        assertTrue(probez.contains("\"greeting\": \"hi\"") && probez.contains("\"A\"") && probez.contains("\"B\""),
                "the plugin's document lists the accounts it serves: " + probez);
        String varz = get("/varz");
        assertTrue(varz.contains("\"probe\": {"), "/varz has the plugin's section: " + varz);
        assertEquals(400, status("/probez?fail=true"), "a refused document is a bad request, as Go's are");
        String metrics = get("/metrics");
        assertTrue(metrics.contains("# TYPE jnatsd_probe_echoes_total counter\njnatsd_probe_echoes_total{server_id=\""),
                "the plugin's counter is on /metrics, labelled with the server id: " + metrics);
        assertTrue(!metrics.contains("jnatsd_metrics_source_errors_total"), "and its source did not fail");
        try (Connection sys = connect("sys")) {
            Message reply = sys.request("$SYS.REQ.SERVER.PING.PROBEZ", new byte[0], Duration.ofSeconds(5));
            String answer = reply == null ? "" : new String(reply.getData(), StandardCharsets.UTF_8);
            assertTrue(answer.contains("\"data\":") && answer.contains("\"greeting\":\"hi\"")
                    && answer.contains("\"server\":"), "the system request answers in Go's envelope: " + answer);
        }
        try (Connection a = connect("a")) {
            a.publish("$PROBE.unhealthy", new byte[0]);
            a.flush(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (status("/healthz") != 503 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(503, status("/healthz"), "a failing plugin check makes /healthz unavailable");
            a.publish("$PROBE.healthy", new byte[0]);
            a.flush(Duration.ofSeconds(5));
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (status("/healthz") != 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(200, status("/healthz"), "and healthy again when it passes");
        }
    }

    @Test
    void theListenersAreInThePortsFile() throws Exception {
        // The client port takes connections into its backlog before the files are written: wait for them.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        java.util.Optional<Path> written = java.util.Optional.empty();
        while (written.isEmpty() && System.nanoTime() < deadline) {
            try (var files = Files.list(dir)) {
                written = files.filter(p -> p.getFileName().toString().endsWith(".ports")).findFirst();
            }
            Thread.sleep(written.isEmpty() ? 20 : 0);
        }
        assertTrue(written.isPresent(), "the ports file is written once the server is ready");
        {
            String json = Files.readString(written.get());
            assertTrue(json.contains("\"probe\":[\"nats://127.0.0.1:" + linePort + "\"]")
                    && json.contains("\"probe_nats\""), "the ports file lists the plugin's listeners: " + json);
        }
    }

    private static String get(String path) throws IOException {
        java.net.HttpURLConnection c = open(path);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int status(String path) throws IOException {
        return open(path).getResponseCode();
    }

    private static java.net.HttpURLConnection open(String path) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection)
                java.net.URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        return c;
    }

    /** A client of the probe's line protocol. */
    private record LineClient(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {

        static LineClient open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            return new LineClient(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)), socket.getOutputStream());
        }

        String read() throws IOException {
            return in.readLine();
        }

        String command(String text) throws IOException {
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
