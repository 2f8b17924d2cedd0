package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /gatewayz} ({@code accs=1}), the {@code gateway} section of {@code /varz} and the
 * {@code $SYS.REQ.SERVER.<id>.GATEWAYZ} answer, compared with Go 2.9.10 running the same two-cluster topology:
 * the same field names at every level, and the same values where they do not depend on ports, ids or time.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitoringDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void gatewayzVarzAndPingMatchGo() throws Exception {
        Map<String, Object> ours = observe(Kind.OURS);
        Map<String, Object> go = observe(Kind.GO);
        assertEquals(shape(go.get("gatewayz")), shape(ours.get("gatewayz")), "/gatewayz?accs=1 field names");
        assertEquals(shape(go.get("varz")), shape(ours.get("varz")), "/varz gateway section field names");
        assertEquals(stable(go.get("varz")), stable(ours.get("varz")), "/varz gateway section values");
        assertEquals(shape(go.get("ping")), shape(ours.get("ping")), "GATEWAYZ request answer field names");
    }

    /** Two single-server clusters X and Y (X dials Y), a subscriber on Y; what X shows. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> observe(Kind kind) throws Exception {
        Member.Plan xp = new Member.Plan();
        Member.Plan yp = new Member.Plan();
        String sys = "accounts { SYS { users: [{user: sys, password: sys}] }, APP { users: [{user: app, password: app}] } }\n"
                + "system_account: SYS\n";
        Path where = java.nio.file.Files.createDirectories(dir.resolve(kind.name()));
        try (Member y = Member.startWith(where, kind, "Y", yp, sys, null, "name: Y");
             Member x = Member.startWith(where, kind, "X", xp, sys, null, "name: X, gateways: [{name: Y, urls: [\""
                     + yp.gatewayUrl() + "\"]}]");
             Connection app = io.nats.client.Nats.connect(new io.nats.client.Options.Builder().server(y.clientUrl())
                     .userInfo("app", "app").build());
             Connection admin = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                     .server(x.clientUrl()).userInfo("sys", "sys").build())) {
            Monitor.awaitOutbound(WAIT, x.httpPort, "Y");
            Monitor.awaitOutbound(WAIT, y.httpPort, "X");
            app.subscribe("app.sub");
            app.subscribe("app.q", "workers");
            app.flush(Duration.ofSeconds(2));
            Monitor.await(WAIT, "X knows Y's interest in APP", () -> TwoClustersTest.queueSubs(x.httpPort, "Y") > 0);
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("gatewayz", Monitor.get(x.httpPort, "/gatewayz?accs=1"));
            r.put("varz", Monitor.get(x.httpPort, "/varz").get("gateway"));
            // Addressed to X: a PING would be answered by Y too, across the gateway, and the first answer wins.
            String xId = (String) Monitor.get(x.httpPort, "/varz").get("server_id");
            io.nats.client.Message ping = admin.request("$SYS.REQ.SERVER." + xId + ".GATEWAYZ", "{\"accounts\":true}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(5));
            r.put("ping", nats.transport.json.Json.parseObject(new String(ping.getData(),
                    java.nio.charset.StandardCharsets.UTF_8)));
            return r;
        }
    }

    /** The field names at every level (maps keyed by names or ids are reduced to one representative entry). */
    @SuppressWarnings("unchecked")
    static Object shape(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                out.put(isDynamicKey(key) ? "<name>" : key, shape(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            TreeSet<String> shapes = new TreeSet<>();
            for (Object o : l) {
                shapes.add(String.valueOf(shape(o)));
            }
            return shapes;
        }
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    private static boolean isDynamicKey(String key) {
        return key.equals("X") || key.equals("Y");
    }

    /** Values of the varz section that do not depend on ports. */
    @SuppressWarnings("unchecked")
    private static Object stable(Object varz) {
        Map<String, Object> m = new java.util.TreeMap<>((Map<String, Object>) varz);
        m.remove("port");
        m.remove("gateways");
        return m;
    }
}
