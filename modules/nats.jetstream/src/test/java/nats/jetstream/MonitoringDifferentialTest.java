package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.GoServer;
import nats.jetstream.testing.JsServer;
import nats.jetstream.testing.JsonNormalizer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import nats.testing.Ports;

/**
 * JetStream in monitoring, against Go with the same streams and consumers: /jsz with every option, the /varz
 * section, /healthz's JetStream checks, INFO's {@code jetstream}, and the JSZ system requests.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitoringDifferentialTest {

    private static final String CONFIG = """
            jetstream { store_dir: "%s", max_memory_store: 1G, max_file_store: 10G }
            http: "127.0.0.1:%d"
            accounts { SYS { users: [{user: sys, password: p}] }, APP { jetstream: enabled, users: [{user: app, password: p}] } }
            system_account: SYS
            """;

    @TempDir
    Path dir;

    private static String get(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Equality with the first difference shown in context, as these documents are long. */
    private static void same(String expected, String actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 80);
        assertEquals(expected.substring(from, Math.min(expected.length(), i + 80)),
                actual.substring(from, Math.min(actual.length(), i + 80)), what + " (from offset " + from + ")");
    }

    private static Connection connect(String url, String user) throws Exception {
        return Nats.connect(new Options.Builder().server(url).userInfo(user, "p").maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    private static void populate(Connection nc) throws Exception {
        var jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("M1").subjects("m1.*").storageType(StorageType.Memory).build());
        jsm.addStream(StreamConfiguration.builder().name("F1").subjects("f1").maxBytes(1 << 20).build());
        JetStream js = nc.jetStream();
        for (int i = 0; i < 5; i++) {
            js.publish("m1.x", new byte[10]);
            js.publish("f1", new byte[10]);
        }
        jsm.addOrUpdateConsumer("F1", ConsumerConfiguration.builder().durable("c1").ackPolicy(AckPolicy.Explicit).build());
    }


    @Test
    void jszVarzHealthzAndInfoMatchGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int goHttp = Ports.free();
        int ourHttp = Ports.free();
        Path goConf = Files.writeString(dir.resolve("go.conf"),
                CONFIG.replace("%s", dir.resolve("gostore").toString()).replace("%d", Integer.toString(goHttp)));
        JsonNormalizer norm = new JsonNormalizer("max_memory", "max_storage", "store_dir", "memory", "storage", "bytes",
                "reserved_storage", "total", "errors");
        try (GoServer go = GoServer.start(dir, "-c", goConf.toString());
             JsServer ours = JsServer.start(dir, CONFIG.replace("%d", Integer.toString(ourHttp)));
             Connection gc = connect(go.url(), "app"); Connection oc = connect(ours.url(), "app")) {
            populate(gc);
            populate(oc);
            for (String path : List.of("/jsz", "/jsz?accounts=true", "/jsz?streams=true", "/jsz?consumers=true",
                    "/jsz?consumers=true&config=true", "/jsz?acc=APP&streams=true", "/healthz?js-enabled-only=true",
                    "/healthz?js-server-only=true", "/healthz")) {
                same(norm.normalize(get(goHttp, path)), norm.normalize(get(ourHttp, path)), "same " + path);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> goVarz = (Map<String, Object>) Json.parseObject(get(goHttp, "/varz")).get("jetstream");
            @SuppressWarnings("unchecked")
            Map<String, Object> ourVarz = (Map<String, Object>) Json.parseObject(get(ourHttp, "/varz")).get("jetstream");
            assertEquals(norm.normalize(nats.transport.json.GoJson.compact(goVarz)),
                    norm.normalize(nats.transport.json.GoJson.compact(ourVarz)), "same /varz jetstream section");
            assertTrue(oc.getServerInfo().isJetStreamAvailable(), "INFO says jetstream: true");
            for (String acc : List.of("APP", "SYS")) {
                Object goEnabled = Json.parseObject(get(goHttp, "/accountz?acc=" + acc)).get("account_detail");
                Object ourEnabled = Json.parseObject(get(ourHttp, "/accountz?acc=" + acc)).get("account_detail");
                assertEquals(((Map<?, ?>) goEnabled).get("jetstream_enabled"),
                        ((Map<?, ?>) ourEnabled).get("jetstream_enabled"), "jetstream_enabled of " + acc);
            }
            try (Connection gs = connect(go.url(), "sys"); Connection os = connect(ours.url(), "sys")) {
                for (String subject : List.of("$SYS.REQ.ACCOUNT.APP.JSZ", "$SYS.REQ.ACCOUNT.NOPE.JSZ")) {
                    String g = new String(gs.request(subject, "{\"streams\":true}".getBytes(StandardCharsets.UTF_8),
                            Duration.ofSeconds(2)).getData(), StandardCharsets.UTF_8);
                    String o = new String(os.request(subject, "{\"streams\":true}".getBytes(StandardCharsets.UTF_8),
                            Duration.ofSeconds(2)).getData(), StandardCharsets.UTF_8);
                    same(norm.normalize(g), norm.normalize(o), "same " + subject);
                }
            }
        }
    }
}
