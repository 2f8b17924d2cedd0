package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http_base_path} against the Go server with the same config: which paths are served and which are
 * 404, what {@code /varz} reports, and where the root page links. Skipped without the Go binary.
 */
@Timeout(60)
class MonitorBasePathGoTest {

    @TempDir
    Path dir;

    @Test
    void servesTheSamePathsAsGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        String config = "listen: \"127.0.0.1:%d\"\nhttp: \"127.0.0.1:%d\"\nhttp_base_path: \"nats/\"\n";
        int goHttp = Ports.free();
        try (GoServer go = GoServer.start(dir, port -> config.formatted(port, goHttp))) {
            Path conf = Files.writeString(dir.resolve("ours.conf"), config.formatted(-1, -1));
            ServerOptions options = new ServerOptions();
            ConfigFiles.load(conf, options, false);
            NatsServer ours = NatsServer.start(options);
            try {
                int ourHttp = ours.monitorPort();
                for (String path : List.of("/nats", "/nats/varz", "/nats/connz?limit=1", "/nats/healthz",
                        "/nats/subsz", "/nats/", "/varz", "/", "/nats/nope", "/natsvarz", "/nats/varz/")) {
                    assertEquals(Http.get(goHttp, path).status(), Http.get(ourHttp, path).status(),
                            "status of " + path + " as Go gives it");
                }
                assertEquals(Json.parseObject(Http.get(goHttp, "/nats/varz").body()).get("http_base_path"),
                        Json.parseObject(Http.get(ourHttp, "/nats/varz").body()).get("http_base_path"),
                        "/varz shows the base path as configured");
                List<String> goLinks = links(Http.get(goHttp, "/nats").body());
                List<String> ourLinks = links(Http.get(ourHttp, "/nats").body());
                assertTrue(goLinks.contains("./nats/varz"), "Go links under the base path: " + goLinks);
                for (String link : goLinks) {
                    if (link.startsWith("./") && !link.endsWith("raftz")) {
                        assertTrue(ourLinks.contains(link), "the root page links " + link + " as Go's: " + ourLinks);
                    }
                }
                assertEquals(200, Http.get(ourHttp, "/nats/metrics").status(), "/metrics under the base path");
                assertEquals(200, Http.get(ourHttp, "/nats/dashboard").status(), "the dashboard under the base path");
                assertTrue(ourLinks.contains("./nats/dashboard"), "the root page links the dashboard");
            } finally {
                ours.shutdown();
            }
        }
    }

    private static List<String> links(String html) {
        Matcher m = Pattern.compile("href=([^ >]+)").matcher(html);
        List<String> links = new java.util.ArrayList<>();
        while (m.find()) {
            links.add(m.group(1));
        }
        return links;
    }
}
