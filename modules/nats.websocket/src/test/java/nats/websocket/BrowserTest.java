package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import nats.websocket.testing.PageServer;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real page in headless Chromium: it loads the browser NATS client (npm {@code nats.ws}, served by the test,
 * no internet), connects over {@code ws://}, subscribes, publishes, makes a request and shows the outcome,
 * which it posts back for the test to check. Chromium offers permessage-deflate and sends a browser
 * User-Agent, so compression and the 4 KiB browser frames are exercised. Skipped when Chromium or the npm
 * packages are missing ({@code .ci/run} installs them).
 */
@Timeout(120)
class BrowserTest {

    @TempDir
    Path dir;

    static Optional<Path> chromium() {
        for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path p = Path.of(name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path page() {
        try {
            return Path.of(BrowserTest.class.getResource("/browser/index.html").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPageTalksNatsOverWebSocket() throws Exception {
        Path client = NodeClientTest.NODE_DIR.resolve("node_modules/nats.ws/esm/nats.js");
        assumeTrue(Files.exists(client), "the npm packages are missing (npm ci in " + NodeClientTest.NODE_DIR + ")");
        assumeTrue(chromium().isPresent(), "chromium is not installed");
        try (PageServer pages = new PageServer(Map.of("/index.html", page(), "/nats.js", client))) {
            String origin = "http://127.0.0.1:" + pages.port();
            // The page's origin is the only one allowed: the browser's Origin header is checked too.
            try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, no_tls: true, compression: true, "
                    + "allowed_origins: [\"" + origin + "\"] }\n");
                 Connection tcp = Nats.connect("nats://127.0.0.1:" + s.natsPort())) {
                Subscription fromBrowser = tcp.subscribe("from.browser");
                tcp.flush(Duration.ofSeconds(2));
                String shown = openInChromium(origin + "/index.html?ws=ws://127.0.0.1:" + s.wsPort(), pages);
                assertEquals("{\"got\":[\"browser.small:2\",\"browser.big:20000\"],\"reply\":\"re:ping\"}", shown,
                        "expected the page to show its messages and the reply");
                Message m = fromBrowser.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "expected the page's message at a TCP subscriber");
                assertEquals("mozilla", new String(m.getData(), StandardCharsets.UTF_8), "from a browser");
            }
        }
    }

    @Test
    void aPageFromAnotherOriginIsRefused() throws Exception {
        Path client = NodeClientTest.NODE_DIR.resolve("node_modules/nats.ws/esm/nats.js");
        assumeTrue(Files.exists(client), "the npm packages are missing (npm ci in " + NodeClientTest.NODE_DIR + ")");
        assumeTrue(chromium().isPresent(), "chromium is not installed");
        try (PageServer pages = new PageServer(Map.of("/index.html", page(), "/nats.js", client));
             WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, no_tls: true, "
                     + "allowed_origins: [\"http://app.example\"] }\n")) {
            String shown = openInChromium("http://127.0.0.1:" + pages.port() + "/index.html?ws=ws://127.0.0.1:"
                    + s.wsPort(), pages);
            assertTrue(shown.startsWith("error:"), () -> "expected the connection refused (403), the page shows " + shown);
        }
    }

    /** Opens {@code url} in headless Chromium and returns what the page posted back. */
    private String openInChromium(String url, PageServer pages) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile-" + System.nanoTime()));
        Path log = dir.resolve("chromium.log");
        Process browser = new ProcessBuilder(chromium().orElseThrow().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return pages.result().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the page posted nothing back; chromium said: " + Files.readString(log), e);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
