package nats.leafnode.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import nats.transport.json.Json;

/** Reads monitoring JSON over HTTP and waits (bounded) for leaf connections to show. */
public final class Leafz {

    private Leafz() {
    }

    public static Map<String, Object> get(int httpPort, String pathAndQuery) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + pathAndQuery).toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException(pathAndQuery + " failed: " + e, e);
        }
    }

    /** How many leaf connections /leafz lists. */
    public static int count(int httpPort) {
        Object n = get(httpPort, "/leafz").get("leafnodes");
        return n instanceof Number num ? num.intValue() : 0;
    }

    /** Waits until every server lists exactly {@code n} leaf connections; fails with what they list. */
    public static void await(Duration timeout, int n, int... httpPorts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (int p : httpPorts) {
                all &= count(p) == n;
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder();
                for (int p : httpPorts) {
                    sb.append(p).append(": ").append(count(p)).append(' ');
                }
                throw new AssertionError("expected " + n + " leaf connections on each server, saw " + sb);
            }
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> leafs(int httpPort, String query) {
        Object l = get(httpPort, "/leafz" + query).get("leafs");
        return l == null ? List.of() : (List<Map<String, Object>>) l;
    }
}
