package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /leafz} (with {@code subs=1}) and the {@code leaf} section of {@code /varz}, ours next to Go 2.9.10's in
 * the same place: each as the hub of a Go leaf, and each as the leaf of a Go hub.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafzDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void asTheHubOfAGoLeaf() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHubLeaf = Ports.free();
        int goHubHttp = Ports.free();
        int leafHttp1 = Ports.free();
        int leafHttp2 = Ports.free();
        try (Ours ours = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer goHub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHubHttp
                     + "\nleafnodes { listen: 127.0.0.1:" + goHubLeaf + " }\n");
             GoServer leaf1 = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp1
                     + "\nleafnodes { remotes: [{url: \"" + ours.leafUrl("") + "\"}] }\n");
             GoServer leaf2 = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + leafHttp2
                     + "\nleafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + goHubLeaf + "\"}] }\n");
             Connection c1 = Messaging.connect("nats://127.0.0.1:" + leaf1.port());
             Connection c2 = Messaging.connect("nats://127.0.0.1:" + leaf2.port())) {
            Leafz.await(WAIT, 1, ours.httpPort, goHubHttp);
            c1.subscribe("watched.subject");
            c2.subscribe("watched.subject");
            c1.flush(WAIT);
            c2.flush(WAIT);
            awaitListed(ours.httpPort, "watched.subject");
            awaitListed(goHubHttp, "watched.subject");
            compare(Leafz.get(goHubHttp, "/leafz?subs=1"), Leafz.get(ours.httpPort, "/leafz?subs=1"));
            assertEquals(keys(Leafz.get(goHubHttp, "/varz").get("leaf")),
                    keys(Leafz.get(ours.httpPort, "/varz").get("leaf")), "/varz leaf section fields");
            assertEquals(Leafz.get(goHubHttp, "/varz").get("leafnodes"), Leafz.get(ours.httpPort, "/varz").get("leafnodes"),
                    "/varz leafnodes");
            @SuppressWarnings("unchecked")
            Map<String, Object> leafVarz = (Map<String, Object>) Leafz.get(ours.httpPort, "/varz").get("leaf");
            assertEquals("127.0.0.1", leafVarz.get("host"), "/varz leaf host");
            assertEquals((long) ours.leafPort, ((Number) leafVarz.get("port")).longValue(), "/varz leaf port");
        }
    }

    @Test
    void asTheLeafOfAGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHubLeaf = Ports.free();
        int goLeafHttp = Ports.free();
        String remotes = "remotes: [{url: \"nats-leaf://127.0.0.1:" + goHubLeaf
                + "\", deny_imports: [\"a.>\"], deny_exports: [\"b.>\"]}]";
        try (GoServer goHub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p
                + "\nleafnodes { listen: 127.0.0.1:" + goHubLeaf + " }\n");
             Ours ours = Ours.start(dir, "LEAF", "leafnodes { " + remotes + " }");
             GoServer goLeaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goLeafHttp
                     + "\nleafnodes { " + remotes + " }\n")) {
            Leafz.await(WAIT, 1, ours.httpPort, goLeafHttp);
            awaitListed(ours.httpPort, "$LDS.");
            awaitListed(goLeafHttp, "$LDS.");
            compare(Leafz.get(goLeafHttp, "/leafz?subs=1"), Leafz.get(ours.httpPort, "/leafz?subs=1"));
            Object goLeafVarz = Leafz.get(goLeafHttp, "/varz").get("leaf");
            Object oursLeafVarz = Leafz.get(ours.httpPort, "/varz").get("leaf");
            assertEquals(goLeafVarz, oursLeafVarz, "/varz leaf section of a leaf (remotes with deny rules)");
        }
    }

    /** The same fields at every level; the same values where they do not depend on the process. */
    @SuppressWarnings("unchecked")
    private static void compare(Map<String, Object> go, Map<String, Object> ours) {
        assertEquals(keys(go), keys(ours), "/leafz fields");
        assertEquals(go.get("leafnodes"), ours.get("leafnodes"), "leafnodes count");
        List<Map<String, Object>> goLeafs = (List<Map<String, Object>>) go.get("leafs");
        List<Map<String, Object>> ourLeafs = (List<Map<String, Object>>) ours.get("leafs");
        for (int i = 0; i < goLeafs.size(); i++) {
            Map<String, Object> g = goLeafs.get(i);
            Map<String, Object> o = ourLeafs.get(i);
            assertEquals(keys(g), keys(o), "/leafz leaf fields");
            assertEquals(g.get("account"), o.get("account"), "account");
            assertEquals(g.get("ip"), o.get("ip"), "ip");
            assertEquals(g.get("subscriptions"), o.get("subscriptions"), "subscriptions: go " + g + " ours " + o);
            assertEquals(shape((List<Object>) g.get("subscriptions_list")), shape((List<Object>) o.get("subscriptions_list")),
                    "subscriptions_list");
        }
    }

    /** Subjects with the random part of $LDS subjects blanked, sorted. */
    private static List<String> shape(List<Object> subjects) {
        List<String> out = new ArrayList<>();
        if (subjects != null) {
            for (Object s : subjects) {
                String text = String.valueOf(s);
                out.add(text.startsWith("$LDS.") ? "$LDS.*" : text);
            }
        }
        out.sort(null);
        return out;
    }

    private static TreeSet<String> keys(Object o) {
        return o instanceof Map<?, ?> m ? new TreeSet<>(m.keySet().stream().map(String::valueOf).toList()) : new TreeSet<>();
    }

    private static void awaitListed(int httpPort, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> l : Leafz.leafs(httpPort, "?subs=1")) {
                if (String.valueOf(l.get("subscriptions_list")).contains(prefix)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(prefix + " never listed in /leafz?subs=1 on " + httpPort);
    }
}
