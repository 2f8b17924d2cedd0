package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.api.monitoring.RawJson;
import nats.server.internal.ServerCore;
import nats.server.options.ServerOptions;
import nats.transport.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard page in headless Chromium: it loads under {@code http_base_path}, polls the server's JSON
 * endpoints, goes live, and shows the numbers {@code /varz} has, with the JetStream and gateway parts when the
 * server has those sections. The page is also photographed to {@code target/dashboard.png}. Chromium runs with
 * virtual time, so a few seconds of polling take about one. Skipped when Chromium is not installed.
 */
@Timeout(120)
class DashboardBrowserTest {

    @TempDir
    Path dir;

    private ServerCore core;
    private MonitorServer monitor;
    private MonitorDocuments documents;
    private int http;
    private final List<Connection> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(chromium().isPresent(), "chromium is not installed");
        core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .httpBasePath("/ops").serverName("dash-1"));
        core.start();
        documents = new MonitorDocuments(core, new MonitorExtensions((name, value) -> { }));
        monitor = new MonitorServer(documents);
        monitor.basePath("/ops");
        http = monitor.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Connection c : clients) {
            c.close();
        }
        if (monitor != null) {
            monitor.stop();
        }
        if (core != null) {
            core.shutdown();
        }
    }

    @Test
    void showsLiveNumbersThatMatchVarz() throws Exception {
        for (int i = 0; i < 3; i++) {
            Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + core.port())
                    .noReconnect().build());
            nc.subscribe("load." + i);
            nc.flush(Duration.ofSeconds(2));
            clients.add(nc);
        }
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (publishing.get() && System.nanoTime() < deadline) {
                clients.get(0).publish("load.1", "x".repeat(100).getBytes(StandardCharsets.UTF_8));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            String dom = dumpDom("/ops/dashboard?interval=400");
            assertEquals("live", attribute(dom, "body", "data-state"), "the page went live: " + excerpt(dom));
            Map<String, Object> varz = Json.parseObject(Http.get(http, "/ops/varz").body());
            assertEquals(String.valueOf(varz.get("connections")), metric(dom, "connections"),
                    "connections as /varz has them");
            assertEquals(String.valueOf(varz.get("subscriptions")), metric(dom, "subscriptions"),
                    "subscriptions as /varz has them");
            assertEquals("dash-1", text(dom, "h1"), "the server's name");
            long inMsgs = Long.parseLong(metric(dom, "in_msgs"));
            assertTrue(inMsgs > 0 && inMsgs <= ((Number) varz.get("in_msgs")).longValue(),
                    "messages in, up to what /varz shows a moment later: " + inMsgs);
            assertTrue(!metric(dom, "in_msgs_rate").equals("0") && !metric(dom, "in_msgs_rate").equals("–"),
                    "a message rate while a client publishes: " + metric(dom, "in_msgs_rate"));
            Matcher points = Pattern.compile("data-series=\"in\" data-points=\"(\\d+)\"").matcher(dom);
            assertTrue(points.find() && Integer.parseInt(points.group(1)) >= 2, "the rate chart has a line");
            assertTrue(dom.contains("<tr data-account=\"$G\"><td>$G</td><td>3</td>"),
                    "the accounts table shows $G with its 3 clients");
            assertTrue(!metric(dom, "out_msgs_rate").equals("0") && !metric(dom, "out_msgs_rate").equals("–"),
                    "a delivery rate to the subscriber: " + metric(dom, "out_msgs_rate"));
            assertTrue(hidden(dom, "chart-streams"), "no JetStream chart without JetStream");
            screenshot("/ops/dashboard?interval=400", Path.of("target", "dashboard.png"));
        } finally {
            publishing.set(false);
            publisher.join(5000);
        }
    }

    @Test
    void showsJetStreamAndGatewaysWhenTheServerHasThem() throws Exception {
        MonitorExtensions ext = documents.extensions();
        Map<String, Object> js = new LinkedHashMap<>();
        js.put("config", Map.of("max_memory", 1 << 30, "max_storage", 1L << 33));
        js.put("stats", Map.of("memory", 0, "storage", 4096));
        ext.varzSection("jetstream", () -> js);
        ext.varzSection("gateway", () -> Map.of("name", "A", "port", 7222));
        ext.document("/jsz", "JSZ", q -> new RawJson("{\"server_id\":\"S\",\"streams\":2,\"consumers\":5,"
                + "\"messages\":10,\"bytes\":4096}"));
        ext.document("/gatewayz", "GATEWAYZ", q -> new RawJson("{\"server_id\":\"S\",\"name\":\"A\","
                + "\"outbound_gateways\":{\"B\":{\"configured\":true}},\"inbound_gateways\":{\"B\":[{},{}]}}"));
        String dom = dumpDom("/ops/dashboard?interval=400");
        assertEquals("live", attribute(dom, "body", "data-state"), "the page went live: " + excerpt(dom));
        assertEquals("2", metric(dom, "streams"), "streams from /jsz");
        assertEquals("5", metric(dom, "consumers"), "consumers from /jsz");
        assertEquals("3", metric(dom, "gateways"), "one outbound and two inbound gateway connections");
        assertTrue(!hidden(dom, "chart-streams") && !hidden(dom, "chart-gateways"), "their charts show");
        assertTrue(hidden(dom, "chart-leafnodes"), "no leaf-node chart without leaf nodes");
        screenshot("/ops/dashboard?interval=400", Path.of("target", "dashboard-jetstream.png"));
    }

    static Optional<Path> chromium() {
        for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path p = Path.of(name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The page's DOM after about 4 seconds of (virtual) time. */
    private String dumpDom(String path) throws Exception {
        return new String(browser(path, "--dump-dom").getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void screenshot(String path, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Process p = browser(path, "--screenshot=" + file.toAbsolutePath(), "--window-size=1280,1200");
        p.getInputStream().readAllBytes();
        assertTrue(Files.size(file) > 10_000, "a screenshot was written to " + file);
    }

    private Process browser(String path, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium().orElseThrow().toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-"), "--virtual-time-budget=4000"));
        command.addAll(List.of(extra));
        command.add("http://127.0.0.1:" + http + path);
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        return p;
    }

    private static String metric(String dom, String name) {
        Matcher m = Pattern.compile("data-metric=\"" + name + "\">([^<]*)<").matcher(dom);
        return m.find() ? m.group(1) : "(no " + name + ")";
    }

    private static String attribute(String dom, String element, String attribute) {
        Matcher m = Pattern.compile("<" + element + "[^>]*\\s" + attribute + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : "(none)";
    }

    private static String text(String dom, String element) {
        Matcher m = Pattern.compile("<" + element + "[^>]*>([^<]*)<").matcher(dom);
        return m.find() ? m.group(1) : "(none)";
    }

    private static boolean hidden(String dom, String id) {
        Matcher m = Pattern.compile("<div class=\"chart\" id=\"" + id + "\"( hidden=\"\")?").matcher(dom);
        return !m.find() || m.group(1) != null;
    }

    private static String excerpt(String dom) {
        int at = dom.indexOf("<header");
        return at < 0 ? dom.substring(0, Math.min(600, dom.length())) : dom.substring(at, Math.min(at + 600, dom.length()));
    }
}
