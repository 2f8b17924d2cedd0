package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cluster names as Go negotiates them: dynamic names converge, a configured name wins, a conflict refuses the route. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNameTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static String name(int httpPort) {
        return (String) ((Map<?, ?>) Monitor.get(httpPort, "/varz").get("cluster")).get("name");
    }

    @Test
    void dynamicNamesConvergeOnOne() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "", "");
             Node b = Node.start(dir, "B", Ports.free(), "routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Monitor.await(WAIT, "one cluster name", () -> name(a.httpPort).equals(name(b.httpPort)));
            assertEquals(22, name(a.httpPort).length(), "a generated name, as Go's nuid");
        }
    }

    @Test
    void aConfiguredNameWinsOverADynamicOne() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: fixed", "");
             Node b = Node.start(dir, "B", Ports.free(), "routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Monitor.await(WAIT, "B takes the configured name", () -> name(b.httpPort).equals("fixed"));
        }
    }

    @Test
    void differentConfiguredNamesRefuseTheRoute() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: one", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: two, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Thread.sleep(2500);
            assertEquals(0, a.routes(), "no route between two clusters");
            assertEquals(0, b.routes(), "none on the other side");
            assertEquals("one", name(a.httpPort), "names unchanged");
            assertEquals("two", name(b.httpPort), "names unchanged");
        }
    }

    @Test
    void oursAndGoNegotiateNamesBothWays() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode go = GoNode.start(dir, "G", Ports.free(), "name: gofixed", "");
             Node ours = Node.start(dir, "J", Ports.free(), "routes: [\"" + go.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            Monitor.await(WAIT, "ours takes Go's configured name", () -> name(ours.httpPort).equals("gofixed"));
        }
        try (Node ours = Node.start(dir, "J2", Ports.free(), "name: ourfixed", "");
             GoNode go = GoNode.start(dir, "G2", Ports.free(), "routes: [\"" + ours.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            Monitor.await(WAIT, "Go takes our configured name", () -> name(go.httpPort).equals("ourfixed"));
        }
        try (GoNode go = GoNode.start(dir, "G3", Ports.free(), "", "");
             Node ours = Node.start(dir, "J3", Ports.free(), "routes: [\"" + go.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            Monitor.await(WAIT, "two dynamic names converge", () -> name(go.httpPort).equals(name(ours.httpPort)));
            // Go refuses a CONNECT whose dynamic name sorts lower than its own, with an error, until the dialling
            // side takes the other name from the INFO: that error may be there; no other.
            java.util.List<String> others = go.log().lines().filter(l -> l.contains("[ERR]"))
                    .filter(l -> !l.contains("Rejecting connection, cluster name")
                            && !l.contains("cluster name from remote server conflicts")).toList();
            assertEquals(java.util.List.of(), others, "Go logged no other error");
        }
    }
}
